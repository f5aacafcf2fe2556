// The signaling client against the real relay on loopback, with ws's WebSocket as the socket.
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startRelay } from './relay-fixtures';
import { decodeBase64, deriveSignalingKey, encodeBase64, openSignal, sealSignal } from '../crypto/sync-signaling';
import { SignalingClient, type SignalingLogEntry, type SignalPayload, type SocketLike } from './signaling-client';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const SECRET = new Uint8Array(32).fill(3);
const OTHER_SECRET = new Uint8Array(32).fill(4);


/** A client plus everything it received and logged; sockets are kept so a test can cut them. */
async function startClient(url: string, secret = SECRET) {
	const payloads: SignalPayload[] = [];
	const logs: SignalingLogEntry[] = [];
	const sockets: WebSocket[] = [];
	const client = await SignalingClient.create({
		url,
		syncSecret: secret,
		minBackoffMs: 10,
		maxBackoffMs: 50,
		log: (entry) => logs.push(entry),
		openSocket: (u) => {
			const ws = new WebSocket(u);
			sockets.push(ws);
			return ws as unknown as SocketLike;
		}
	});
	cleanups.push(() => client.close());
	client.onPayload((p) => payloads.push(p));
	await untilTrue(() => client.isConnected);
	return { client, payloads, logs, sockets };
}

/** A raw relay client that sees what the relay carries. */
async function startSpy(url: string, topic: string) {
	const ws = new WebSocket(url);
	const seen: string[] = [];
	ws.on('message', (data) => seen.push(String(data)));
	cleanups.push(() => ws.terminate());
	await once(ws, 'open');
	ws.send(JSON.stringify({ type: 'subscribe', topics: [topic] }));
	return { ws, seen };
}

async function untilTrue(check: () => boolean): Promise<void> {
	for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
	expect(check()).toBe(true);
}

describe('SignalingClient', () => {
	it('delivers a payload between two devices of one salon, the sender included', async () => {
		const url = await startRelay(cleanups);
		const a = await startClient(url);
		const b = await startClient(url);
		expect(a.client.topic).toBe(b.client.topic);
		// Both subscribe on open; a marker round-trip makes sure b's subscribe reached the relay.
		await untilTrue(() => {
			void b.client.publish({ kind: 'marker' });
			return a.payloads.some((p) => p.kind === 'marker');
		});
		expect(await a.client.publish({ kind: 'hello', from: 'tablet-a' })).toBe(true);
		await untilTrue(() => b.payloads.some((p) => p.kind === 'hello'));
		await untilTrue(() => a.payloads.some((p) => p.kind === 'hello'));
		expect(b.payloads.find((p) => p.kind === 'hello')).toEqual({ kind: 'hello', from: 'tablet-a' });
	});

	it('puts only a hex topic and ciphertext on the relay', async () => {
		const url = await startRelay(cleanups);
		const a = await startClient(url);
		const spy = await startSpy(url, a.client.topic);
		await untilTrue(() => {
			void a.client.publish({ kind: 'offer', salon: 'Salon Urody Ewa', sdp: 'v=0 secret-sdp' });
			return spy.seen.length > 0;
		});
		expect(a.client.topic).toMatch(/^[0-9a-f]{64}$/);
		const carried = spy.seen.join('\n');
		expect(carried).not.toContain('Salon Urody');
		expect(carried).not.toContain('secret-sdp');
		expect(carried).not.toContain('offer');
		expect(JSON.parse(spy.seen[0]).data).toMatch(/^[A-Za-z0-9+/]+=*$/);
	});

	it('gives a device with another secret nothing readable, and drops what it forges', async () => {
		const url = await startRelay(cleanups);
		const a = await startClient(url);
		const stranger = await startClient(url, OTHER_SECRET);
		expect(stranger.client.topic).not.toBe(a.client.topic);
		// A stranger that listens on the salon's topic anyway cannot open what it hears.
		const spy = await startSpy(url, a.client.topic);
		await untilTrue(() => {
			void a.client.publish({ kind: 'hello' });
			return spy.seen.length > 0;
		});
		const sealed = decodeBase64(JSON.parse(spy.seen[0]).data)!;
		expect(await openSignal(await deriveSignalingKey(OTHER_SECRET), sealed)).toBeNull();
		expect(await openSignal(await deriveSignalingKey(SECRET), sealed)).not.toBeNull();
		expect(stranger.payloads).toEqual([]);
		// What it seals with its own key, or sends unsealed, on the salon's topic is dropped.
		const forged = await sealSignal(await deriveSignalingKey(OTHER_SECRET), new TextEncoder().encode('{"kind":"offer"}'));
		const before = a.logs.filter((l) => l.reason === 'undecryptable').length;
		spy.ws.send(JSON.stringify({ type: 'publish', topic: a.client.topic, data: encodeBase64(forged) }));
		spy.ws.send(JSON.stringify({ type: 'publish', topic: a.client.topic, data: '!!not base64!!' }));
		spy.ws.send(JSON.stringify({ type: 'publish', topic: a.client.topic, data: 42 }));
		spy.ws.send('{not json');
		await untilTrue(() => a.logs.filter((l) => l.reason === 'undecryptable').length >= before + 2);
		await untilTrue(() => a.logs.some((l) => l.reason === 'invalid-message'));
		expect(a.payloads.every((p) => p.kind === 'hello')).toBe(true);
	});

	it('drops a sealed payload that is not a JSON object, with a logged reason', async () => {
		const url = await startRelay(cleanups);
		const a = await startClient(url);
		const b = await startClient(url);
		await untilTrue(() => {
			void a.client.publish({ kind: 'marker' });
			return b.payloads.length > 0;
		});
		// Reach inside only through the public API: an array is valid JSON but not a payload.
		await a.client.publish([1, 2] as unknown as SignalPayload);
		await untilTrue(() => b.logs.some((l) => l.reason === 'malformed-payload'));
	});

	it('reconnects after the relay link drops and is heard again', async () => {
		const url = await startRelay(cleanups);
		const a = await startClient(url);
		const b = await startClient(url);
		const statuses: boolean[] = [];
		a.client.onStatus((s) => statuses.push(s));
		a.sockets.at(-1)!.terminate();
		await untilTrue(() => statuses.includes(false));
		await untilTrue(() => statuses.at(-1) === true && a.client.isConnected);
		expect(a.sockets.length).toBeGreaterThan(1);
		await untilTrue(() => {
			void a.client.publish({ kind: 'back' });
			return b.payloads.some((p) => p.kind === 'back');
		});
	});

	it('sends what was published before close when flushed first (a leaving device says so)', async () => {
		const url = await startRelay(cleanups);
		const a = await startClient(url);
		const b = await startClient(url);
		void a.client.publish({ kind: 'leave', from: 'device-a' });
		await a.client.flush();
		a.client.close();
		await untilTrue(() => b.payloads.some((p) => p.kind === 'leave'));
	});

	it('stops for good on close', async () => {
		const url = await startRelay(cleanups);
		const a = await startClient(url);
		a.client.close();
		expect(a.client.isConnected).toBe(false);
		expect(await a.client.publish({ kind: 'late' })).toBe(false);
		await new Promise((r) => setTimeout(r, 100));
		expect(a.sockets.length).toBe(1);
	});
});
