// The stored shape of clinical records, as field specs. Guarantees: a local write is checked
// strictly (a wrong type, a missing required field or an unknown field throws 'invalid-input':
// it is a bug), while a read accepts anything a peer or a newer version stored: a malformed
// optional field reads as its fallback, list items that make no sense are skipped, and a record
// without its required fields (when, who, what) is skipped whole rather than guessed.
import { isCalendarDate } from '../dates';
import { AppError } from '../errors';
import { isSignature, CONSENT_KINDS } from './consent';
import { CONDITIONS, MEDICATION_FLAGS, PROCEDURE_KINDS } from './interview';

/** A check of one stored value. */
export type Check = (v: unknown) => boolean;

/** How a field is checked, read back, and what it reads as when missing or malformed. */
export interface Field {
	check: Check;
	fallback?: () => unknown;
	/** A required field that fails makes the whole record unreadable (skipped). */
	required?: boolean;
	/** May be absent on write; omitted on read when absent or malformed. */
	optional?: boolean;
	/** Turns a stored value into a fresh domain value (lists drop bad items, objects drop unknown keys). */
	read?: (v: unknown) => unknown;
}

/** The fields of a record, by key. */
export type Fields = Record<string, Field>;

// Exactly the form of Date.toISOString(), so comparing strings orders by time.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A string. */
export const isText: Check = (v) => typeof v === 'string';
/** A non-empty string (ids, names that must be there). */
export const isId: Check = (v) => typeof v === 'string' && v.trim() !== '';
/** A UTC instant as Date.toISOString() writes it. */
export const isInstant: Check = (v) => typeof v === 'string' && ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v));
/** A real `YYYY-MM-DD` day. */
export const isDate: Check = (v) => typeof v === 'string' && isCalendarDate(v);
/** One of `values`. */
export const oneOf = (values: readonly unknown[]): Check => (v) => values.includes(v);
/** null, or what `check` accepts. */
export const orNull = (check: Check): Check => (v) => v === null || check(v);
/** An integer within [min, max]. */
export const intIn = (min: number, max: number): Check => (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isBool: Check = (v) => typeof v === 'boolean';
const isLocalized: Check = (v) => isObject(v) && typeof v.pl === 'string' && typeof v.en === 'string';

function field(check: Check, fallback: unknown): Field {
	return { check, fallback: () => structuredClone(fallback) };
}
const required = (check: Check): Field => ({ check, required: true });
const text = () => field(isText, '');

/** A list whose items `item` accepts on write; on read, items that make no sense are dropped. */
export function listOf(item: Check | Fields): Field {
	if (typeof item === 'function') {
		return { check: (v) => Array.isArray(v) && v.every(item), fallback: () => [], read: (v) => (Array.isArray(v) ? v.filter(item).map((x) => structuredClone(x)) : []) };
	}
	return {
		check: (v) => Array.isArray(v) && v.every((x) => isObject(x) && fieldsFit(item, x)),
		fallback: () => [],
		// Item by item: a bad optional field falls back, a bad required one drops only that item.
		read: (v) => (Array.isArray(v) ? v.filter(isObject).map((x) => readFields(item, x)).filter((x) => x !== null) : [])
	};
}

/** A plain object with `fields`; on read, each field falls back on its own. */
export function objectOf(fields: Fields, fallback: () => unknown): Field {
	return { check: (v) => isObject(v) && fieldsFit(fields, v), fallback, read: (v) => (isObject(v) ? readFields(fields, v) ?? fallback() : fallback()) };
}

function fieldsFit(fields: Fields, v: Record<string, unknown>): boolean {
	return Object.entries(fields).every(([k, f]) => (f.optional && v[k] === undefined) || f.check(v[k]));
}

/** Throws 'invalid-input' unless `value` has exactly the known fields, each valid. */
export function assertFields(fields: Fields, value: Record<string, unknown>, what: string): void {
	for (const key of Object.keys(value)) if (!(key in fields)) throw new AppError('invalid-input', `schema: unknown field ${what}.${key}`);
	for (const [key, f] of Object.entries(fields)) {
		if (f.optional && value[key] === undefined) continue;
		if (!f.check(value[key])) throw new AppError('invalid-input', `schema: ${what}.${key} = ${JSON.stringify(value[key])}`);
	}
}

/** Reads a stored record field by field, or null when a required field is missing or malformed. */
export function readFields(fields: Fields, stored: Record<string, unknown> | ((key: string) => unknown)): Record<string, unknown> | null {
	const get = typeof stored === 'function' ? stored : (key: string) => stored[key];
	const out: Record<string, unknown> = {};
	for (const [key, f] of Object.entries(fields)) {
		const v = get(key);
		if (f.check(v)) out[key] = f.read ? f.read(v) : structuredClone(v);
		else if (f.required) return null;
		else if (f.read && v !== undefined && !f.optional) out[key] = f.read(v);
		else if (!f.optional) out[key] = f.fallback ? f.fallback() : null;
	}
	return out;
}

const MEDICATION: Fields = {
	name: required(isId),
	since: field(orNull(isDate), null),
	lastTaken: field((v) => v === null || v === 'ongoing' || isDate(v), null),
	flags: listOf(oneOf(MEDICATION_FLAGS))
};
const PROCEDURE: Fields = {
	kind: required(oneOf(PROCEDURE_KINDS)),
	date: field(orNull(isDate), null),
	where: field(oneOf(['this-salon', 'elsewhere']), 'elsewhere'),
	note: text()
};
const ALLERGY: Fields = {
	allergen: field(orNull(isId), null),
	text: text(),
	reaction: text(),
	severity: field(orNull(oneOf(['mild', 'moderate', 'severe'])), null)
};
const SIGNATURE: Field = { check: isSignature, required: true };

/** A health interview (the id is the map key). */
export const INTERVIEW_FIELDS: Fields = {
	at: required(isInstant),
	staff: required(isId),
	conditions: listOf(oneOf(CONDITIONS)),
	allergies: listOf(ALLERGY),
	medications: listOf(MEDICATION),
	procedures: listOf(PROCEDURE),
	notes: text(),
	// A stored interview is always confirmed: an unconfirmed one cannot be written.
	statementConfirmed: { check: (v) => v === true, required: true },
	signature: SIGNATURE
};

/** A patch test; an unreadable result reads as 'not-read', the cautious answer. */
export const PATCH_TEST_FIELDS: Fields = {
	productId: required(isId),
	productName: text(),
	date: required(isDate),
	result: field(oneOf(['passed', 'failed', 'not-read']), 'not-read'),
	staff: required(isId),
	notes: text()
};

/** A skin assessment. */
export const SKIN_FIELDS: Fields = {
	at: required(isInstant),
	staff: required(isId),
	skinType: field(orNull(oneOf(['normal', 'dry', 'oily', 'combination', 'sensitive'])), null),
	phototype: field(orNull(intIn(1, 6)), null),
	problems: listOf(isId),
	notes: text()
};

/** A lifestyle and home-care entry. */
export const LIFESTYLE_FIELDS: Fields = {
	at: required(isInstant),
	staff: required(isId),
	...Object.fromEntries(['diet', 'water', 'smoking', 'alcohol', 'sunAndSolarium', 'sleep', 'stress', 'activity', 'homeCare'].map((k) => [k, text()]))
};

const BOOL_OR_NULL = () => field(orNull(isBool), null);
/** The pre-treatment check. */
export const CHECK_FIELDS: Fields = {
	newMedication: BOOL_OR_NULL(),
	medications: listOf(MEDICATION),
	pregnancy: BOOL_OR_NULL(),
	tanOrSun: BOOL_OR_NULL(),
	tanDate: field(orNull(isDate), null),
	herpesNow: BOOL_OR_NULL(),
	procedureElsewhere: BOOL_OR_NULL(),
	procedures: listOf(PROCEDURE),
	note: text()
};

// Warnings are a snapshot of what was shown: kept as stored, only their core checked.
const isWarning: Check = (v) => isObject(v) && isId(v.ruleId) && isLocalized(v.label) && oneOf(['blocks', 'warns'])(v.weight) && isObject(v.entry);

/** The start of a visit, stored as one plain object under the visit's 'started' key. */
export const VISIT_START_FIELDS: Fields = {
	at: required(isInstant),
	staff: required(isId),
	treatmentId: required(isId),
	treatmentName: text(),
	procedureKind: field(oneOf(PROCEDURE_KINDS), 'other'),
	check: objectOf(CHECK_FIELDS, () => readFields(CHECK_FIELDS, {})),
	warnings: listOf(isWarning),
	overrideReason: field(orNull(isId), null)
};

/** The completion of a visit, one key per field in the visit's map, so edits merge per field. */
export const VISIT_COMPLETION_FIELDS: Fields = {
	completedAt: required(isInstant),
	completedBy: required(isId),
	area: text(),
	products: listOf({ productId: field(orNull(isId), null), name: required(isId), batch: text(), expiry: field(orNull(isDate), null) }),
	parameters: field((v) => isObject(v) && Object.values(v).every(isText), {}),
	notes: text(),
	reaction: text(),
	satisfaction: field(orNull(intIn(1, 5)), null),
	recommendations: text(),
	nextVisit: field(orNull(isDate), null)
};

/** A consent record (the id is the map key); withdrawal fields are optional. */
export const CONSENT_FIELDS: Fields = {
	kind: required(oneOf(CONSENT_KINDS)),
	templateId: required(isId),
	templateVersion: required(intIn(1, Number.MAX_SAFE_INTEGER)),
	givenAt: required(isInstant),
	staff: required(isId),
	signature: SIGNATURE,
	signerName: text(),
	withdrawnAt: { check: isInstant, optional: true },
	withdrawnBy: { check: isId, optional: true }
};

/** A consent template version, stored whole and never changed. */
export const TEMPLATE_FIELDS: Fields = {
	templateId: required(isId),
	version: required(intIn(1, Number.MAX_SAFE_INTEGER)),
	kind: required(oneOf(CONSENT_KINDS)),
	title: required(isLocalized),
	text: required(isLocalized),
	createdAt: required(isInstant)
};

export { isLocalized, isObject };
