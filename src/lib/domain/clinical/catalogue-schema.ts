// The stored shape of the catalogue (salon doc). Guarantees: a rule is written only with a
// trigger this version knows and sensible windows (whole days >= 0, ages 0-120); prices are PLN
// with at most two decimal places; reading skips a rule or entry this version cannot make sense
// of (a rule from a newer version with an unknown trigger is skipped, and listed by the caller).
import { CONDITIONS, MEDICATION_FLAGS, PROCEDURE_KINDS } from './interview';
import { intIn, isId, isLocalized, isObject, listOf, oneOf, type Check, type Fields } from './schema';

const DAYS = intIn(0, 36_500);
const AGE = intIn(0, 120);

/** Whether `v` is a rule trigger this version knows, with valid windows. */
export const isTrigger: Check = (v) => {
	if (!isObject(v)) return false;
	switch (v.type) {
		case 'condition':
			return oneOf(CONDITIONS)(v.condition);
		case 'medication-flag':
			return oneOf(MEDICATION_FLAGS)(v.flag) && DAYS(v.lookBackDays);
		case 'allergen':
			return isId(v.allergen);
		case 'recent-procedure':
			return oneOf(PROCEDURE_KINDS)(v.procedureKind) && DAYS(v.withinDays);
		case 'recent-tan':
			return DAYS(v.withinDays);
		case 'age':
			return AGE(v.min) && (v.requiresParentConsentBelow === undefined || AGE(v.requiresParentConsentBelow));
		case 'patch-test':
			return true;
		default:
			return false;
	}
};

/** A rule (stored as a plain object under its id in the treatment's 'rules' map). */
export const RULE_FIELDS: Fields = {
	id: { check: isId, required: true },
	label: { check: isLocalized, required: true },
	trigger: { check: isTrigger, required: true },
	weight: { check: oneOf(['blocks', 'warns']), required: true }
};

const isPrice: Check = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && Math.abs(Math.round(v * 100) - v * 100) < 1e-6;

/** A treatment's scalar fields (one key each in its map; rules live in a nested map). */
export const TREATMENT_FIELDS: Fields = {
	name: { check: (v) => isLocalized(v) && isId((v as { pl: string }).pl), required: true },
	category: { check: oneOf(['face', 'body', 'hair-removal', 'injection', 'hands-feet', 'brows-lashes']), fallback: () => 'face' },
	procedureKind: { check: oneOf(PROCEDURE_KINDS), fallback: () => 'other' },
	durationMin: { check: intIn(1, 24 * 60), fallback: () => 60 },
	pricePln: { check: isPrice, fallback: () => 0 },
	// Unreadable reads as true: asking for a patch test is the cautious mistake.
	needsPatchTest: { check: (v) => typeof v === 'boolean', fallback: () => true },
	productIds: listOf(isId),
	archived: { check: (v) => typeof v === 'boolean', fallback: () => false }
};

/** A product (one key per field in its map). */
export const PRODUCT_FIELDS: Fields = {
	name: { check: isId, required: true },
	brand: { check: (v) => typeof v === 'string', fallback: () => '' },
	allergens: listOf(isId),
	archived: { check: (v) => typeof v === 'boolean', fallback: () => false }
};
