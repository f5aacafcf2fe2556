// Validation of what staff type into a card. Guarantees: a phone that passes is stored as
// E.164 (Polish numbers get +48 by default), every failure is an i18n message key the UI can
// show next to the field, and nothing here reads the clock unless no "today" is given.
import type { ClientProfile, ProfileField } from './client';
import { DEFAULT_TIME_ZONE, parseCalendarDate, isLeapYear, todayIn } from './dates';
import { AppError } from './errors';

export { assessPassphrase, type PassphraseAssessment } from './passphrase';

/** A phone number in E.164 form (`+48600100200`). */
export type E164 = string & { readonly __brand: 'E164' };

/** The result of a check: the normalised value, or the reason it was refused. */
export type Checked<T, R extends string> = { ok: true; value: T } | { ok: false; reason: R };

/** An i18n message key explaining why a profile field is refused. */
export type ProfileErrorKey =
	| 'error.firstNameRequired'
	| 'error.lastNameRequired'
	| 'error.phoneInvalid'
	| 'error.emailInvalid'
	| 'error.birthDateInvalid';

/** Refused fields of a profile; an empty object means the profile can be saved. */
export type ProfileErrors = Partial<Record<ProfileField, ProfileErrorKey>>;

const POLISH_CODE = '48';
// Polish numbers have 9 national digits and no trunk 0; E.164 allows at most 15 digits in all.
const POLISH_NATIONAL = /^[1-9]\d{8}$/;
const INTERNATIONAL = /^[1-9]\d{7,14}$/;
const PHONE_PUNCTUATION = /[\s\-().\/]/g;
const EARLIEST_BIRTH_DATE = '1900-01-01';

/** Normalises a typed phone number to E.164; a number without a country code is Polish. */
export function normalizePhone(input: string): Checked<E164, 'phone-invalid'> {
	const invalid = { ok: false, reason: 'phone-invalid' } as const;
	let s = input.trim().replace(PHONE_PUNCTUATION, '');
	let hasCountryCode = false;
	if (s.startsWith('+')) {
		s = s.slice(1);
		hasCountryCode = true;
	} else if (s.startsWith('00')) {
		s = s.slice(2);
		hasCountryCode = true;
	}
	if (!/^\d+$/.test(s)) return invalid;
	if (!hasCountryCode) {
		if (POLISH_NATIONAL.test(s)) return { ok: true, value: `+${POLISH_CODE}${s}` as E164 };
		// "48600100200": the + was left out; only a Polish national number may follow.
		if (s.startsWith(POLISH_CODE) && POLISH_NATIONAL.test(s.slice(2))) return { ok: true, value: `+${s}` as E164 };
		return invalid;
	}
	if (s.startsWith(POLISH_CODE)) {
		return POLISH_NATIONAL.test(s.slice(2)) ? { ok: true, value: `+${s}` as E164 } : invalid;
	}
	return INTERNATIONAL.test(s) ? { ok: true, value: `+${s}` as E164 } : invalid;
}

/** Formats an E.164 number for display: "+48 600 100 200"; other countries stay as stored. */
export function formatPhone(e164: string): string {
	const m = /^\+48(\d{3})(\d{3})(\d{3})$/.exec(e164);
	// Grouping of foreign numbers depends on the country; showing them unformatted is never wrong.
	return m ? `+48 ${m[1]} ${m[2]} ${m[3]}` : e164;
}

/** Checks an e-mail pragmatically (one @, a dotted domain, no spaces); returns it trimmed. */
export function validateEmail(input: string): Checked<string, 'email-invalid'> {
	const email = input.trim();
	const invalid = { ok: false, reason: 'email-invalid' } as const;
	if (/\s/.test(email)) return invalid;
	const parts = email.split('@');
	if (parts.length !== 2) return invalid;
	const [local, domain] = parts;
	if (local === '' || domain.length < 4) return invalid;
	const labels = domain.split('.');
	if (labels.length < 2 || labels.some((label) => label === '')) return invalid;
	if (labels[labels.length - 1].length < 2) return invalid;
	return { ok: true, value: email };
}

/** Checks a birth date: a real `YYYY-MM-DD` day, not before 1900, not after `today`. */
export function validateBirthDate(
	input: string,
	today: string = todayIn(DEFAULT_TIME_ZONE)
): Checked<string, 'birth-date-invalid'> {
	const date = input.trim();
	if (!parseCalendarDate(date) || date < EARLIEST_BIRTH_DATE || date > today) {
		return { ok: false, reason: 'birth-date-invalid' };
	}
	return { ok: true, value: date };
}

/** Age in full years on `today`; throws `invalid-input` on a malformed date (a bug upstream). */
export function ageOn(birthDate: string, today: string): number {
	const birth = parseCalendarDate(birthDate);
	const day = parseCalendarDate(today);
	if (!birth || !day) throw new AppError('invalid-input', `ageOn(${birthDate}, ${today})`);
	// Art. 112 KC: someone born on 29 February is a year older on 28 February of a common year.
	const birthdayDay = birth.month === 2 && birth.day === 29 && !isLeapYear(day.year) ? 28 : birth.day;
	const hadBirthday = day.month > birth.month || (day.month === birth.month && day.day >= birthdayDay);
	return day.year - birth.year - (hadBirthday ? 0 : 1);
}

/** Checks a profile before saving; returns the refused fields with a message key each. */
export function validateProfile(
	profile: ClientProfile,
	today: string = todayIn(DEFAULT_TIME_ZONE)
): ProfileErrors {
	const errors: ProfileErrors = {};
	if (profile.firstName.trim() === '') errors.firstName = 'error.firstNameRequired';
	if (profile.lastName.trim() === '') errors.lastName = 'error.lastNameRequired';
	// Phone, e-mail and birth date are optional: only a filled-in value can be wrong.
	if (profile.phone.trim() !== '' && !normalizePhone(profile.phone).ok) errors.phone = 'error.phoneInvalid';
	if (profile.email.trim() !== '' && !validateEmail(profile.email).ok) errors.email = 'error.emailInvalid';
	if (profile.birthDate !== null && profile.birthDate.trim() !== '' && !validateBirthDate(profile.birthDate, today).ok) {
		errors.birthDate = 'error.birthDateInvalid';
	}
	return errors;
}

/** Whether a profile has no refused field. */
export function isProfileValid(profile: ClientProfile, today?: string): boolean {
	return Object.keys(validateProfile(profile, today)).length === 0;
}

/** The stored form of a valid profile: trimmed text, E.164 phone, null for no birth date; throws `invalid-input` if invalid. */
export function normalizeProfile(profile: ClientProfile, today?: string): ClientProfile {
	const errors = validateProfile(profile, today);
	if (Object.keys(errors).length > 0) throw new AppError('invalid-input', JSON.stringify(errors));
	const phone = profile.phone.trim();
	const birthDate = profile.birthDate?.trim() ?? '';
	return {
		...profile,
		firstName: profile.firstName.trim(),
		lastName: profile.lastName.trim(),
		// The doc accepts only E.164: the form shows "+48 600 100 200", the card stores "+48600100200".
		phone: phone === '' ? '' : (normalizePhone(phone) as { value: E164 }).value,
		email: profile.email.trim(),
		address: profile.address.trim(),
		birthDate: birthDate === '' ? null : birthDate
	};
}

/** Whether a screen-lock PIN has the right form: 4 to 6 digits. */
export function isPinValid(pin: string): boolean {
	return /^\d{4,6}$/.test(pin);
}
