// The health record of a card (clinical doc): interviews, patch tests, skin assessments,
// lifestyle and home care. Guarantees: every red flag the rules read is a structured, dated
// field (a condition id, a medication flag with its last day taken, an allergen id, a procedure
// kind with its date), never free text only; an unknown date is null, never a guess.
import type { StaffId } from '../ids';
import type { AllergenId } from './allergens';
import type { Signature } from './consent';
import type { InterviewId, LifestyleId, PatchTestId, ProductId, SkinAssessmentId } from './ids';

/** The conditions the interview asks about (labels live in the catalogue data, labels.ts). */
export const CONDITIONS = [
	'pregnancy-breastfeeding',
	'active-infection',
	'diabetes',
	'epilepsy',
	'heart-disease-pacemaker',
	'metal-implants',
	'clotting-disorder',
	'autoimmune',
	'cancer-chemotherapy',
	'herpes-tendency',
	'keloids',
	'psoriasis',
	'vitiligo',
	'eczema',
	'thyroid-hormonal'
] as const;
/** A condition the interview asks about. */
export type ConditionId = (typeof CONDITIONS)[number];

/** Flags a medication carries for the rules. */
export const MEDICATION_FLAGS = ['oral-retinoid', 'anticoagulant', 'photosensitising', 'antibiotic', 'nsaid', 'topical-acid-retinol'] as const;
/** A flag of a medication (isotretinoin is 'oral-retinoid'). */
export type MedicationFlag = (typeof MEDICATION_FLAGS)[number];

/** Kinds of earlier procedure the rules look back on (a treatment of the catalogue names its kind). */
export const PROCEDURE_KINDS = [
	'chemical-peel',
	'microneedling',
	'mesotherapy',
	'laser-hair-removal',
	'ipl',
	'laser-resurfacing',
	'microdermabrasion',
	'filler',
	'botulinum',
	'facial-surgery',
	'dental',
	'waxing',
	'facial',
	'manicure',
	'brow-lash-tint',
	'other'
] as const;
/** A kind of procedure. */
export type ProcedureKind = (typeof PROCEDURE_KINDS)[number];

/** How bad an allergic reaction was; null when the client does not know. */
export type AllergySeverity = 'mild' | 'moderate' | 'severe' | null;

/** An allergy: a known allergen (matched from the list) and/or what was typed. */
export interface Allergy {
	/** Null when the text matched no allergen of the list. */
	allergen: AllergenId | null;
	text: string;
	reaction: string;
	severity: AllergySeverity;
}

/** `YYYY-MM-DD`, 'ongoing', or null when the client does not know. */
export type LastTaken = string | 'ongoing' | null;

/** A medication or supplement the client takes or took. */
export interface Medication {
	name: string;
	/** `YYYY-MM-DD` or null (unknown). */
	since: string | null;
	lastTaken: LastTaken;
	flags: MedicationFlag[];
}

/** An earlier procedure, here or elsewhere. */
export interface PastProcedure {
	kind: ProcedureKind;
	/** `YYYY-MM-DD` or null (unknown). */
	date: string | null;
	where: 'this-salon' | 'elsewhere';
	note: string;
}

/** A dated, signed health interview; a new one starts pre-filled from the last. */
export interface HealthInterview {
	id: InterviewId;
	/** UTC ISO instant of signing. */
	at: string;
	staff: StaffId;
	conditions: ConditionId[];
	allergies: Allergy[];
	medications: Medication[];
	procedures: PastProcedure[];
	notes: string;
	/** The client confirmed the data are true; always true for a stored interview. */
	statementConfirmed: boolean;
	signature: Signature;
}

/** What a patch test showed; 'not-read' until someone looks at it. */
export type PatchTestResult = 'passed' | 'failed' | 'not-read';

/** A patch test of a product. */
export interface PatchTest {
	id: PatchTestId;
	productId: ProductId;
	/** The product's name when tested, so history reads well after a catalogue change. */
	productName: string;
	/** `YYYY-MM-DD` the product was applied. */
	date: string;
	result: PatchTestResult;
	staff: StaffId;
	notes: string;
}

/** Skin types an assessment can name. */
export type SkinType = 'normal' | 'dry' | 'oily' | 'combination' | 'sensitive';

/** A dated skin assessment. */
export interface SkinAssessment {
	id: SkinAssessmentId;
	at: string;
	staff: StaffId;
	skinType: SkinType | null;
	/** Fitzpatrick phototype 1-6, or null. */
	phototype: number | null;
	/** Problem keys such as 'acne', 'rosacea', 'couperose', 'discolouration', 'wrinkles'. */
	problems: string[];
	notes: string;
}

/** A dated lifestyle and home-care entry (free text per topic). */
export interface Lifestyle {
	id: LifestyleId;
	at: string;
	staff: StaffId;
	diet: string;
	water: string;
	smoking: string;
	alcohol: string;
	sunAndSolarium: string;
	sleep: string;
	stress: string;
	activity: string;
	homeCare: string;
}

/** The content of a new interview, pre-filled from `last` when there is one (ids, signature cleared). */
export function interviewDraftFrom(last: HealthInterview | null): Pick<HealthInterview, 'conditions' | 'allergies' | 'medications' | 'procedures' | 'notes'> {
	// structuredClone: editing the draft must never mutate the stored (signed) interview.
	if (!last) return { conditions: [], allergies: [], medications: [], procedures: [], notes: '' };
	const { conditions, allergies, medications, procedures, notes } = structuredClone(last);
	return { conditions, allergies, medications, procedures, notes };
}
