import { describe, expect, it } from 'vitest';
import { createPinVerifier, isPinCorrect } from './pin';

describe('PIN verifier', () => {
	it('accepts the PIN it was made from and refuses any other', async () => {
		const verifier = await createPinVerifier('4821');
		expect(await isPinCorrect('4821', verifier)).toBe(true);
		expect(await isPinCorrect('4822', verifier)).toBe(false);
		expect(await isPinCorrect('48210', verifier)).toBe(false);
	});

	it('never stores the PIN itself, and two verifiers of one PIN differ by their salt', async () => {
		const a = await createPinVerifier('123456');
		const b = await createPinVerifier('123456');
		expect(JSON.stringify(a)).not.toContain('123456');
		expect(a.salt).not.toBe(b.salt);
		expect(a.hash).not.toBe(b.hash);
	});
});
