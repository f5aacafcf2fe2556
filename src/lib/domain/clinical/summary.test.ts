import { describe, expect, it } from 'vitest';
import { EMPTY_CLINICAL_SUMMARY, summariseClinical } from './summary';
import { check, consent, interview, medication, patchTest, visit } from './test-fixtures';

const OLD = interview('2024-01-10T10:00:00.000Z', { conditions: ['epilepsy'] });
const LATEST = interview('2025-05-01T10:00:00.000Z', {
	conditions: ['diabetes'],
	allergies: [{ allergen: null, text: 'lateks', reaction: 'wysypka', severity: 'mild' }],
	medications: [medication('Witamina D'), medication('Izotretynoina', { lastTaken: '2025-02-01' })],
	procedures: [
		{ kind: 'chemical-peel', date: '2025-04-01', where: 'elsewhere', note: '' },
		{ kind: 'filler', date: null, where: 'elsewhere', note: '' }
	]
});

describe('clinical summary', () => {
	it('is empty for a card with no clinical records', () => {
		expect(summariseClinical({ interviews: [], visits: [], patchTests: [] })).toEqual(EMPTY_CLINICAL_SUMMARY);
	});

	it('takes conditions, allergens and flagged medications from the latest interview only', () => {
		const s = summariseClinical({ interviews: [LATEST, OLD], visits: [], patchTests: [] });
		expect(s.interviewDate).toBe('2025-05-01');
		expect(s.conditions).toEqual(['diabetes']);
		expect(s.allergies).toEqual([{ allergens: ['latex'], text: 'lateks', severity: 'mild' }]);
		expect(s.medications).toEqual([{ name: 'Izotretynoina', flags: ['oral-retinoid'], lastTaken: '2025-02-01' }]);
	});

	it('adds what checks since the interview reported: pregnancy, new medications, procedures, a tan', () => {
		const before = visit('manicure', '2025-04-20T10:00:00.000Z', { check: check({ pregnancy: true }) });
		const after = visit('manicure', '2025-05-20T10:00:00.000Z', {
			check: check({
				pregnancy: true,
				tanOrSun: true,
				medications: [medication('Doksycyklina', { lastTaken: '2025-05-18' })],
				procedures: [{ kind: 'chemical-peel', date: '2025-05-10', where: 'elsewhere', note: '' }]
			})
		});
		const s = summariseClinical({ interviews: [LATEST], visits: [after, before], patchTests: [] });
		expect(s.conditions).toEqual(['pregnancy-breastfeeding', 'diabetes']);
		expect(s.medications.map((m) => m.name)).toEqual(['Izotretynoina', 'Doksycyklina']);
		expect(s.procedures).toContainEqual({ kind: 'chemical-peel', date: '2025-05-10', where: 'elsewhere', undated: false });
		expect(s.tanDate).toBe('2025-05-20');
	});

	it('keeps the latest date per procedure kind, this salon included, and remembers undated ones', () => {
		const here = visit('chemical-peel', '2025-06-08T10:00:00.000Z');
		const s = summariseClinical({ interviews: [LATEST], visits: [here], patchTests: [] });
		expect(s.procedures).toEqual([
			{ kind: 'chemical-peel', date: '2025-06-08', where: 'this-salon', undated: false },
			{ kind: 'filler', date: null, where: null, undated: true }
		]);
		expect(s.lastVisit).toBe('2025-06-08');
		expect(s.visitCount).toBe(1);
	});

	it('keeps the latest patch test per product, the more cautious one on the same day', () => {
		const s = summariseClinical({
			interviews: [],
			visits: [],
			patchTests: [
				patchTest('pr-brow-tint', '2025-05-01', 'failed'),
				patchTest('pr-brow-tint', '2025-06-01', 'passed'),
				patchTest('pr-glycolic-acid-35', '2025-06-01', 'passed'),
				patchTest('pr-glycolic-acid-35', '2025-06-01', 'not-read')
			]
		});
		expect(s.patchTests).toEqual([
			{ productId: 'pr-brow-tint', date: '2025-06-01', result: 'passed' },
			{ productId: 'pr-glycolic-acid-35', date: '2025-06-01', result: 'not-read' }
		]);
	});

	it('counts what was recorded after the health-data consent was withdrawn', () => {
		const consents = [consent('health-data', '2025-01-01T10:00:00.000Z', '2025-06-01T10:00:00.000Z')];
		const visits = [visit('manicure', '2025-05-01T10:00:00.000Z'), visit('manicure', '2025-06-02T10:00:00.000Z')];
		expect(summariseClinical({ interviews: [LATEST], visits, patchTests: [], consents }).recordedAfterWithdrawal).toBe(1);
	});

	it('is the same whatever order the records come in, as on two devices', () => {
		const visits = [visit('manicure', '2025-05-01T10:00:00.000Z'), visit('chemical-peel', '2025-05-01T10:00:00.000Z'), visit('ipl', '2025-03-01T10:00:00.000Z')];
		const tests = [patchTest('pr-b', '2025-01-01', 'passed'), patchTest('pr-a', '2025-01-01', 'failed')];
		const one = summariseClinical({ interviews: [OLD, LATEST], visits, patchTests: tests });
		const two = summariseClinical({ interviews: [LATEST, OLD], visits: [...visits].reverse(), patchTests: [...tests].reverse() });
		expect(two).toEqual(one);
	});

	it('stays small for a card with 50 visits and 5 interviews', () => {
		const interviews = [1, 2, 3, 4, 5].map((m) => ({ ...LATEST, id: `iv-${m}`, at: `2025-0${m}-01T10:00:00.000Z` }) as typeof LATEST);
		const kinds = ['manicure', 'chemical-peel', 'ipl', 'microneedling', 'facial-cleansing'];
		const visits = Array.from({ length: 50 }, (_, i) => visit(kinds[i % 5], new Date(Date.UTC(2024, 0, 1 + i * 7, 10)).toISOString()));
		const size = JSON.stringify(summariseClinical({ interviews, visits, patchTests: [] })).length;
		expect(size).toBeLessThan(1500);
	});
});
