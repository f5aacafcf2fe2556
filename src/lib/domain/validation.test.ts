import { describe, expect, it } from 'vitest';
import { makeClientProfile } from '../../../tests/factories/clients';
import { emptyProfile } from './client';
import { isAppError } from './errors';
import { ageOn, formatPhone, isProfileValid, normalizePhone, normalizeProfile, validateBirthDate, validateEmail, validateProfile } from './validation';

const TODAY = '2025-06-15';

describe('normalizePhone', () => {
	it.each([
		['600 100 200', '+48600100200'],
		['600-100-200', '+48600100200'],
		['600100200', '+48600100200'],
		['(600) 100 200', '+48600100200'],
		['+48 600100200', '+48600100200'],
		['+48 600 100 200', '+48600100200'],
		['0048 600 100 200', '+48600100200'],
		['48600100200', '+48600100200'],
		['  22 123 45 67 ', '+48221234567'],
		['48 123 45 67', '+48481234567'],
		['+49 30 123456', '+4930123456'],
		['+44 20 7946 0000', '+442079460000'],
		['001 212 555 0100', '+12125550100']
	])('accepts "%s" as %s', (input, e164) => {
		expect(normalizePhone(input)).toEqual({ ok: true, value: e164 });
	});

	it.each([
		'',
		'   ',
		'60010020',
		'6001002000',
		'060 010 020',
		'+48 60010020',
		'+48 6001002000',
		'+49 1234',
		'+1234567890123456',
		'600 100 2OO',
		'tel. 600100200',
		'++48600100200',
		'600+100200'
	])('refuses "%s"', (input) => {
		expect(normalizePhone(input)).toEqual({ ok: false, reason: 'phone-invalid' });
	});
});

describe('formatPhone', () => {
	it('shows a Polish number in groups of three', () => {
		expect(formatPhone('+48600100200')).toBe('+48 600 100 200');
	});

	it('shows a foreign number as stored', () => {
		expect(formatPhone('+4930123456')).toBe('+4930123456');
	});
});

describe('validateEmail', () => {
	it.each(['anna@example.com', 'anna.nowak+salon@example.co.uk', ' lucja@example.pl ', 'a@b.pl'])(
		'accepts "%s"',
		(email) => {
			expect(validateEmail(email)).toEqual({ ok: true, value: email.trim() });
		}
	);

	it.each(['', 'anna', 'anna@', '@example.com', 'anna@example', 'anna@@example.com', 'an na@example.com', 'anna@example.c', 'anna@.example.com', 'anna@example..com', 'anna@example.com.'])(
		'refuses "%s"',
		(email) => {
			expect(validateEmail(email)).toEqual({ ok: false, reason: 'email-invalid' });
		}
	);
});

describe('validateBirthDate', () => {
	it.each(['1990-01-31', '2000-02-29', '1900-01-01', TODAY])('accepts %s', (date) => {
		expect(validateBirthDate(date, TODAY)).toEqual({ ok: true, value: date });
	});

	it.each(['', '1990-1-31', '31.01.1990', '1990-02-30', '2023-02-29', '1990-13-01', '1990-00-10', '1899-12-31', '2025-06-16', '2099-01-01'])(
		'refuses "%s"',
		(date) => {
			expect(validateBirthDate(date, TODAY)).toEqual({ ok: false, reason: 'birth-date-invalid' });
		}
	);
});

describe('ageOn', () => {
	it('counts full years, growing on the birthday itself', () => {
		expect(ageOn('2007-06-15', '2025-06-14')).toBe(17);
		expect(ageOn('2007-06-15', '2025-06-15')).toBe(18);
		expect(ageOn('2007-06-15', '2025-12-31')).toBe(18);
	});

	it('makes someone born on 29 February a year older on 28 February of a common year (art. 112 KC)', () => {
		expect(ageOn('2004-02-29', '2022-02-27')).toBe(17);
		expect(ageOn('2004-02-29', '2022-02-28')).toBe(18);
		expect(ageOn('2004-02-29', '2024-02-28')).toBe(19);
		expect(ageOn('2004-02-29', '2024-02-29')).toBe(20);
	});

	it('is 0 on the day of birth', () => {
		expect(ageOn(TODAY, TODAY)).toBe(0);
	});

	it('throws invalid-input on a malformed date', () => {
		expect(() => ageOn('1990-02-30', TODAY)).toThrow(expect.objectContaining({ reason: 'invalid-input' }));
		try {
			ageOn('x', TODAY);
		} catch (e) {
			expect(isAppError(e, 'invalid-input')).toBe(true);
		}
	});
});

describe('validateProfile', () => {
	it('accepts a factory client', () => {
		expect(validateProfile(makeClientProfile(7), TODAY)).toEqual({});
		expect(isProfileValid(makeClientProfile(7), TODAY)).toBe(true);
	});

	it('requires first and last name, ignoring blanks', () => {
		expect(validateProfile({ ...emptyProfile(), firstName: '  ' }, TODAY)).toEqual({
			firstName: 'error.firstNameRequired',
			lastName: 'error.lastNameRequired'
		});
	});

	it('accepts a profile with no phone, e-mail or birth date', () => {
		expect(validateProfile({ ...emptyProfile(), firstName: 'Łucja', lastName: 'Gąsior' }, TODAY)).toEqual({});
	});

	it('puts a message key next to each wrong field', () => {
		const profile = {
			...emptyProfile(),
			firstName: 'Żaneta',
			lastName: 'Kołodziej',
			phone: '600 100',
			email: 'zaneta@',
			birthDate: '2030-01-01'
		};
		expect(validateProfile(profile, TODAY)).toEqual({
			phone: 'error.phoneInvalid',
			email: 'error.emailInvalid',
			birthDate: 'error.birthDateInvalid'
		});
		expect(isProfileValid(profile, TODAY)).toBe(false);
	});

	it('accepts a phone as typed, before normalisation', () => {
		const profile = { ...emptyProfile(), firstName: 'Anna', lastName: 'Nowak', phone: '600-100-200' };
		expect(validateProfile(profile, TODAY)).toEqual({});
	});
});

describe('normalizeProfile', () => {
	it('turns what the form holds into what the card stores', () => {
		const typed = {
			...emptyProfile(),
			firstName: ' Łucja ',
			lastName: 'Gąsior ',
			phone: '+48 600 100 200',
			email: ' lucja@example.com',
			address: ' ul. Lipowa 1 ',
			birthDate: '',
			note: '  notatka zostaje jak jest  '
		};
		expect(normalizeProfile(typed, TODAY)).toEqual({
			...typed,
			firstName: 'Łucja',
			lastName: 'Gąsior',
			phone: '+48600100200',
			email: 'lucja@example.com',
			address: 'ul. Lipowa 1',
			birthDate: null
		});
	});

	it('throws invalid-input on a profile that does not validate', () => {
		expect(() => normalizeProfile({ ...emptyProfile(), firstName: 'Ewa' }, TODAY)).toThrow(
			expect.objectContaining({ reason: 'invalid-input' })
		);
	});
});
