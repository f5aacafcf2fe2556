import { describe, expect, it } from 'vitest';
import { ALLERGENS, allergensOf, findAllergens, resolveAllergen, type AllergenId } from './allergens';
import { suggestMedicationFlags } from './medications';

describe('allergen matching', () => {
	it.each([
		['lateks', 'latex'],
		['LATEX', 'latex'],
		['uczulenie na lateks (rękawiczki)', 'latex'],
		['kauczuk', 'latex'],
		['nikiel', 'nickel'],
		['biżuteria z niklu', 'nickel'],
		['perfumy', 'fragrance'],
		['zapachy w kosmetykach', 'fragrance'],
		['Lidokaina', 'lidocaine'],
		['kwas hialuronowy', 'hyaluronic-acid'],
		['Kwasu salicylowego', 'salicylic-acid'],
		['kwas glikolowy', 'glycolic-acid'],
		['parabeny', 'parabens'],
		['propolis', 'propolis'],
		['lanolina', 'lanolin'],
		['kwas migdałowy', 'mandelic-acid'],
		['HEMA z lakierów hybrydowych', 'acrylates']
	])('reads "%s" as %s', (text, id) => {
		expect(resolveAllergen(text)).toBe(id);
	});

	it('matches words, not letters inside other words', () => {
		expect(findAllergens('translateksowy')).toEqual([]);
		expect(findAllergens('truskawki')).toEqual([]);
	});

	it('names every allergen of a phrase, and resolves none when there are several', () => {
		expect(findAllergens('lateks i nikiel')).toEqual(['latex', 'nickel']);
		expect(resolveAllergen('lateks i nikiel')).toBeNull();
	});

	it('prefers the allergen staff chose over the text', () => {
		expect(allergensOf({ allergen: 'nickel' as AllergenId, text: 'lateks' })).toEqual(['nickel']);
		expect(allergensOf({ allergen: null, text: 'lateks' })).toEqual(['latex']);
	});

	it('labels every allergen in Polish and English, with unique ids', () => {
		expect(new Set(ALLERGENS.map((a) => a.id)).size).toBe(ALLERGENS.length);
		for (const a of ALLERGENS) expect(a.label.pl && a.label.en && a.synonyms.length).toBeTruthy();
	});
});

describe('medication flags from names', () => {
	it.each<[string, string[]]>([
		['Izotretynoina 20 mg', ['oral-retinoid']],
		['Aknenormin', ['oral-retinoid']],
		['Xarelto', ['anticoagulant']],
		['Doksycyklina', ['photosensitising', 'antibiotic']],
		['dziurawiec (herbata)', ['photosensitising']],
		['Ibuprofen', ['nsaid']],
		['witamina D', []]
	])('flags "%s" as %j', (name, flags) => {
		expect(suggestMedicationFlags(name)).toEqual(flags);
	});
});
