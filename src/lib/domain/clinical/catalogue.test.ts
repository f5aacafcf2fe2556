import { describe, expect, it } from 'vitest';
import { isTreatmentInputValid, roundPrice } from './catalogue';

describe('treatment input', () => {
	it.each([
		[{ name: 'Peeling', durationMin: 45, pricePln: 180 }, true],
		[{ name: 'Peeling', durationMin: 45, pricePln: 0 }, true],
		[{ name: '  ', durationMin: 45, pricePln: 180 }, false],
		[{ name: 'Peeling', durationMin: 0, pricePln: 180 }, false],
		[{ name: 'Peeling', durationMin: 45.5, pricePln: 180 }, false],
		[{ name: 'Peeling', durationMin: Number.NaN, pricePln: 180 }, false],
		[{ name: 'Peeling', durationMin: 45, pricePln: -1 }, false],
		[{ name: 'Peeling', durationMin: 45, pricePln: Number.NaN }, false]
	])('%o can be saved: %s', (input, expected) => {
		expect(isTreatmentInputValid(input)).toBe(expected);
	});

	it('stores prices to the grosz', () => {
		expect(roundPrice(199.999)).toBe(200);
		expect(roundPrice(12.345)).toBe(12.35);
		expect(roundPrice(350)).toBe(350);
	});
});
