// Day arithmetic on calendar dates (`YYYY-MM-DD`) for the contraindication rules. Guarantees:
// counts are whole calendar days with no time zone or DST in play (dates are turned into UTC
// midnights), an instant becomes a day in the salon's time zone, and a malformed date yields null
// rather than a number that would make a rule pass.
import { DEFAULT_TIME_ZONE, parseCalendarDate, todayIn } from '../dates';

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a calendar date, or null when it is not a real day. */
export function dayNumber(date: string): number | null {
	const d = parseCalendarDate(date);
	return d ? Date.UTC(d.year, d.month - 1, d.day) / MS_PER_DAY : null;
}

/** Whole days from `earlier` to `later` (negative when `earlier` is after), or null if either is malformed. */
export function daysBetween(earlier: string, later: string): number | null {
	const a = dayNumber(earlier);
	const b = dayNumber(later);
	return a === null || b === null ? null : b - a;
}

/** The calendar date `days` after `date` (before, when negative). */
export function addDays(date: string, days: number): string {
	const n = dayNumber(date);
	if (n === null) throw new RangeError(`not a calendar date: ${date}`);
	return new Date((n + days) * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Age in whole years on `today`; someone born on 29 February turns a year older on 1 March. */
export function ageOn(birthDate: string, today: string): number | null {
	const b = parseCalendarDate(birthDate);
	const t = parseCalendarDate(today);
	if (!b || !t) return null;
	const hadBirthday = t.month > b.month || (t.month === b.month && t.day >= b.day);
	return t.year - b.year - (hadBirthday ? 0 : 1);
}

/** The salon-local day of a UTC ISO instant. */
export function dayOfInstant(at: string, timeZone: string = DEFAULT_TIME_ZONE): string {
	return todayIn(timeZone, new Date(at));
}
