import { describe, expect, it } from 'vitest';
import { isSignature } from '../domain/clinical/consent';
import { sha256Hex } from './digest';

describe('sha256Hex', () => {
	it('matches the published SHA-256 of "abc" and of the empty string', async () => {
		expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
		expect(await sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
	});

	it('hashes text as UTF-8, so a string and its bytes agree', async () => {
		const text = 'Wyrażam zgodę — Żółć';
		expect(await sha256Hex(text)).toBe(await sha256Hex(new TextEncoder().encode(text)));
	});

	it('gives a hash a signature accepts', async () => {
		const sha256 = await sha256Hex('zgoda');
		expect(isSignature({ strokes: [[[1, 2]]], sha256 })).toBe(true);
	});
});
