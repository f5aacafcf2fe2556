import { describe, expect, it } from 'vitest';
import * as factories from '../../../tests/factories/clients';
import { makeClientProfile } from './synthetic';
import { validateProfile } from './validation';

const SEEDS = Array.from({ length: 500 }, (_, i) => i + 1);

describe('synthetic clients', () => {
	it('gives the same client for the same seed', () => {
		expect(makeClientProfile(42)).toEqual(makeClientProfile(42));
		expect(makeClientProfile(42)).not.toEqual(makeClientProfile(43));
	});

	it('makes only clients that pass validation, with E.164 Polish mobiles', () => {
		for (const seed of SEEDS) {
			const p = makeClientProfile(seed);
			expect(validateProfile(p, '2025-06-15')).toEqual({});
			expect(p.phone).toMatch(/^\+48[567]\d{8}$/);
		}
	});

	it('uses Polish diacritics in names and plain ASCII in e-mails on example domains', () => {
		const profiles = SEEDS.map(makeClientProfile);
		expect(profiles.some((p) => /[ąćęłńóśźż]/i.test(p.firstName + p.lastName))).toBe(true);
		for (const p of profiles.filter((p) => p.email)) expect(p.email).toMatch(/^[a-z0-9.]+@example\.(com|net|org)$/);
	});

	it('gives birth dates between 1950 and 2008, and some notes', () => {
		const profiles = SEEDS.map(makeClientProfile);
		const years = profiles.flatMap((p) => (p.birthDate ? [Number(p.birthDate.slice(0, 4))] : []));
		expect(Math.min(...years)).toBeGreaterThanOrEqual(1950);
		expect(Math.max(...years)).toBeLessThanOrEqual(2008);
		expect(profiles.some((p) => p.note !== '')).toBe(true);
	});

	it('is what the test factories hand out', () => {
		expect(factories.makeClientProfile).toBe(makeClientProfile);
		expect(factories.makeClientSummary(3)).toMatchObject({ id: factories.makeClientId(3), archived: makeClientProfile(3).archived });
	});
});
