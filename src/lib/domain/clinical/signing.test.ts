import { describe, expect, it } from 'vitest';
import { SEED_CONSENT_TEMPLATES } from './seed-consents';
import { consentSignedContent, interviewSignedContent } from './signing';
import { medication } from './test-fixtures';

describe('what a client signs', () => {
	it('names the consent template, its version and the text shown', () => {
		const template = SEED_CONSENT_TEMPLATES[0];
		const signed = JSON.parse(consentSignedContent(template, 'pl'));
		expect(signed).toEqual({ templateId: 'ct-health-data', version: 1, locale: 'pl', text: template.text.pl });
		expect(consentSignedContent(template, 'en')).not.toBe(consentSignedContent(template, 'pl'));
	});

	it('gives the same text for the same interview whatever the property order, and another for other answers', () => {
		const a = { conditions: ['diabetes' as const], allergies: [], medications: [medication('Aknenormin', { lastTaken: '2025-01-10' })], procedures: [], notes: '' };
		const reordered = { notes: '', procedures: [], medications: [{ flags: [], lastTaken: '2025-01-10', since: null, name: 'Aknenormin' }], allergies: [], conditions: ['diabetes' as const] };
		expect(interviewSignedContent(reordered, 'Dane są prawdziwe')).toBe(interviewSignedContent(a, 'Dane są prawdziwe'));
		expect(interviewSignedContent({ ...a, notes: 'x' }, 'Dane są prawdziwe')).not.toBe(interviewSignedContent(a, 'Dane są prawdziwe'));
	});
});
