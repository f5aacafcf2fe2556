import { describe, expect, it } from 'vitest';
import type { AllergenId } from './allergens';
import type { Allergy } from './interview';
import { evaluateFromSummary, evaluateRules, type RuleInput } from './rules';
import { summariseClinical } from './summary';
import { check, consent, interview, medication, patchTest, seedProductsOf, seedTreatment, visit } from './test-fixtures';
import type { Warning } from './warning';

const TODAY = '2025-06-15';
const RECENTLY = '2025-06-01T09:00:00.000Z';
const ALL_NO = check({ newMedication: false, pregnancy: false, tanOrSun: false, herpesNow: false, procedureElsewhere: false });

function input(key: string, overrides: Partial<RuleInput> = {}): RuleInput {
	const treatment = seedTreatment(key);
	return {
		treatment,
		products: seedProductsOf(treatment),
		interview: interview(RECENTLY),
		check: ALL_NO,
		patchTests: [],
		visits: [],
		birthDate: '1990-04-02',
		consents: [consent('health-data', '2025-01-10T10:00:00.000Z')],
		today: TODAY,
		...overrides
	};
}

const isotretinoin = (lastTaken: string | null) => interview(RECENTLY, { medications: [medication('Isotretinoin', { lastTaken, flags: ['oral-retinoid'] })] });
const allergy = (text: string, severity: Allergy['severity'] = 'moderate', allergen: string | null = null): Allergy => ({
	allergen: allergen as AllergenId | null,
	text,
	reaction: 'wysypka',
	severity
});
const peelPassed = [patchTest('pr-glycolic-acid-35', '2025-06-01', 'passed')];

type Case = [name: string, input: RuleInput, expected: { blocks: boolean; has?: Partial<Warning>[]; hasNot?: string[] }];

const CASES: Case[] = [
	['isotretinoin last taken 3 months ago + microneedling blocks', input('microneedling', { interview: isotretinoin('2025-03-15') }), {
		blocks: true,
		has: [{ ruleId: 'microneedling.oral-retinoid-183', weight: 'blocks', reason: 'matched', entry: { type: 'medication', name: 'Isotretinoin', flag: 'oral-retinoid', lastTaken: '2025-03-15' } }] as Partial<Warning>[]
	}],
	['isotretinoin last taken 8 months ago + microneedling does not block', input('microneedling', { interview: isotretinoin('2024-10-15') }), {
		blocks: false,
		hasNot: ['microneedling.oral-retinoid-183']
	}],
	['ongoing isotretinoin blocks microneedling', input('microneedling', { interview: isotretinoin('ongoing') }), {
		blocks: true,
		has: [{ ruleId: 'microneedling.oral-retinoid-183', weight: 'blocks' }] as Partial<Warning>[]
	}],
	['a medication typed as "Aknenormin" with no flag ticked still blocks microneedling', input('microneedling', { interview: interview(RECENTLY, { medications: [medication('Aknenormin 20 mg')] }) }), {
		blocks: true,
		has: [{ ruleId: 'microneedling.oral-retinoid-183', entry: { type: 'medication', name: 'Aknenormin 20 mg', flag: 'oral-retinoid', lastTaken: 'ongoing' } }] as Partial<Warning>[]
	}],
	['an unknown medication date warns instead of passing', input('microneedling', { interview: isotretinoin(null) }), {
		blocks: false,
		has: [{ ruleId: 'microneedling.oral-retinoid-183', weight: 'warns', reason: 'date-unknown' }] as Partial<Warning>[]
	}],
	['pregnancy + chemical peel blocks', input('chemical-peel', { interview: interview(RECENTLY, { conditions: ['pregnancy-breastfeeding'] }), patchTests: peelPassed }), {
		blocks: true,
		has: [{ ruleId: 'chemical-peel.pregnancy-breastfeeding', weight: 'blocks', entry: { type: 'condition', condition: 'pregnancy-breastfeeding', source: 'interview' } }] as Partial<Warning>[]
	}],
	['pregnancy first reported in the pre-treatment check blocks a chemical peel', input('chemical-peel', { check: { ...ALL_NO, pregnancy: true }, patchTests: peelPassed }), {
		blocks: true,
		has: [{ ruleId: 'chemical-peel.pregnancy-breastfeeding', entry: { type: 'condition', condition: 'pregnancy-breastfeeding', source: 'check' } }] as Partial<Warning>[]
	}],
	['a latex allergy typed "lateks" + a product with latex warns', input('facial-cleansing', { interview: interview(RECENTLY, { allergies: [allergy('lateks')] }) }), {
		blocks: false,
		has: [{ ruleId: 'product-allergen', weight: 'warns', entry: { type: 'allergy', allergen: 'latex', text: 'lateks', productId: 'pr-latex-gloves', productName: 'Rękawiczki lateksowe' } }] as Partial<Warning>[]
	}],
	['a severe latex allergy + a product with latex blocks', input('facial-cleansing', { interview: interview(RECENTLY, { allergies: [allergy('uczulenie na lateks', 'severe')] }) }), {
		blocks: true,
		has: [{ ruleId: 'product-allergen', weight: 'blocks' }] as Partial<Warning>[]
	}],
	['a hyaluronic-acid allergy blocks a filler through its own rule, reported once', input('ha-filler', { interview: interview(RECENTLY, { allergies: [allergy('kwas hialuronowy')] }) }), {
		blocks: true,
		has: [{ ruleId: 'ha-filler.allergen-hyaluronic-acid', weight: 'blocks' }] as Partial<Warning>[],
		hasNot: ['product-allergen']
	}],
	['an allergy not on the list warns for a treatment that uses products', input('manicure', { interview: interview(RECENTLY, { allergies: [allergy('truskawki')] }) }), {
		blocks: false,
		has: [{ ruleId: 'allergy-unrecognised', weight: 'warns', entry: { type: 'allergy', allergen: null, text: 'truskawki', productId: null, productName: null } }] as Partial<Warning>[]
	}],
	['a chemical peel 7 days ago in this salon + microneedling blocks', input('microneedling', { visits: [visit('chemical-peel', '2025-06-08T10:00:00.000Z')] }), {
		blocks: true,
		has: [{ ruleId: 'microneedling.chemical-peel-14', weight: 'blocks', entry: { type: 'procedure', kind: 'chemical-peel', date: '2025-06-08', where: 'this-salon' } }] as Partial<Warning>[]
	}],
	['a chemical peel 20 days ago does not block microneedling', input('microneedling', { visits: [visit('chemical-peel', '2025-05-26T10:00:00.000Z')] }), {
		blocks: false,
		hasNot: ['microneedling.chemical-peel-14']
	}],
	['a peel elsewhere with no date warns before microneedling', input('microneedling', { interview: interview(RECENTLY, { procedures: [{ kind: 'chemical-peel', date: null, where: 'elsewhere', note: '' }] }) }), {
		blocks: false,
		has: [{ ruleId: 'microneedling.chemical-peel-14', weight: 'warns', reason: 'date-unknown' }] as Partial<Warning>[]
	}],
	['a client aged 16 + IPL without a parent\'s consent blocks', input('ipl', { birthDate: '2009-01-10' }), {
		blocks: true,
		has: [{ ruleId: 'ipl.age-15', weight: 'blocks', entry: { type: 'age', age: 16, parentConsent: false } }] as Partial<Warning>[]
	}],
	['a client aged 16 + IPL with a parent\'s consent does not block on age', input('ipl', { birthDate: '2009-01-10', consents: [consent('parent-for-minor', '2025-06-01T10:00:00.000Z')] }), {
		blocks: false,
		hasNot: ['ipl.age-15']
	}],
	['a client aged 14 + IPL blocks even with a parent\'s consent', input('ipl', { birthDate: '2011-01-10', consents: [consent('parent-for-minor', '2025-06-01T10:00:00.000Z')] }), {
		blocks: true,
		has: [{ ruleId: 'ipl.age-15', entry: { type: 'age', age: 14, parentConsent: true } }] as Partial<Warning>[]
	}],
	['a withdrawn parent\'s consent does not count', input('ipl', { birthDate: '2009-01-10', consents: [consent('parent-for-minor', '2025-06-01T10:00:00.000Z', '2025-06-02T10:00:00.000Z')] }), {
		blocks: true,
		has: [{ ruleId: 'ipl.age-15' }] as Partial<Warning>[]
	}],
	['an unknown birth date warns on an age rule', input('ha-filler', { birthDate: null }), {
		blocks: false,
		has: [{ ruleId: 'ha-filler.age-18', weight: 'warns', reason: 'date-unknown' }] as Partial<Warning>[]
	}],
	['a failed patch test blocks a treatment that needs one', input('brow-lash-tint', { patchTests: [patchTest('pr-brow-tint', '2025-06-10', 'failed')] }), {
		blocks: true,
		has: [{ ruleId: 'brow-lash-tint.patch-test', weight: 'blocks', entry: { type: 'patch-test', productId: 'pr-brow-tint', date: '2025-06-10', result: 'failed' } }] as Partial<Warning>[]
	}],
	['an unread patch test blocks a treatment that needs one', input('brow-lash-tint', { patchTests: [patchTest('pr-brow-tint', '2025-06-14', 'not-read')] }), {
		blocks: true,
		has: [{ ruleId: 'brow-lash-tint.patch-test', entry: { type: 'patch-test', productId: 'pr-brow-tint', date: '2025-06-14', result: 'not-read' } }] as Partial<Warning>[]
	}],
	['a missing patch test blocks a treatment that needs one', input('brow-lash-tint'), {
		blocks: true,
		has: [{ ruleId: 'brow-lash-tint.patch-test', entry: { type: 'patch-test', productId: 'pr-brow-tint', date: null, result: 'missing' } }] as Partial<Warning>[]
	}],
	['a passed patch test lets a treatment that needs one start', input('brow-lash-tint', { patchTests: [patchTest('pr-brow-tint', '2025-06-10', 'passed')] }), {
		blocks: false,
		hasNot: ['brow-lash-tint.patch-test']
	}],
	['a treatment marked as needing a patch test blocks without one even with no patch-test rule', input('manicure', { treatment: { ...seedTreatment('manicure'), needsPatchTest: true } }), {
		blocks: true,
		has: [{ ruleId: 'patch-test', weight: 'blocks' }] as Partial<Warning>[]
	}],
	['no interview warns', input('manicure', { interview: null }), {
		blocks: false,
		has: [{ ruleId: 'interview-missing', weight: 'warns', entry: { type: 'interview', date: null } }] as Partial<Warning>[]
	}],
	['an interview older than 6 months warns', input('manicure', { interview: interview('2024-11-01T09:00:00.000Z') }), {
		blocks: false,
		has: [{ ruleId: 'interview-stale', weight: 'warns', entry: { type: 'interview', date: '2024-11-01' } }] as Partial<Warning>[]
	}],
	['a tan reported in the check blocks laser hair removal', input('laser-hair-removal', { check: { ...ALL_NO, tanOrSun: true } }), {
		blocks: true,
		has: [{ ruleId: 'laser-hair-removal.tan-28', weight: 'blocks', entry: { type: 'tan', date: TODAY } }] as Partial<Warning>[]
	}],
	['laser hair removal with nobody asking about a tan warns', input('laser-hair-removal', { check: null }), {
		blocks: false,
		has: [{ ruleId: 'laser-hair-removal.tan-28', weight: 'warns', reason: 'not-asked' }] as Partial<Warning>[]
	}],
	['active herpes reported in the check blocks IPL', input('ipl', { check: { ...ALL_NO, herpesNow: true } }), {
		blocks: true,
		has: [{ ruleId: 'ipl.active-infection', entry: { type: 'condition', condition: 'active-infection', source: 'check' } }] as Partial<Warning>[]
	}],
	['a new medication the check does not name warns', input('microneedling', { check: { ...ALL_NO, newMedication: true } }), {
		blocks: false,
		has: [{ ruleId: 'new-medication-undescribed', weight: 'warns', entry: { type: 'check', question: 'newMedication' } }] as Partial<Warning>[]
	}],
	['a healthy adult with a fresh interview gets no warning for IPL', input('ipl'), { blocks: false, has: [] }]
];

describe('contraindication rules', () => {
	it.each(CASES)('%s', (_, given, expected) => {
		const warnings = evaluateRules(given);
		expect(warnings.some((w) => w.weight === 'blocks')).toBe(expected.blocks);
		for (const w of expected.has ?? []) expect(warnings).toContainEqual(expect.objectContaining(w));
		for (const id of expected.hasNot ?? []) expect(warnings.map((w) => w.ruleId)).not.toContain(id);
		if (expected.has?.length === 0) expect(warnings).toEqual([]);
	});

	it.each(CASES)('gives the same warnings from the sealed summary: %s', (_, given) => {
		const summary = summariseClinical({ interviews: given.interview ? [given.interview] : [], visits: given.visits, patchTests: given.patchTests });
		const sealed = JSON.parse(JSON.stringify(summary));
		const activeConsents = given.consents.filter((c) => c.withdrawnAt === undefined).map((c) => c.kind);
		expect(evaluateFromSummary(sealed, { ...given, activeConsents })).toEqual(evaluateRules(given));
	});

	it('lists blocking warnings first, each naming its rule in Polish', () => {
		const warnings = evaluateRules(input('microneedling', { interview: isotretinoin('2025-03-15'), check: { ...ALL_NO, newMedication: true } }));
		expect(warnings[0]).toMatchObject({ weight: 'blocks', label: { pl: 'Izotretynoina lub inne retinoidy doustne (w ostatnich 183 dniach)' } });
		expect(warnings.at(-1)?.weight).toBe('warns');
	});

	it('treats a card with no clinical record as having no interview', () => {
		const treatment = seedTreatment('manicure');
		const warnings = evaluateFromSummary(null, { treatment, products: seedProductsOf(treatment), today: TODAY, birthDate: null, activeConsents: [] });
		expect(warnings.map((w) => w.ruleId)).toEqual(['interview-missing']);
	});

	it('refuses a "today" that is not a calendar date', () => {
		expect(() => evaluateRules(input('manicure', { today: '15.06.2025' }))).toThrow(expect.objectContaining({ reason: 'invalid-input' }));
	});
});
