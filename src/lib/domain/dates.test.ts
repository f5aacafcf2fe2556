import { describe, expect, it } from 'vitest';
import { daysInMonth, isCalendarDate, isLeapYear, parseCalendarDate, todayIn } from './dates';

describe('calendar dates', () => {
	it.each(['2024-02-29', '2000-02-29', '1999-12-31', '1900-01-01'])('accepts the real day %s', (date) => {
		expect(isCalendarDate(date)).toBe(true);
	});

	it.each(['2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-00-01', '2024-1-01', '2024-01-01T00:00', ''])(
		'refuses "%s"',
		(date) => {
			expect(isCalendarDate(date)).toBe(false);
		}
	);

	it('splits a date into numbers', () => {
		expect(parseCalendarDate('2024-03-09')).toEqual({ year: 2024, month: 3, day: 9 });
	});

	it('knows the Gregorian leap years', () => {
		expect([1900, 2000, 2023, 2024].map(isLeapYear)).toEqual([false, true, false, true]);
		expect(daysInMonth(2024, 2)).toBe(29);
		expect(daysInMonth(2023, 2)).toBe(28);
	});
});

describe('todayIn', () => {
	it('takes the day from the salon time zone, not UTC', () => {
		// 23:30 UTC on 31 Dec is already 1 Jan in Warsaw (UTC+1 in winter).
		const now = new Date('2024-12-31T23:30:00Z');
		expect(todayIn('Europe/Warsaw', now)).toBe('2025-01-01');
		expect(todayIn('UTC', now)).toBe('2024-12-31');
	});

	it('defaults to Europe/Warsaw', () => {
		const now = new Date('2024-06-30T22:30:00Z');
		expect(todayIn(undefined, now)).toBe('2024-07-01');
	});
});
