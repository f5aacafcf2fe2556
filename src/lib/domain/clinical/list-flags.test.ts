import { describe, expect, it } from 'vitest';
import { listFlags } from './list-flags';
import { EMPTY_CLINICAL_SUMMARY, type ClinicalSummary } from './summary';

const summary = (s: Partial<ClinicalSummary>): ClinicalSummary => ({ ...EMPTY_CLINICAL_SUMMARY, ...s });
const TODAY = '2025-06-15';

describe('listFlags', () => {
	it('shows nothing without a summary or with an empty one', () => {
		expect(listFlags(null, TODAY)).toEqual({ hasAllergy: false, hasWarning: false });
		expect(listFlags(summary({}), TODAY)).toEqual({ hasAllergy: false, hasWarning: false });
	});

	it('marks an allergy, recognised or not', () => {
		expect(listFlags(summary({ allergies: [{ allergens: [], text: 'pyłki', severity: null }] }), TODAY).hasAllergy).toBe(true);
	});

	it('warns on a condition or a failed patch test', () => {
		expect(listFlags(summary({ conditions: ['epilepsy'] }), TODAY).hasWarning).toBe(true);
		const failed = summary({ patchTests: [{ productId: 'pr-x' as never, date: '2025-01-01', result: 'failed' }] });
		expect(listFlags(failed, TODAY).hasWarning).toBe(true);
	});

	it('warns on a flagged medication that is ongoing, undated or recent, not on one long finished', () => {
		const med = (lastTaken: string | null) => summary({ medications: [{ name: 'Izotretynoina', flags: ['oral-retinoid'], lastTaken }] });
		expect(listFlags(med('ongoing'), TODAY).hasWarning).toBe(true);
		expect(listFlags(med(null), TODAY).hasWarning).toBe(true);
		expect(listFlags(med('2025-03-15'), TODAY).hasWarning).toBe(true);
		expect(listFlags(med('2023-01-01'), TODAY).hasWarning).toBe(false);
	});
});
