import { describe, expect, it } from 'vitest';
import { addDays, ageOn, dayOfInstant, daysBetween } from './days';

describe('clinical day arithmetic', () => {
	it('counts whole calendar days across a DST change and a leap day', () => {
		expect(daysBetween('2025-03-29', '2025-03-31')).toBe(2);
		expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
		expect(daysBetween('2025-06-15', '2025-06-08')).toBe(-7);
	});

	it('yields null for a malformed date rather than a number', () => {
		expect(daysBetween('2025-02-30', '2025-03-01')).toBeNull();
		expect(ageOn('wczoraj', '2025-01-01')).toBeNull();
	});

	it('adds days', () => {
		expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
		expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
	});

	it('turns a year older on the birthday, and on 1 March for a 29 February birthday', () => {
		expect(ageOn('2009-06-15', '2025-06-14')).toBe(15);
		expect(ageOn('2009-06-15', '2025-06-15')).toBe(16);
		expect(ageOn('2008-02-29', '2025-02-28')).toBe(16);
		expect(ageOn('2008-02-29', '2025-03-01')).toBe(17);
	});

	it('takes the day of an instant in the salon time zone', () => {
		expect(dayOfInstant('2025-06-14T22:30:00.000Z')).toBe('2025-06-15');
		expect(dayOfInstant('2025-06-14T22:30:00.000Z', 'UTC')).toBe('2025-06-14');
	});
});
