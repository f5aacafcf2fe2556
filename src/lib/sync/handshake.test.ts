import { describe, expect, it } from 'vitest';
import { Handshake, type HandshakeState } from './handshake';
import type { SyncMessage } from './protocol';
import { deriveHandshakeKey } from './sync-crypto';

const secret = () => crypto.getRandomValues(new Uint8Array(32));

/** Runs two handshakes against each other, delivering messages in the order `order` picks. */
async function meet(secretA: Uint8Array, secretB: Uint8Array, order: (queue: SyncMessage[]) => SyncMessage[] = (q) => q) {
	const toA: SyncMessage[] = [];
	const toB: SyncMessage[] = [];
	const a = new Handshake(await deriveHandshakeKey(secretA), 'tablet-a', async (m) => void toB.push(m));
	const b = new Handshake(await deriveHandshakeKey(secretB), 'tablet-b', async (m) => void toA.push(m));
	await a.start();
	await b.start();
	let results: [HandshakeState, HandshakeState] = [a.result, b.result];
	for (let round = 0; round < 4; round++) {
		for (const m of order(toA.splice(0))) results[0] = await a.receive(m);
		for (const m of order(toB.splice(0))) results[1] = await b.receive(m);
	}
	return results;
}

describe('handshake', () => {
	it('authenticates both sides holding the same sync secret, in either message order', async () => {
		const s = secret();
		expect(await meet(s, s)).toEqual([{ state: 'done', peerId: 'tablet-b' }, { state: 'done', peerId: 'tablet-a' }]);
		expect((await meet(s, s, (q) => [...q].reverse())).map((r) => r.state)).toEqual(['done', 'done']);
	});

	it('fails on both sides when the secrets differ', async () => {
		expect((await meet(secret(), secret())).map((r) => r.state)).toEqual(['failed', 'failed']);
	});

	it('refuses its own hello reflected back, so a proof cannot be bounced to itself', async () => {
		const key = await deriveHandshakeKey(secret());
		const sent: SyncMessage[] = [];
		const a = new Handshake(key, 'tablet-a', async (m) => void sent.push(m));
		await a.start();
		expect(await a.receive(sent[0])).toMatchObject({ state: 'failed', detail: 'reflected hello' });
	});

	it('refuses a second, different hello', async () => {
		const key = await deriveHandshakeKey(secret());
		const a = new Handshake(key, 'tablet-a', async () => {});
		await a.start();
		await a.receive({ type: 'hello', deviceId: 'tablet-b', nonce: new Uint8Array(32).fill(1) });
		expect(await a.receive({ type: 'hello', deviceId: 'tablet-c', nonce: new Uint8Array(32).fill(2) })).toMatchObject({ state: 'failed' });
	});
});
