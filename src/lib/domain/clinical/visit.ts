// Visits with stages (clinical doc). Guarantees: a started visit records who performs which
// treatment, the answers of the pre-treatment check and the warnings as they were shown, and an
// override reason whenever a warning blocked; completion adds what only the treatment can tell.
// Whether a visit was recorded after the health-data consent was withdrawn is derived from
// timestamps at read time, so it holds on every device after a merge without a write.
import type { StaffId } from '../ids';
import { wasRecordedAfterWithdrawal, type ConsentRecord } from './consent';
import type { ProductId, TreatmentId, VisitId } from './ids';
import type { Medication, PastProcedure, ProcedureKind } from './interview';
import type { Warning } from './warning';

/** Answers of the short check before each treatment: anything new since the interview. null = not answered. */
export interface PreTreatmentCheck {
	newMedication: boolean | null;
	/** The new medications, when described. */
	medications: Medication[];
	pregnancy: boolean | null;
	tanOrSun: boolean | null;
	/** Day of the tan or sun exposure; null = unknown (the visit's day is then assumed). */
	tanDate: string | null;
	herpesNow: boolean | null;
	procedureElsewhere: boolean | null;
	/** The procedures elsewhere, when described. */
	procedures: PastProcedure[];
	note: string;
}

/** The start of a visit: before any treatment. */
export interface VisitStart {
	/** UTC ISO instant. */
	at: string;
	/** The staff member who performs the treatment. */
	staff: StaffId;
	treatmentId: TreatmentId;
	/** The treatment's name and kind when started, so history reads well after a catalogue change. */
	treatmentName: string;
	procedureKind: ProcedureKind;
	check: PreTreatmentCheck;
	/** The warnings as shown. */
	warnings: Warning[];
	/** Required when a warning blocked; shown in the visit's history. */
	overrideReason: string | null;
}

/** A product used in a visit, with its batch. */
export interface UsedProduct {
	productId: ProductId | null;
	name: string;
	batch: string;
	/** `YYYY-MM-DD` or null. */
	expiry: string | null;
}

/** The completion of a visit. */
export interface VisitCompletion {
	/** UTC ISO instant. */
	completedAt: string;
	completedBy: StaffId;
	area: string;
	products: UsedProduct[];
	/** Device and product parameters by name ("stężenie kwasu": "35%", "głębokość igieł": "0,5 mm"). */
	parameters: Record<string, string>;
	notes: string;
	reaction: string;
	/** 1-5, or null when not asked. */
	satisfaction: number | null;
	recommendations: string;
	/** Suggested next visit `YYYY-MM-DD`, or null. */
	nextVisit: string | null;
}

/** A visit as read from the card. */
export interface Visit {
	id: VisitId;
	started: VisitStart;
	completed: VisitCompletion | null;
}

/** A check nobody has answered yet. */
export function emptyCheck(): PreTreatmentCheck {
	return {
		newMedication: null,
		medications: [],
		pregnancy: null,
		tanOrSun: null,
		tanDate: null,
		herpesNow: null,
		procedureElsewhere: null,
		procedures: [],
		note: ''
	};
}

/** Whether any part of the visit was recorded after the health-data consent was withdrawn. */
export function isRecordedAfterWithdrawal(visit: Visit, consents: readonly ConsentRecord[]): boolean {
	const instants = [visit.started.at];
	if (visit.completed) instants.push(visit.completed.completedAt);
	return wasRecordedAfterWithdrawal(instants, consents);
}
