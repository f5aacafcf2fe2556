import { describe, expect, it } from 'vitest';
import { formatRecoveryKey, newRecoveryKey, parseRecoveryKey, recoveryKek, RECOVERY_KEY_BYTES } from './recovery';
import { openEnvelope, sealEnvelope, type Binding } from './envelope';

const GROUPED = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}$/;
const binding: Binding = { docId: 'keyring/test', kind: 'wrapped-key' };

describe('recovery key', () => {
	it('holds 20 random bytes shown as 8 dash-separated groups of 4 Crockford base32 characters', () => {
		const a = newRecoveryKey();
		expect(a.bytes).toHaveLength(RECOVERY_KEY_BYTES);
		expect(a.text).toMatch(GROUPED);
		expect(newRecoveryKey().text).not.toBe(a.text);
	});

	it('encodes all-zero and all-one bytes at the ends of the alphabet', () => {
		expect(formatRecoveryKey(new Uint8Array(20))).toBe('0000-0000-0000-0000-0000-0000-0000-0000');
		expect(formatRecoveryKey(new Uint8Array(20).fill(255))).toBe('ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ');
	});

	it('reads back the bytes it printed', () => {
		const { bytes, text } = newRecoveryKey();
		expect(parseRecoveryKey(text)).toEqual(bytes);
	});

	it('reads a key typed in lowercase, with spaces or without dashes', () => {
		const { bytes, text } = newRecoveryKey();
		expect(parseRecoveryKey(text.toLowerCase().replaceAll('-', ' '))).toEqual(bytes);
		expect(parseRecoveryKey(text.replaceAll('-', ''))).toEqual(bytes);
		expect(parseRecoveryKey(`  ${text.toLowerCase()}  \n`)).toEqual(bytes);
	});

	it('reads O as zero and I or L as one', () => {
		const bytes = new Uint8Array(20);
		bytes[1] = 0b01000000; // bits 5-9 are 00001: first characters '0', '1'
		const text = formatRecoveryKey(bytes);
		expect(text.startsWith('01')).toBe(true);
		expect(parseRecoveryKey('OI' + text.slice(2))).toEqual(bytes);
		expect(parseRecoveryKey('ol' + text.slice(2))).toEqual(bytes);
	});

	it('refuses a key of the wrong length as invalid-input', () => {
		const { text } = newRecoveryKey();
		expect(() => parseRecoveryKey(text.slice(0, -1))).toThrow(expect.objectContaining({ reason: 'invalid-input' }));
		expect(() => parseRecoveryKey(text + 'A')).toThrow(expect.objectContaining({ reason: 'invalid-input' }));
		expect(() => parseRecoveryKey('')).toThrow(expect.objectContaining({ reason: 'invalid-input' }));
	});

	it('refuses characters outside Crockford base32 as invalid-input', () => {
		const { text } = newRecoveryKey();
		expect(() => parseRecoveryKey('U' + text.slice(1))).toThrow(expect.objectContaining({ reason: 'invalid-input' }));
		expect(() => parseRecoveryKey('*' + text.slice(1))).toThrow(expect.objectContaining({ reason: 'invalid-input' }));
	});

	it('derives the same key-encryption key from the same key and salt, and another from another key', async () => {
		const salt = crypto.getRandomValues(new Uint8Array(16));
		const { bytes } = newRecoveryKey();
		const kek = { id: 'kek/recovery', key: await recoveryKek(bytes, salt) };
		const env = await sealEnvelope(kek, new Uint8Array(32).fill(7), binding);
		const again = { id: 'kek/recovery', key: await recoveryKek(parseRecoveryKey(formatRecoveryKey(bytes)), salt) };
		expect(await openEnvelope(again, env, binding)).toEqual(new Uint8Array(32).fill(7));
		const other = { id: 'kek/recovery', key: await recoveryKek(newRecoveryKey().bytes, salt) };
		await expect(openEnvelope(other, env, binding)).rejects.toMatchObject({ reason: 'decrypt-failed' });
		expect(kek.key.extractable).toBe(false);
	});
});
