import { describe, expect, it } from 'vitest';
import { assertFields, INTERVIEW_FIELDS, PATCH_TEST_FIELDS, readFields, VISIT_START_FIELDS } from './schema';
import { interview, visit } from './test-fixtures';

const stored = (): Record<string, unknown> => {
	const { id: _, ...rest } = interview('2025-05-01T10:00:00.000Z', {
		medications: [{ name: 'Izotretynoina', since: null, lastTaken: '2025-02-01', flags: ['oral-retinoid'] }]
	});
	return rest;
};

describe('clinical schema', () => {
	it('accepts a valid interview and reads it back unchanged', () => {
		assertFields(INTERVIEW_FIELDS, stored(), 'interview');
		expect(readFields(INTERVIEW_FIELDS, stored())).toEqual(stored());
	});

	it.each<[string, Record<string, unknown>]>([
		['an unconfirmed statement', { statementConfirmed: false }],
		['a missing signature', { signature: null }],
		['a local time instead of a UTC instant', { at: '2025-05-01 10:00' }],
		['an unknown condition', { conditions: ['grypa'] }],
		['an impossible last-taken date', { medications: [{ name: 'X', since: null, lastTaken: '2025-02-30', flags: [] }] }],
		['a field the interview does not have', { mood: 'dobry' }]
	])('refuses to write an interview with %s', (_, patch) => {
		expect(() => assertFields(INTERVIEW_FIELDS, { ...stored(), ...patch }, 'interview')).toThrow(expect.objectContaining({ reason: 'invalid-input' }));
	});

	it('reads a malformed optional field as its fallback and drops list items that make no sense', () => {
		const read = readFields(INTERVIEW_FIELDS, {
			...stored(),
			notes: 42,
			conditions: ['diabetes', 'grypa'],
			medications: [{ name: 'Izotretynoina', lastTaken: 'kiedyś', flags: ['oral-retinoid', 'magic'] }, { lastTaken: 'ongoing' }]
		});
		expect(read).toMatchObject({
			notes: '',
			conditions: ['diabetes'],
			// An unreadable date reads as unknown, which the rules treat as a warning, never a pass.
			medications: [{ name: 'Izotretynoina', since: null, lastTaken: null, flags: ['oral-retinoid'] }]
		});
	});

	it('skips a record without its required fields rather than guessing them', () => {
		expect(readFields(INTERVIEW_FIELDS, { ...stored(), at: undefined })).toBeNull();
		expect(readFields(PATCH_TEST_FIELDS, { productId: 'pr-x', date: '2025-01-01', staff: 's' })).toMatchObject({ result: 'not-read' });
	});

	it('reads a visit start with a check from a newer version, keeping what it knows', () => {
		const { started } = visit('manicure', '2025-05-01T10:00:00.000Z');
		const read = readFields(VISIT_START_FIELDS, { ...started, check: { ...started.check, pregnancy: 'maybe', sleptWell: true } });
		expect(read?.check).toMatchObject({ pregnancy: null, herpesNow: false });
	});
});
