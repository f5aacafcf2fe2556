import { describe, expect, it } from 'vitest';
import { decodeBase64, deriveSignalingKey, deriveSignalingTopic, encodeBase64, openSignal, sealSignal } from './sync-signaling';

const secretA = new Uint8Array(32).fill(7);
const secretB = new Uint8Array(32).fill(8);
const text = (s: string) => new TextEncoder().encode(s);

describe('signaling keys', () => {
	it('gives both devices of a salon the same hex topic, and another salon a different one', async () => {
		const topic = await deriveSignalingTopic(secretA);
		expect(topic).toMatch(/^[0-9a-f]{64}$/);
		expect(await deriveSignalingTopic(secretA.slice())).toBe(topic);
		expect(await deriveSignalingTopic(secretB)).not.toBe(topic);
	});

	it('refuses a sync secret too short to be one', async () => {
		await expect(deriveSignalingTopic(new Uint8Array(8))).rejects.toThrow();
	});

	it('opens what the same secret sealed, with a fresh IV each time', async () => {
		const key = await deriveSignalingKey(secretA);
		const one = await sealSignal(key, text('offer'));
		const two = await sealSignal(key, text('offer'));
		expect(encodeBase64(one)).not.toBe(encodeBase64(two));
		expect(new TextDecoder().decode((await openSignal(await deriveSignalingKey(secretA), one))!)).toBe('offer');
	});

	it('gives null for another secret, a flipped bit or a truncated payload', async () => {
		const sealed = await sealSignal(await deriveSignalingKey(secretA), text('offer'));
		const other = await deriveSignalingKey(secretB);
		expect(await openSignal(other, sealed)).toBeNull();
		const flipped = sealed.slice();
		flipped[20] ^= 1;
		const key = await deriveSignalingKey(secretA);
		expect(await openSignal(key, flipped)).toBeNull();
		expect(await openSignal(key, sealed.subarray(0, 20))).toBeNull();
	});

	it('round-trips base64 and rejects what is not base64', () => {
		const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256);
		expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes);
		expect(decodeBase64('%%%')).toBeNull();
	});
});
