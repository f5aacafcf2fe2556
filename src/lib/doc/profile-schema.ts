// The value rules of the profile doc. Guarantees: a local write is checked strictly (a wrong
// type or shape throws, it is a bug), while reading accepts anything a peer or a future version
// may have stored and falls back to the empty profile's value.
import { emptyProfile, type ChangeRecord, type ContactChannel, type ProfileField } from '../domain/client';
import { isCalendarDate } from '../domain/dates';
import { failSchema } from './doc-version';

const CONTACT_CHANNELS: readonly ContactChannel[] = ['phone', 'sms', 'email', 'none'];
const E164_OR_EMPTY = /^(\+[1-9]\d{7,14})?$/;
// Exactly the form of Date.toISOString(), so comparing strings orders history by time.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Whether `value` is allowed in `field` (the stored form: E.164 phone, `YYYY-MM-DD` or null date). */
export function isProfileValue(field: ProfileField, value: unknown): boolean {
	switch (field) {
		case 'birthDate':
			return value === null || (typeof value === 'string' && isCalendarDate(value));
		case 'phone':
			return typeof value === 'string' && E164_OR_EMPTY.test(value);
		case 'contactChannel':
			return CONTACT_CHANNELS.includes(value as ContactChannel);
		case 'archived':
			return typeof value === 'boolean';
		default:
			return typeof value === 'string';
	}
}

/** Throws unless `value` may be written to `field`. */
export function assertProfileValue(field: ProfileField, value: unknown): void {
	if (!isProfileValue(field, value)) failSchema(`profile.${field} = ${JSON.stringify(value)}`);
}

/** Reads a stored value, or the empty profile's value when it is missing or malformed. */
export function readProfileValue(field: ProfileField, value: unknown): unknown {
	return isProfileValue(field, value) ? value : emptyProfile()[field];
}

/** Throws unless the author of a save is complete (a UTC instant, staff, device). */
export function assertChange(change: Omit<ChangeRecord, 'fields'>): void {
	if (typeof change.at !== 'string' || !ISO_INSTANT.test(change.at)) failSchema(`change.at = ${change.at}`);
	for (const key of ['staff', 'staffName', 'device'] as const) {
		if (typeof change[key] !== 'string' || change[key] === '') failSchema(`change.${key} missing`);
	}
}

/** Reads one history entry as a fresh object, or null when it is malformed. */
export function readChangeRecord(value: unknown): ChangeRecord | null {
	if (typeof value !== 'object' || value === null) return null;
	const r = value as Record<string, unknown>;
	if (typeof r.at !== 'string' || typeof r.staff !== 'string' || typeof r.device !== 'string') return null;
	if (!Array.isArray(r.fields)) return null;
	// A copy: the stored object belongs to Yjs, and mutating it would diverge from peers silently.
	return {
		at: r.at,
		staff: r.staff as ChangeRecord['staff'],
		staffName: typeof r.staffName === 'string' ? r.staffName : '',
		device: r.device as ChangeRecord['device'],
		fields: r.fields.filter((f): f is string => typeof f === 'string')
	};
}
