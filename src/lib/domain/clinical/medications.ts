// Known medicine names that imply a rule flag. Guarantees: a medication typed by name ("Aknenormin",
// "izotretynoina") gets its flag even if staff forgot to tick it, so a missing tick never makes a
// rule pass; names are matched as folded word stems, like allergens. Not medical advice: a short,
// extendable list of the drugs the published contraindication lists name.
import { foldText } from '../search';
import { MEDICATION_FLAGS, type MedicationFlag } from './interview';

const NAMES: Record<MedicationFlag, string[]> = {
	'oral-retinoid': ['isotretinoin', 'izotretynoin', 'aknenormin', 'izotek', 'curacne', 'acitretin', 'acytretyn', 'neotigason', 'alitretinoin', 'roaccutan'],
	anticoagulant: ['warfarin', 'acenokumarol', 'acenocoumarol', 'sintrom', 'rivaroxaban', 'xarelto', 'apixaban', 'eliquis', 'dabigatran', 'pradaxa', 'heparyn', 'heparin', 'clexane', 'enoksaparyn', 'klopidogrel', 'clopidogrel', 'acard', 'polocard'],
	photosensitising: ['tetracyklin', 'tetracyclin', 'doksycyklin', 'doxycyclin', 'minocyklin', 'minocyclin', 'dziurawiec', 'hypericum', 'st john', 'amiodaron', 'hydrochlorotiazyd', 'hydrochlorothiazid'],
	antibiotic: ['antybiotyk', 'antibiotic', 'amoksycylin', 'amoxicillin', 'augmentin', 'azytromycyn', 'azithromycin', 'klarytromycyn', 'clarithromycin', 'cyprofloksacyn', 'ciprofloxacin', 'tetracyklin', 'tetracyclin', 'doksycyklin', 'doxycyclin', 'minocyklin', 'minocyclin'],
	nsaid: ['ibuprofen', 'ibum', 'nurofen', 'ketoprofen', 'ketonal', 'naproksen', 'naproxen', 'diklofenak', 'diclofenac', 'aspiryn', 'aspirin', 'polopiryn'],
	'topical-acid-retinol': ['retinol', 'retinal', 'tretinoin', 'tretynoin', 'adapalen', 'differin', 'nadtlenek benzoilu', 'benzoyl peroxide', 'aha']
};

const WORD = /[^\p{L}\p{N}]+/gu;
const STEMS = (Object.entries(NAMES) as [MedicationFlag, string[]][]).flatMap(([flag, names]) =>
	names.map((n) => ({ flag, stem: foldText(n).split(WORD).filter(Boolean) }))
);

/** The flags a medication's name implies, in MEDICATION_FLAGS order. */
export function suggestMedicationFlags(name: string): MedicationFlag[] {
	const words = foldText(name).split(WORD).filter(Boolean);
	const flags = new Set<MedicationFlag>();
	for (const { flag, stem } of STEMS) {
		if (flags.has(flag)) continue;
		for (let i = 0; i + stem.length <= words.length; i++) {
			if (stem.every((part, j) => words[i + j].startsWith(part))) {
				flags.add(flag);
				break;
			}
		}
	}
	return MEDICATION_FLAGS.filter((f) => flags.has(f));
}
