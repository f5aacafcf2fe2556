// The default catalogue from DOMAIN.md's contraindication table (not medical advice: the salon
// must review and may edit everything). Guarantees: every id is fixed and readable ('tr-ipl',
// 'ipl.tan-28'), so two devices that seed offline write the same entries; this data is frozen per
// release, since the seed in the salon doc is built from it deterministically (catalogue-doc.ts).
import type { AllergenId } from './allergens';
import type { Product, Rule, RuleWeight, Treatment, TreatmentCategory } from './catalogue';
import type { ProductId, RuleId, TreatmentId } from './ids';
import type { ConditionId, MedicationFlag, ProcedureKind } from './interview';
import { CONDITION_LABELS, MEDICATION_FLAG_LABELS, PROCEDURE_LABELS } from './labels';

type RuleOf = (key: string) => Rule;

const ruleId = (key: string, suffix: string) => `${key}.${suffix}` as RuleId;

function cond(condition: ConditionId, weight: RuleWeight): RuleOf {
	return (key) => ({ id: ruleId(key, condition), label: { ...CONDITION_LABELS[condition] }, trigger: { type: 'condition', condition }, weight });
}

function med(flag: MedicationFlag, lookBackDays: number, weight: RuleWeight): RuleOf {
	const l = MEDICATION_FLAG_LABELS[flag];
	return (key) => ({
		id: ruleId(key, `${flag}-${lookBackDays}`),
		label: { pl: `${l.pl} (w ostatnich ${lookBackDays} dniach)`, en: `${l.en} (in the last ${lookBackDays} days)` },
		trigger: { type: 'medication-flag', flag, lookBackDays },
		weight
	});
}

function recent(procedureKind: ProcedureKind, withinDays: number, weight: RuleWeight): RuleOf {
	const l = PROCEDURE_LABELS[procedureKind];
	return (key) => ({
		id: ruleId(key, `${procedureKind}-${withinDays}`),
		label: { pl: `${l.pl} w ostatnich ${withinDays} dniach`, en: `${l.en} in the last ${withinDays} days` },
		trigger: { type: 'recent-procedure', procedureKind, withinDays },
		weight
	});
}

function tan(withinDays: number, weight: RuleWeight): RuleOf {
	return (key) => ({
		id: ruleId(key, `tan-${withinDays}`),
		label: { pl: `Opalanie, solarium lub samoopalacz w ostatnich ${withinDays} dniach`, en: `Tan, solarium or self-tanner in the last ${withinDays} days` },
		trigger: { type: 'recent-tan', withinDays },
		weight
	});
}

function allergen(id: string, pl: string, en: string, weight: RuleWeight): RuleOf {
	return (key) => ({ id: ruleId(key, `allergen-${id}`), label: { pl, en }, trigger: { type: 'allergen', allergen: id as AllergenId }, weight });
}

function age(min: number, requiresParentConsentBelow?: number): RuleOf {
	const parent = requiresParentConsentBelow;
	return (key) => ({
		id: ruleId(key, `age-${min}`),
		label: parent
			? { pl: `Od ${min} lat; poniżej ${parent} lat tylko z pisemną zgodą rodzica`, en: `From age ${min}; under ${parent} only with a parent's written consent` }
			: { pl: `Od ${min} lat`, en: `From age ${min}` },
		trigger: parent ? { type: 'age', min, requiresParentConsentBelow: parent } : { type: 'age', min },
		weight: 'blocks'
	});
}

const patch: RuleOf = (key) => ({
	id: ruleId(key, 'patch-test'),
	label: { pl: 'Wymagana zaliczona próba uczuleniowa', en: 'A passed patch test is required' },
	trigger: { type: 'patch-test' },
	weight: 'blocks'
});

function treatment(
	key: string,
	name: [pl: string, en: string],
	category: TreatmentCategory,
	procedureKind: ProcedureKind,
	[durationMin, pricePln]: [number, number],
	products: string[],
	rules: RuleOf[]
): Treatment {
	const needsPatchTest = rules.includes(patch);
	return {
		id: `tr-${key}` as TreatmentId,
		name: { pl: name[0], en: name[1] },
		category,
		procedureKind,
		durationMin,
		pricePln,
		needsPatchTest,
		productIds: products.map((p) => `pr-${p}` as ProductId),
		rules: rules.map((r) => r(key)),
		archived: false
	};
}

function product(key: string, name: string, allergens: string[]): Product {
	return { id: `pr-${key}` as ProductId, name, brand: '', allergens: allergens as AllergenId[], archived: false };
}

/** Default products with their allergens (brand left for the salon to fill in). */
export const SEED_PRODUCTS: readonly Product[] = [
	product('glycolic-acid-35', 'Kwas glikolowy 35%', ['glycolic-acid']),
	product('mandelic-acid-40', 'Kwas migdałowy 40%', ['mandelic-acid']),
	product('salicylic-acid-20', 'Kwas salicylowy 20%', ['salicylic-acid']),
	product('ha-cocktail', 'Koktajl z kwasem hialuronowym', ['hyaluronic-acid']),
	product('anaesthetic-cream', 'Krem znieczulający z lidokainą', ['lidocaine']),
	product('ha-filler-lidocaine', 'Wypełniacz z kwasem hialuronowym i lidokainą', ['hyaluronic-acid', 'lidocaine']),
	product('cooling-gel', 'Żel chłodzący do zabiegów laserowych', []),
	product('hybrid-base', 'Baza do lakieru hybrydowego', ['acrylates']),
	product('latex-gloves', 'Rękawiczki lateksowe', ['latex']),
	product('enzyme-peel', 'Peeling enzymatyczny', ['fragrance', 'parabens']),
	product('brow-tint', 'Henna do brwi i rzęs', ['ppd'])
];

const NEEDLE_RULES: RuleOf[] = [
	cond('pregnancy-breastfeeding', 'warns'),
	cond('active-infection', 'blocks'),
	cond('diabetes', 'warns'),
	cond('cancer-chemotherapy', 'blocks'),
	cond('autoimmune', 'warns'),
	cond('vitiligo', 'warns'),
	cond('keloids', 'blocks'),
	cond('epilepsy', 'warns'),
	cond('clotting-disorder', 'blocks'),
	cond('heart-disease-pacemaker', 'warns'),
	cond('psoriasis', 'warns'),
	cond('eczema', 'warns'),
	med('anticoagulant', 7, 'blocks'),
	med('oral-retinoid', 183, 'blocks'),
	med('topical-acid-retinol', 7, 'warns'),
	recent('chemical-peel', 14, 'blocks')
];

const LIGHT_RULES: RuleOf[] = [
	cond('pregnancy-breastfeeding', 'blocks'),
	cond('active-infection', 'blocks'),
	cond('heart-disease-pacemaker', 'blocks'),
	cond('epilepsy', 'blocks'),
	cond('cancer-chemotherapy', 'blocks'),
	cond('vitiligo', 'warns'),
	cond('psoriasis', 'warns'),
	cond('eczema', 'warns'),
	cond('keloids', 'warns'),
	tan(28, 'blocks'),
	med('antibiotic', 28, 'blocks'),
	med('oral-retinoid', 183, 'blocks'),
	recent('waxing', 28, 'warns')
];

/** Default treatments with their contraindication rules (DOMAIN.md), plus a few simple ones. */
export const SEED_TREATMENTS: readonly Treatment[] = [
	treatment('chemical-peel', ['Peeling chemiczny', 'Chemical peel'], 'face', 'chemical-peel', [45, 250], ['glycolic-acid-35', 'mandelic-acid-40', 'salicylic-acid-20'], [
		cond('pregnancy-breastfeeding', 'blocks'),
		cond('active-infection', 'blocks'),
		cond('herpes-tendency', 'warns'),
		cond('keloids', 'warns'),
		cond('autoimmune', 'warns'),
		med('oral-retinoid', 365, 'blocks'),
		med('photosensitising', 14, 'warns'),
		recent('facial-surgery', 60, 'blocks'),
		patch
	]),
	treatment('microneedling', ['Mikronakłuwanie', 'Microneedling'], 'face', 'microneedling', [60, 350], ['ha-cocktail', 'anaesthetic-cream'], NEEDLE_RULES),
	treatment('mesotherapy', ['Mezoterapia igłowa', 'Needle mesotherapy'], 'face', 'mesotherapy', [45, 400], ['ha-cocktail'], NEEDLE_RULES),
	treatment('laser-hair-removal', ['Depilacja laserowa', 'Laser hair removal'], 'hair-removal', 'laser-hair-removal', [60, 400], ['cooling-gel'], [
		...LIGHT_RULES,
		med('photosensitising', 14, 'blocks'),
		med('topical-acid-retinol', 28, 'warns')
	]),
	treatment('ipl', ['IPL', 'IPL'], 'face', 'ipl', [45, 300], ['cooling-gel'], [
		...LIGHT_RULES,
		cond('metal-implants', 'warns'),
		cond('diabetes', 'warns'),
		med('photosensitising', 183, 'blocks'),
		med('topical-acid-retinol', 30, 'warns'),
		med('anticoagulant', 10, 'blocks'),
		med('nsaid', 10, 'warns'),
		recent('chemical-peel', 90, 'warns'),
		recent('laser-resurfacing', 90, 'blocks'),
		age(15, 18)
	]),
	treatment('microdermabrasion', ['Mikrodermabrazja', 'Microdermabrasion'], 'face', 'microdermabrasion', [45, 180], [], [
		cond('active-infection', 'blocks'),
		cond('cancer-chemotherapy', 'blocks'),
		cond('pregnancy-breastfeeding', 'warns'),
		cond('herpes-tendency', 'warns'),
		cond('eczema', 'warns'),
		med('oral-retinoid', 365, 'blocks')
	]),
	treatment('ha-filler', ['Wypełniacz z kwasem hialuronowym', 'Hyaluronic-acid filler'], 'injection', 'filler', [45, 1200], ['ha-filler-lidocaine'], [
		cond('pregnancy-breastfeeding', 'blocks'),
		cond('active-infection', 'blocks'),
		cond('cancer-chemotherapy', 'blocks'),
		cond('clotting-disorder', 'blocks'),
		cond('autoimmune', 'warns'),
		cond('diabetes', 'warns'),
		med('anticoagulant', 7, 'blocks'),
		recent('dental', 14, 'warns'),
		allergen('hyaluronic-acid', 'Nadwrażliwość na kwas hialuronowy', 'Hypersensitivity to hyaluronic acid', 'blocks'),
		allergen('lidocaine', 'Uczulenie na lidokainę', 'Allergy to lidocaine', 'blocks'),
		age(18)
	]),
	treatment('facial-cleansing', ['Oczyszczanie twarzy', 'Facial cleansing'], 'face', 'facial', [75, 200], ['latex-gloves', 'enzyme-peel'], [
		cond('active-infection', 'warns'),
		med('oral-retinoid', 183, 'warns')
	]),
	treatment('manicure', ['Manicure hybrydowy', 'Gel manicure'], 'hands-feet', 'manicure', [60, 120], ['hybrid-base', 'latex-gloves'], [
		cond('active-infection', 'warns')
	]),
	treatment('brow-lash-tint', ['Henna brwi i rzęs', 'Brow and lash tint'], 'brows-lashes', 'brow-lash-tint', [30, 60], ['brow-tint'], [
		cond('active-infection', 'warns'),
		patch
	])
];
