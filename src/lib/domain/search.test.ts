import { describe, expect, it } from 'vitest';
import { makeClientSummary } from '../../../tests/factories/clients';
import type { ClientSummary } from './client';
import type { ClientId } from './ids';
import { ClientSearchIndex, digitsOf, foldText } from './search';

let nextSeed = 1;
function client(firstName: string, lastName: string, extra: Partial<ClientSummary> = {}): ClientSummary {
	return makeClientSummary(nextSeed++, { firstName, lastName, phone: '', email: '', archived: false, ...extra });
}

function names(results: ClientSummary[]): string[] {
	return results.map((c) => `${c.firstName} ${c.lastName}`);
}

describe('foldText', () => {
	it('folds "ZÓŁW" to "zolw"', () => {
		expect(foldText('ZÓŁW')).toBe('zolw');
	});

	it('strips every Polish diacritic, ł and Ł included', () => {
		expect(foldText('Zażółć gęślą jaźń ŁĄCKA')).toBe('zazolc gesla jazn lacka');
	});

	it('folds decomposed input the same as composed input', () => {
		expect(foldText('Z\u0307o\u0301\u0142c\u0301')).toBe(foldText('Żółć'));
	});
});

describe('digitsOf', () => {
	it('keeps only the digits', () => {
		expect(digitsOf('+48 (600) 100-200')).toBe('48600100200');
	});
});

describe('ClientSearchIndex', () => {
	const lukasz = client('Łukasz', 'Nowak');
	const zolc = client('Anna', 'Żółć');
	const phoned = client('Maria', 'Kowalska', { phone: '+48600100200', email: 'maria.k@example.com' });
	const foreign = client('Hans', 'Müller', { phone: '+4930123456' });
	const archived = client('Grażyna', 'Archiwalna', { archived: true });
	const index = new ClientSearchIndex([lukasz, zolc, phoned, foreign, archived]);

	it('finds "Łukasz" when typed "lukasz"', () => {
		expect(index.search('lukasz')).toEqual([lukasz]);
	});

	it('finds "Żółć" when typed "zolc"', () => {
		expect(index.search('zolc')).toEqual([zolc]);
	});

	it('matches any case and accents in the query too', () => {
		expect(index.search('ŻÓŁĆ')).toEqual([zolc]);
	});

	it('requires every word of the query to match, in any field and order', () => {
		expect(index.search('kowalska maria')).toEqual([phoned]);
		expect(index.search('maria nowak')).toEqual([]);
	});

	it('finds a client by part of the e-mail', () => {
		expect(index.search('maria.k@exa')).toEqual([phoned]);
	});

	it.each(['600 100', '+48600', '600100200', '+48 600 100 200', '0048 600', '100-200', '(600)'])(
		'finds "+48 600 100 200" when typed "%s"',
		(query) => {
			expect(index.search(query)).toEqual([phoned]);
		}
	);

	it('does not strip 49 from a foreign number, but matches its digits', () => {
		expect(index.search('30123')).toEqual([foreign]);
		expect(index.search('+49 30')).toEqual([foreign]);
	});

	it('does not read a query with letters as a phone number', () => {
		expect(index.search('600 maria')).toEqual([]);
	});

	it('excludes archived clients by default and includes them when asked', () => {
		expect(index.search('grazyna')).toEqual([]);
		expect(index.search('grazyna', { includeArchived: true })).toEqual([archived]);
	});

	it('returns every non-archived client for an empty or blank query', () => {
		expect(index.search('')).toHaveLength(4);
		expect(index.search('   ')).toHaveLength(4);
		expect(index.search('', { includeArchived: true })).toHaveLength(5);
	});

	it('sorts by last name, then first name, in Polish collation', () => {
		const sorted = new ClientSearchIndex([
			client('Ewa', 'Żak'),
			client('Ewa', 'Zając'),
			client('Ewa', 'Źrebiec'),
			client('Ewa', 'Łoś'),
			client('Ewa', 'Lis'),
			client('Ewa', 'Mazur'),
			client('Ewa', 'Śliwa'),
			client('Ewa', 'Sowa'),
			client('Zofia', 'Ćwik'),
			client('Alicja', 'Ćwik'),
			client('Ewa', 'Czarnecka')
		]);
		expect(names(sorted.search(''))).toEqual([
			'Ewa Czarnecka',
			'Alicja Ćwik',
			'Zofia Ćwik',
			'Ewa Lis',
			'Ewa Łoś',
			'Ewa Mazur',
			'Ewa Sowa',
			'Ewa Śliwa',
			'Ewa Zając',
			'Ewa Źrebiec',
			'Ewa Żak'
		]);
	});

	it('reflects an upsert and a remove in the next search', () => {
		const live = new ClientSearchIndex([lukasz]);
		live.upsert({ ...lukasz, lastName: 'Wiśniewski' });
		expect(live.search('nowak')).toEqual([]);
		expect(names(live.search('wisniewski'))).toEqual(['Łukasz Wiśniewski']);
		expect(live.remove(lukasz.id)).toBe(true);
		expect(live.remove(lukasz.id)).toBe(false);
		expect(live.search('')).toEqual([]);
		expect(live.size).toBe(0);
	});

	it('keeps the order of a fresh index while clients change after the first search', () => {
		const live = new ClientSearchIndex(Array.from({ length: 200 }, (_, i) => makeClientSummary(i + 1)));
		live.search('');
		for (let i = 0; i < 300; i++) {
			const seed = 1 + ((i * 37) % 260);
			if (i % 5 === 0) live.remove(makeClientSummary(seed).id);
			else live.upsert(makeClientSummary(seed, { lastName: makeClientSummary(seed + i).lastName }));
		}
		const all = live.search('', { includeArchived: true });
		const fresh = new ClientSearchIndex(all).search('', { includeArchived: true });
		expect(all.map((c) => c.id)).toEqual(fresh.map((c) => c.id));
		expect(all).toHaveLength(live.size);
	});

	it('keeps one entry per client id', () => {
		const live = new ClientSearchIndex([lukasz, { ...lukasz, firstName: 'Łucja' }]);
		expect(names(live.search(''))).toEqual(['Łucja Nowak']);
		expect(live.get(lukasz.id)?.firstName).toBe('Łucja');
		expect(live.get('missing' as ClientId)).toBeUndefined();
	});

	it('finds every factory client by folded last name among 10,000', () => {
		const many = Array.from({ length: 10_000 }, (_, i) => makeClientSummary(i + 1));
		const big = new ClientSearchIndex(many);
		const target = many[4321];
		const found = big.search(`${foldText(target.firstName)} ${foldText(target.lastName)}`, { includeArchived: true });
		expect(found).toContain(target);
		expect(found.every((c) => foldText(c.lastName).includes(foldText(target.lastName)))).toBe(true);
	});
});
