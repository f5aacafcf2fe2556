// Calendar dates (`YYYY-MM-DD`, no time zone) as the domain uses them. Guarantees: a string
// accepted here names a day that exists in the Gregorian calendar, and "today" is the day in
// the salon's time zone, not the device's or UTC's.

/** The time zone a salon gets unless it sets another. */
export const DEFAULT_TIME_ZONE = 'Europe/Warsaw';

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Splits a calendar date into numbers, or returns null when it is not a real `YYYY-MM-DD` day. */
export function parseCalendarDate(s: string): { year: number; month: number; day: number } | null {
	const m = CALENDAR_DATE.exec(s);
	if (!m) return null;
	const year = Number(m[1]);
	const month = Number(m[2]);
	const day = Number(m[3]);
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
	return { year, month, day };
}

/** Whether `s` is a real day written as `YYYY-MM-DD` ("2023-02-29" is not). */
export function isCalendarDate(s: string): boolean {
	return parseCalendarDate(s) !== null;
}

/** Whether `year` has a 29 February. */
export function isLeapYear(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The number of days of a month (1-12) of a year. */
export function daysInMonth(year: number, month: number): number {
	return month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** The calendar date of `now` in `timeZone` (the salon's), as `YYYY-MM-DD`. */
export function todayIn(timeZone: string = DEFAULT_TIME_ZONE, now: Date = new Date()): string {
	// en-CA formats dates as YYYY-MM-DD; formatToParts avoids relying even on that.
	const parts = new Intl.DateTimeFormat('en-CA', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit'
	}).formatToParts(now);
	const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	return `${part('year')}-${part('month')}-${part('day')}`;
}
