// The interview and check forms' row drafts, and their conversion to domain records. Guarantees:
// form fields are plain strings (what inputs bind to); an empty date reads as null (unknown),
// never as a guess; a row with nothing typed is dropped; medication flags the name implies are
// ticked as the name is typed (a staff member may add more), and allergen text that names exactly
// one allergen of the list picks it.
import { resolveAllergen, type AllergenId } from '$lib/domain/clinical/allergens';
import type { Allergy, AllergySeverity, ConditionId, HealthInterview, Medication, MedicationFlag, PastProcedure, ProcedureKind } from '$lib/domain/clinical/interview';
import { suggestMedicationFlags } from '$lib/domain/clinical/medications';
import type { SignedInterview } from '$lib/domain/clinical/signing';

/** An allergy row as the form holds it. */
export interface AllergyRow {
	allergen: string;
	text: string;
	reaction: string;
	severity: '' | 'mild' | 'moderate' | 'severe';
}

/** A medication row: the last day taken is a date, 'ongoing' or unknown. */
export interface MedicationRow {
	name: string;
	since: string;
	lastTakenMode: 'date' | 'ongoing' | 'unknown';
	lastTaken: string;
	flags: MedicationFlag[];
	/** The flags the name implied at the last keystroke (so a changed name can untick them). */
	auto: MedicationFlag[];
}

/** A past procedure row. */
export interface ProcedureRow {
	kind: ProcedureKind;
	date: string;
	where: 'this-salon' | 'elsewhere';
	note: string;
}

/** The whole interview form. */
export interface InterviewDraft {
	conditions: ConditionId[];
	allergies: AllergyRow[];
	medications: MedicationRow[];
	procedures: ProcedureRow[];
	notes: string;
}

const orNull = (s: string) => (s.trim() === '' ? null : s);

/** An empty allergy row. */
export const newAllergy = (): AllergyRow => ({ allergen: '', text: '', reaction: '', severity: '' });
/** An empty medication row (last day taken unknown until said). */
export const newMedication = (): MedicationRow => ({ name: '', since: '', lastTakenMode: 'unknown', lastTaken: '', flags: [], auto: [] });
/** An empty procedure row. */
export const newProcedure = (kind: ProcedureKind = 'other'): ProcedureRow => ({ kind, date: '', where: 'elsewhere', note: '' });

/** Rows for a stored medication. */
export function medicationRow(m: Medication): MedicationRow {
	const mode = m.lastTaken === 'ongoing' ? 'ongoing' : m.lastTaken === null ? 'unknown' : 'date';
	return { name: m.name, since: m.since ?? '', lastTakenMode: mode, lastTaken: mode === 'date' ? (m.lastTaken as string) : '', flags: [...m.flags], auto: [] };
}

/** The form, pre-filled from the content of the last interview (interviewDraftFrom). */
export function draftOf(content: Pick<HealthInterview, 'conditions' | 'allergies' | 'medications' | 'procedures' | 'notes'>): InterviewDraft {
	return {
		conditions: [...content.conditions],
		allergies: content.allergies.map((a) => ({ allergen: a.allergen ?? '', text: a.text, reaction: a.reaction, severity: a.severity ?? '' })),
		medications: content.medications.map(medicationRow),
		procedures: content.procedures.map((p) => ({ kind: p.kind, date: p.date ?? '', where: p.where, note: p.note })),
		notes: content.notes
	};
}

/** Re-ticks the flags a medication's name implies; flags staff ticked themselves stay. */
export function applySuggestedFlags(row: MedicationRow): void {
	const suggested = suggestMedicationFlags(row.name);
	const kept = row.flags.filter((f) => !row.auto.includes(f) || suggested.includes(f));
	row.flags = [...kept, ...suggested.filter((f) => !kept.includes(f))];
	row.auto = suggested;
}

/** Picks the allergen the typed text names, when the list has exactly one and none is chosen. */
export function applySuggestedAllergen(row: AllergyRow): void {
	if (row.allergen !== '') return;
	const found = resolveAllergen(row.text);
	if (found) row.allergen = found;
}

/** The medications of the rows that have a name. */
export function medicationsOf(rows: readonly MedicationRow[]): Medication[] {
	return rows
		.filter((r) => r.name.trim() !== '')
		.map((r) => ({
			name: r.name.trim(),
			since: orNull(r.since),
			lastTaken: r.lastTakenMode === 'ongoing' ? 'ongoing' : r.lastTakenMode === 'date' ? orNull(r.lastTaken) : null,
			flags: [...r.flags]
		}));
}

/** The procedures of the rows. */
export function proceduresOf(rows: readonly ProcedureRow[]): PastProcedure[] {
	return rows.map((r) => ({ kind: r.kind, date: orNull(r.date), where: r.where, note: r.note.trim() }));
}

/** The content to sign and store. */
export function interviewOf(draft: InterviewDraft): SignedInterview {
	const allergies: Allergy[] = draft.allergies
		.filter((a) => a.allergen !== '' || a.text.trim() !== '')
		.map((a) => ({ allergen: a.allergen === '' ? null : (a.allergen as AllergenId), text: a.text.trim(), reaction: a.reaction.trim(), severity: (a.severity || null) as AllergySeverity }));
	return { conditions: [...draft.conditions], allergies, medications: medicationsOf(draft.medications), procedures: proceduresOf(draft.procedures), notes: draft.notes.trim() };
}
