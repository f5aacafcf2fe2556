import { describe, expect, it } from 'vitest';
import { calibrateKdf, deriveKek, measureKdfMs, MAX_KDF_ITERATIONS, MIN_KDF_ITERATIONS, type KdfParams } from './kdf';
import { openEnvelope, sealEnvelope, type Binding } from './envelope';

const binding: Binding = { docId: 'keyring/test', kind: 'wrapped-key' };
const secret = new Uint8Array(32).fill(42);

function fastKdf(): KdfParams {
	return { algorithm: 'PBKDF2-SHA-256', iterations: 1000, salt: crypto.getRandomValues(new Uint8Array(16)) };
}

async function kek(passphrase: string, params: KdfParams) {
	return { id: 'kek/passphrase', key: await deriveKek(passphrase, params) };
}

describe('calibrateKdf', () => {
	it('never returns fewer iterations than the floor, even for a tiny time target', async () => {
		const params = await calibrateKdf(1);
		expect(params.iterations).toBeGreaterThanOrEqual(MIN_KDF_ITERATIONS);
		expect(MIN_KDF_ITERATIONS).toBeGreaterThanOrEqual(1_000_000);
	});

	it('honours a custom floor and returns PBKDF2-SHA-256 with a fresh 16-byte salt', async () => {
		const a = await calibrateKdf(1, 2_000_000);
		const b = await calibrateKdf(1, 2_000_000);
		expect(a.algorithm).toBe('PBKDF2-SHA-256');
		expect(a.iterations).toBeGreaterThanOrEqual(2_000_000);
		expect(a.salt).toHaveLength(16);
		expect(a.salt).not.toEqual(b.salt);
	});
});

describe('deriveKek', () => {
	it('derives the same non-extractable key from the same passphrase and params', async () => {
		const params = fastKdf();
		const first = await kek('Różowa lilia 7', params);
		const env = await sealEnvelope(first, secret, binding);
		expect(await openEnvelope(await kek('Różowa lilia 7', params), env, binding)).toEqual(secret);
		expect(first.key.extractable).toBe(false);
	});

	it('treats composed and decomposed accents as the same passphrase', async () => {
		const params = fastKdf();
		const env = await sealEnvelope(await kek('zażółć gęślą'.normalize('NFC'), params), secret, binding);
		expect(await openEnvelope(await kek('zażółć gęślą'.normalize('NFD'), params), env, binding)).toEqual(secret);
	});

	it('derives a different key for another passphrase or another salt', async () => {
		const params = fastKdf();
		const env = await sealEnvelope(await kek('Różowa lilia 7', params), secret, binding);
		await expect(openEnvelope(await kek('różowa lilia 7', params), env, binding)).rejects.toMatchObject({
			reason: 'decrypt-failed'
		});
		await expect(openEnvelope(await kek('Różowa lilia 7', fastKdf()), env, binding)).rejects.toMatchObject({
			reason: 'decrypt-failed'
		});
	});

	it('refuses stored params that are out of range as invalid-input', async () => {
		const params = fastKdf();
		await expect(deriveKek('x', { ...params, iterations: MAX_KDF_ITERATIONS + 1 })).rejects.toMatchObject({
			reason: 'invalid-input'
		});
		await expect(deriveKek('x', { ...params, salt: new Uint8Array(8) })).rejects.toMatchObject({
			reason: 'invalid-input'
		});
	});
});

describe('measureKdfMs', () => {
	it('reports a non-negative duration in milliseconds', async () => {
		expect(await measureKdfMs(fastKdf())).toBeGreaterThanOrEqual(0);
	});
});
