import { describe, expect, it } from 'vitest';
import { importDataKey, openEnvelope, openJson, randomKeyBytes, sealEnvelope, sealJson, type Binding } from './envelope';

const card: Binding = { docId: 'client:0b7a6c1e-4f65-4c1b-9a53-0f3c2d1e5a77', kind: 'update' };
const bytes = new TextEncoder().encode('Anna Kowalska, +48 601 234 567');

async function newKey(id = 'salon/1') {
	return importDataKey(id, randomKeyBytes());
}

function flipBit(data: Uint8Array, index: number): Uint8Array {
	const copy = data.slice();
	copy[index] ^= 1;
	return copy;
}

describe('envelope', () => {
	it('opens what it sealed, with the same key and binding', async () => {
		const key = await newKey();
		const env = await sealEnvelope(key, bytes, card);
		expect(env.keyId).toBe('salon/1');
		expect(await openEnvelope(key, env, card)).toEqual(bytes);
	});

	it('round-trips a JSON value', async () => {
		const key = await newKey();
		const value = { name: 'Zofia Wiśniewska', visits: 3 };
		expect(await openJson(key, await sealJson(key, value, card), card)).toEqual(value);
	});

	it('never stores the plaintext and uses a fresh IV for every seal', async () => {
		const key = await newKey();
		const a = await sealEnvelope(key, bytes, card);
		const b = await sealEnvelope(key, bytes, card);
		expect(a.iv).not.toEqual(b.iv);
		expect(a.ciphertext).not.toEqual(b.ciphertext);
		expect(Buffer.from(a.ciphertext).includes(Buffer.from(bytes))).toBe(false);
	});

	it('rejects a flipped bit in the ciphertext as decrypt-failed', async () => {
		const key = await newKey();
		const env = await sealEnvelope(key, bytes, card);
		for (const i of [0, 10, env.ciphertext.length - 1]) {
			const tampered = { ...env, ciphertext: flipBit(env.ciphertext, i) };
			await expect(openEnvelope(key, tampered, card)).rejects.toMatchObject({ reason: 'decrypt-failed' });
		}
	});

	it('rejects a flipped bit in the IV as decrypt-failed', async () => {
		const key = await newKey();
		const env = await sealEnvelope(key, bytes, card);
		await expect(openEnvelope(key, { ...env, iv: flipBit(env.iv, 0) }, card)).rejects.toMatchObject({
			reason: 'decrypt-failed'
		});
	});

	it('rejects a wrong key with the same name as decrypt-failed', async () => {
		const env = await sealEnvelope(await newKey(), bytes, card);
		await expect(openEnvelope(await newKey(), env, card)).rejects.toMatchObject({ reason: 'decrypt-failed' });
	});

	it('rejects a key of another name or generation as decrypt-failed', async () => {
		const env = await sealEnvelope(await newKey('salon/1'), bytes, card);
		await expect(openEnvelope(await newKey('salon/2'), env, card)).rejects.toMatchObject({ reason: 'decrypt-failed' });
	});

	it('rejects an envelope moved to another doc id as decrypt-failed', async () => {
		const key = await newKey();
		const env = await sealEnvelope(key, bytes, card);
		const other: Binding = { docId: 'client:7d1f0a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b', kind: 'update' };
		await expect(openEnvelope(key, env, other)).rejects.toMatchObject({ reason: 'decrypt-failed' });
	});

	it('rejects an envelope moved to another record kind as decrypt-failed', async () => {
		const key = await newKey();
		const env = await sealEnvelope(key, bytes, card);
		await expect(openEnvelope(key, env, { ...card, kind: 'snapshot' })).rejects.toMatchObject({
			reason: 'decrypt-failed'
		});
	});
});
