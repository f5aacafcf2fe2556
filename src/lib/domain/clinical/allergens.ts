// The allergen list and how typed text is matched to it. Guarantees: matching ignores case and
// Polish diacritics (foldText), finds an allergen inside a longer phrase ("uczulenie na lateks")
// and in inflected forms (each synonym is a word stem: "lateksu", "niklu", "kwasu salicylowego"),
// and never matches in the middle of a word. Labels and synonyms are data: a salon can extend
// them later without a code change to the matching.
import { foldText } from '../search';
import type { LocalizedText } from './ids';

/** An allergen of the list (a product's allergens use the same ids). */
export type AllergenId = string & { readonly __brand: 'AllergenId' };

/** An allergen with its label and the word stems (Polish and English) that name it. */
export interface Allergen {
	id: AllergenId;
	label: LocalizedText;
	/** Word stems; a multi-word stem matches consecutive words. */
	synonyms: string[];
}

const a = (id: string, pl: string, en: string, synonyms: string[]): Allergen => ({ id: id as AllergenId, label: { pl, en }, synonyms });

/** The default allergen list (not medical advice: the salon may extend it). */
export const ALLERGENS: readonly Allergen[] = [
	a('latex', 'Lateks', 'Latex', ['latex', 'lateks', 'kauczuk', 'natural rubber', 'guma naturaln']),
	a('nickel', 'Nikiel', 'Nickel', ['nickel', 'nikiel', 'nikl']),
	a('fragrance', 'Substancje zapachowe', 'Fragrance', ['fragrance', 'parfum', 'perfum', 'zapach', 'kompozycj zapachow']),
	a('lidocaine', 'Lidokaina', 'Lidocaine', ['lidocain', 'lidokain', 'lignocain', 'emla']),
	a('hyaluronic-acid', 'Kwas hialuronowy', 'Hyaluronic acid', ['hyaluron', 'hialuron']),
	a('salicylic-acid', 'Kwas salicylowy', 'Salicylic acid', ['salicyl', 'bha']),
	a('glycolic-acid', 'Kwas glikolowy', 'Glycolic acid', ['glycolic', 'kwas glikolow', 'kwasu glikolow', 'glikolow']),
	a('mandelic-acid', 'Kwas migdałowy', 'Mandelic acid', ['mandelic', 'kwas migdalow', 'kwasu migdalow', 'migdalow']),
	a('parabens', 'Parabeny', 'Parabens', ['paraben']),
	a('propolis', 'Propolis', 'Propolis', ['propolis', 'kit pszczel']),
	a('lanolin', 'Lanolina', 'Lanolin', ['lanolin', 'wool wax']),
	a('acrylates', 'Akrylany (HEMA)', 'Acrylates (HEMA)', ['acrylat', 'akrylan', 'akryl', 'methacryl', 'metakryl', 'hema']),
	a('ppd', 'Parafenylenodiamina (PPD)', 'p-Phenylenediamine (PPD)', ['ppd', 'parafenylenodiamin', 'phenylenediamin', 'p phenylenediamin'])
];

const NON_WORD = /[^\p{L}\p{N}]+/gu;

function words(s: string): string[] {
	return foldText(s).split(NON_WORD).filter(Boolean);
}

// Folded once at load: matching runs per allergy when a summary is built, never per keystroke.
const STEMS: { id: AllergenId; stem: string[] }[] = ALLERGENS.flatMap((allergen) =>
	allergen.synonyms.map((synonym) => ({ id: allergen.id, stem: words(synonym) }))
);

function containsStem(text: string[], stem: string[]): boolean {
	for (let i = 0; i + stem.length <= text.length; i++) {
		if (stem.every((part, j) => text[i + j].startsWith(part))) return true;
	}
	return false;
}

/** Every allergen of the list named in `text` (ids in list order, no duplicates). */
export function findAllergens(text: string): AllergenId[] {
	const tokens = words(text);
	const found = new Set<AllergenId>();
	for (const { id, stem } of STEMS) if (!found.has(id) && containsStem(tokens, stem)) found.add(id);
	return ALLERGENS.map((x) => x.id).filter((id) => found.has(id));
}

/** The allergen `text` names, or null when it names none or more than one (then staff must choose). */
export function resolveAllergen(text: string): AllergenId | null {
	const found = findAllergens(text);
	return found.length === 1 ? found[0] : null;
}

/** The allergens an allergy stands for: its chosen id, else whatever its text names. */
export function allergensOf(allergy: { allergen: AllergenId | null; text: string }): AllergenId[] {
	return allergy.allergen !== null ? [allergy.allergen] : findAllergens(allergy.text);
}
