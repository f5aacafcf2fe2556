// The clinical summary: what the rules and the client list need from a clinical doc, sealed per
// client beside the doc so that no card has to be opened (DESIGN: never load all cards). Guarantees:
// it is a pure function of the records; it keeps only facts the rules read (conditions, resolved
// allergens, flagged medications with their last day, the latest date per procedure kind, tan,
// patch tests per product, interview and visit dates), all as calendar dates in the salon's time
// zone, so evaluating it later against another "today" gives the same answer as the full records.
import { DEFAULT_TIME_ZONE } from '../dates';
import { allergensOf, type AllergenId } from './allergens';
import { wasRecordedAfterWithdrawal, type ConsentRecord } from './consent';
import { dayOfInstant } from './days';
import type { ProductId } from './ids';
import {
	CONDITIONS,
	PROCEDURE_KINDS,
	type AllergySeverity,
	type ConditionId,
	type HealthInterview,
	type LastTaken,
	type Medication,
	type MedicationFlag,
	type PatchTest,
	type PatchTestResult,
	type ProcedureKind
} from './interview';
import { suggestMedicationFlags } from './medications';
import { isRecordedAfterWithdrawal, type Visit } from './visit';

/** An allergy, resolved to allergen ids once (empty when the text names none of the list). */
export interface SummaryAllergy {
	allergens: AllergenId[];
	text: string;
	severity: AllergySeverity;
}

/** A medication that carries at least one flag (stored, or implied by its name). */
export interface SummaryMedication {
	name: string;
	flags: MedicationFlag[];
	lastTaken: LastTaken;
}

/** The latest known date of a procedure kind, and whether some entry of that kind has no date. */
export interface SummaryProcedure {
	kind: ProcedureKind;
	/** Latest known `YYYY-MM-DD`, or null when no entry of this kind has a date. */
	date: string | null;
	where: 'this-salon' | 'elsewhere' | null;
	undated: boolean;
}

/** The latest patch test of a product. */
export interface SummaryPatchTest {
	productId: ProductId;
	date: string;
	result: PatchTestResult;
}

/** Everything the rules and the list badges need from a clinical doc (a few hundred bytes). */
export interface ClinicalSummary {
	/** Day of the latest interview, or null when there is none. */
	interviewDate: string | null;
	/** From the latest interview, plus pregnancy reported in a check since. */
	conditions: ConditionId[];
	allergies: SummaryAllergy[];
	/** From the latest interview and the checks since; flagged ones only. */
	medications: SummaryMedication[];
	/** From the latest interview, every check, and this salon's visits. */
	procedures: SummaryProcedure[];
	/** Latest day of a tan or sun exposure reported in a check, or null. */
	tanDate: string | null;
	patchTests: SummaryPatchTest[];
	lastVisit: string | null;
	visitCount: number;
	/** Visits and interviews recorded after the health-data consent was withdrawn (owner's review). */
	recordedAfterWithdrawal: number;
}

/** The records a summary is made from. */
export interface ClinicalRecords {
	interviews: readonly HealthInterview[];
	visits: readonly Visit[];
	patchTests: readonly PatchTest[];
	/** The profile's consents, to count what was recorded after a withdrawal. */
	consents?: readonly ConsentRecord[];
	timeZone?: string;
}

/** The summary of a card with no clinical records. */
export const EMPTY_CLINICAL_SUMMARY: Readonly<ClinicalSummary> = Object.freeze({
	interviewDate: null,
	conditions: [],
	allergies: [],
	medications: [],
	procedures: [],
	tanDate: null,
	patchTests: [],
	lastVisit: null,
	visitCount: 0,
	recordedAfterWithdrawal: 0
});

// When two patch tests of a product share a day, the more cautious result counts.
const CAUTION: Record<PatchTestResult, number> = { passed: 0, 'not-read': 1, failed: 2 };

/** Derives the summary from the records (pure; call after every write and every merge). */
export function summariseClinical(records: ClinicalRecords): ClinicalSummary {
	const tz = records.timeZone ?? DEFAULT_TIME_ZONE;
	const latest = latestInterview(records.interviews);
	const visits = [...records.visits].sort(byStartThenId);
	// Checks answered since the latest interview add to it: they ask "anything new since?".
	const checksSince = visits.filter((v) => latest === null || v.started.at > latest.at).map((v) => v.started.check);
	const conditions = new Set<ConditionId>(latest?.conditions ?? []);
	if (checksSince.some((c) => c.pregnancy === true)) conditions.add('pregnancy-breastfeeding');
	const procedures = new ProcedureDates();
	for (const p of latest?.procedures ?? []) procedures.add(p.kind, p.date, p.where);
	let tanDate: string | null = null;
	for (const v of visits) {
		procedures.add(v.started.procedureKind, dayOfInstant(v.started.at, tz), 'this-salon');
		for (const p of v.started.check.procedures) procedures.add(p.kind, p.date, 'elsewhere');
		if (v.started.check.tanOrSun === true) {
			const day = v.started.check.tanDate ?? dayOfInstant(v.started.at, tz);
			if (tanDate === null || day > tanDate) tanDate = day;
		}
	}
	const consents = records.consents ?? [];
	const lastVisit = visits.length > 0 ? dayOfInstant(visits[visits.length - 1].started.at, tz) : null;
	return {
		interviewDate: latest ? dayOfInstant(latest.at, tz) : null,
		conditions: CONDITIONS.filter((c) => conditions.has(c)),
		allergies: (latest?.allergies ?? []).map((a) => ({ allergens: allergensOf(a), text: a.text, severity: a.severity })),
		medications: flaggedMedications([...(latest?.medications ?? []), ...checksSince.flatMap((c) => c.medications)]),
		procedures: procedures.list(),
		tanDate,
		patchTests: latestPatchTests(records.patchTests),
		lastVisit,
		visitCount: visits.length,
		recordedAfterWithdrawal:
			visits.filter((v) => isRecordedAfterWithdrawal(v, consents)).length +
			records.interviews.filter((i) => wasRecordedAfterWithdrawal([i.at], consents)).length
	};
}

/** The latest interview by signing time (ties broken by id, so every device picks the same). */
export function latestInterview(interviews: readonly HealthInterview[]): HealthInterview | null {
	let latest: HealthInterview | null = null;
	for (const i of interviews) if (!latest || i.at > latest.at || (i.at === latest.at && i.id > latest.id)) latest = i;
	return latest;
}

/** Medications with their stored flags plus the flags their names imply; unflagged ones dropped. */
export function flaggedMedications(medications: readonly Medication[]): SummaryMedication[] {
	const result: SummaryMedication[] = [];
	for (const m of medications) {
		const flags = [...new Set([...m.flags, ...suggestMedicationFlags(m.name)])];
		if (flags.length > 0) result.push({ name: m.name, flags, lastTaken: m.lastTaken });
	}
	return result;
}

class ProcedureDates {
	#byKind = new Map<ProcedureKind, SummaryProcedure>();

	add(kind: ProcedureKind, date: string | null, where: 'this-salon' | 'elsewhere'): void {
		const entry = this.#byKind.get(kind) ?? { kind, date: null, where: null, undated: false };
		if (date === null) entry.undated = true;
		else if (entry.date === null || date > entry.date) Object.assign(entry, { date, where });
		this.#byKind.set(kind, entry);
	}

	list(): SummaryProcedure[] {
		return PROCEDURE_KINDS.map((k) => this.#byKind.get(k)).filter((p): p is SummaryProcedure => p !== undefined);
	}
}

function latestPatchTests(tests: readonly PatchTest[]): SummaryPatchTest[] {
	const byProduct = new Map<ProductId, SummaryPatchTest>();
	for (const t of tests) {
		const prev = byProduct.get(t.productId);
		const newer = !prev || t.date > prev.date || (t.date === prev.date && CAUTION[t.result] > CAUTION[prev.result]);
		if (newer) byProduct.set(t.productId, { productId: t.productId, date: t.date, result: t.result });
	}
	return [...byProduct.values()].sort((a, b) => (a.productId < b.productId ? -1 : 1));
}

// Map iteration order differs between devices; this order does not, so summaries compare equal.
function byStartThenId(a: Visit, b: Visit): number {
	if (a.started.at !== b.started.at) return a.started.at < b.started.at ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
