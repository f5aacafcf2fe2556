import { describe, expect, it } from 'vitest';
import { consentStateAt, hasActiveConsent, isSignature, wasRecordedAfterWithdrawal } from './consent';
import { consent, SIGNATURE, visit } from './test-fixtures';
import { isRecordedAfterWithdrawal } from './visit';

const GIVEN = '2025-01-10T10:00:00.000Z';
const WITHDRAWN = '2025-03-01T12:00:00.000Z';

describe('consents', () => {
	it('holds a consent from when it was given until it was withdrawn', () => {
		const consents = [consent('health-data', GIVEN, WITHDRAWN)];
		expect(hasActiveConsent(consents, 'health-data', '2025-01-09T10:00:00.000Z')).toBe(false);
		expect(hasActiveConsent(consents, 'health-data', '2025-02-01T10:00:00.000Z')).toBe(true);
		expect(hasActiveConsent(consents, 'health-data', WITHDRAWN)).toBe(false);
		expect(hasActiveConsent(consents, 'health-data')).toBe(false);
		expect(hasActiveConsent(consents, 'marketing-sms', '2025-02-01T10:00:00.000Z')).toBe(false);
	});

	it('tells never given from withdrawn, and a new consent after a withdrawal from both', () => {
		const consents = [consent('health-data', GIVEN, WITHDRAWN), consent('health-data', '2025-04-01T10:00:00.000Z')];
		expect(consentStateAt([], 'health-data')).toBe('never');
		expect(consentStateAt(consents, 'health-data', '2025-03-15T10:00:00.000Z')).toBe('withdrawn');
		expect(consentStateAt(consents, 'health-data', '2025-04-02T10:00:00.000Z')).toBe('active');
	});

	it('marks what was recorded after the health-data consent was withdrawn, and only that', () => {
		const consents = [consent('health-data', GIVEN, WITHDRAWN)];
		expect(isRecordedAfterWithdrawal(visit('manicure', '2025-03-02T09:00:00.000Z'), consents)).toBe(true);
		expect(isRecordedAfterWithdrawal(visit('manicure', '2025-02-28T09:00:00.000Z'), consents)).toBe(false);
		expect(wasRecordedAfterWithdrawal(['2025-02-01T00:00:00.000Z'], [consent('health-data', GIVEN)])).toBe(false);
	});

	it('marks a visit started before the withdrawal but completed after it', () => {
		const v = visit('manicure', '2025-03-01T11:00:00.000Z');
		const completed = { ...v, completed: { completedAt: '2025-03-01T13:00:00.000Z' } } as typeof v;
		expect(isRecordedAfterWithdrawal(completed, [consent('health-data', GIVEN, WITHDRAWN)])).toBe(true);
	});

	it('accepts a signature only with strokes and a SHA-256 in hex', () => {
		expect(isSignature(SIGNATURE)).toBe(true);
		expect(isSignature({ ...SIGNATURE, strokes: [] })).toBe(false);
		expect(isSignature({ ...SIGNATURE, sha256: 'abc' })).toBe(false);
		expect(isSignature({ ...SIGNATURE, strokes: [[[1, Number.NaN]]] })).toBe(false);
	});
});
