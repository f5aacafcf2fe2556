import { describe, expect, it } from 'vitest';
import { assessPassphrase } from './passphrase';
import { assessPassphrase as reexported } from './validation';

describe('assessPassphrase', () => {
	it.each(['zielony kot pije mleko', 'Żółta łódź płynie powoli', 'rower stoi pod starym dębem', 'Tr0ub4dor&3x!'])(
		'accepts "%s"',
		(p) => {
			const result = assessPassphrase(p);
			expect(result.ok).toBe(true);
			expect(result.score).toBeGreaterThanOrEqual(3);
			expect(result.reasons).toEqual([]);
		}
	);

	it('refuses anything shorter than 12 characters, however varied', () => {
		const result = assessPassphrase('Ab1!xY9#qW');
		expect(result.ok).toBe(false);
		expect(result.reasons).toContain('passphrase.tooShort');
	});

	it.each(['haslo', 'Haslo2024!', 'qwerty123456', 'kochamcie2024', 'Kocham-Cię-2024!', '123456789012', 'salon salon salon', 'Kartoteka2025!'])(
		'calls "%s" common and refuses it',
		(p) => {
			const result = assessPassphrase(p);
			expect(result.ok).toBe(false);
			expect(result.reasons).toContain('passphrase.common');
			expect(result.score).toBeLessThanOrEqual(1);
		}
	);

	it('does not call a passphrase common because one of its words is', () => {
		expect(assessPassphrase('kocham moje psy i koty bardzo').reasons).not.toContain('passphrase.common');
	});

	it.each(['aaaaaaaaaaaaaaaa', 'abcabcabcabcabc', 'abcdefghijklmnop', 'x9876543210zzqq', 'ababababababab!!'])(
		'calls "%s" repetitive and refuses it',
		(p) => {
			const result = assessPassphrase(p);
			expect(result.ok).toBe(false);
			expect(result.reasons).toContain('passphrase.repetitive');
		}
	);

	it('asks for more kinds of characters in a short single-kind passphrase', () => {
		const result = assessPassphrase('mrowkojadowy');
		expect(result.ok).toBe(false);
		expect(result.reasons).toEqual(['passphrase.fewKinds']);
	});

	it('accepts a long passphrase of one kind of character', () => {
		expect(assessPassphrase('mrowkojadyjedzamrowki').ok).toBe(true);
	});

	it('scores nothing for an empty passphrase', () => {
		expect(assessPassphrase('')).toEqual({ score: 0, ok: false, reasons: ['passphrase.tooShort', 'passphrase.fewKinds'] });
	});

	it('is offered by validation too', () => {
		expect(reexported).toBe(assessPassphrase);
	});
});
