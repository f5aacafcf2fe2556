// The health record of the card on screen (clinical doc): interviews, patch tests, skin,
// lifestyle, visits, and the contraindication warnings before a treatment. Guarantees: it exists
// only while the clinical key is in memory (CardDocs.loadClinical refuses otherwise); every write
// is refused while the health-data consent is not active (the UI says why), re-derives both
// summaries and puts them into the client list; a signature carries the SHA-256 of exactly what
// was shown; the warnings are the rule engine's, evaluated against the records as stored.
import type * as Y from 'yjs';
import { productsOf } from '../domain/clinical/catalogue';
import { consentStateAt, type ConsentRecord, type ConsentState, type SignaturePoint } from '../domain/clinical/consent';
import type { InterviewId, PatchTestId, TreatmentId, VisitId } from '../domain/clinical/ids';
import type { HealthInterview, Lifestyle, PatchTest, PatchTestResult, SkinAssessment } from '../domain/clinical/interview';
import { evaluateRules } from '../domain/clinical/rules';
import { interviewSignedContent, type SignedInterview } from '../domain/clinical/signing';
import { latestInterview } from '../domain/clinical/summary';
import type { PreTreatmentCheck, Visit } from '../domain/clinical/visit';
import type { Warning } from '../domain/clinical/warning';
import type { ClientProfile, ClientSummary } from '../domain/client';
import { todayIn } from '../domain/dates';
import { AppError } from '../domain/errors';
import { sha256Hex } from '../crypto/digest';
import {
	addInterview,
	addLifestyle,
	addPatchTest,
	addSkinAssessment,
	completeVisit,
	listInterviews,
	listLifestyle,
	listPatchTests,
	listSkinAssessments,
	listVisits,
	setPatchTestResult,
	startVisit,
	type LifestyleInput,
	type PatchTestInput,
	type SkinAssessmentInput,
	type VisitCompletionInput,
	type VisitStartInput
} from '../doc/clinical-doc';
import type { ChangeAuthor } from '../doc/profile-doc';
import type { Catalogue, CardDocs, CardSummaries } from './card-docs';
import type { Author } from './card-service';

/** What the health record needs from the open card (OpenCard). */
export interface ClinicalHost {
	readonly docs: CardDocs;
	readonly timeZone: string;
	readonly consents: ConsentRecord[];
	readonly profile: ClientProfile | null;
	readonly catalogue: Catalogue | null;
	/** The salon's setting: an interview older than this many days warns (the engine's default when unset). */
	readonly interviewMaxAgeDays?: number;
	readonly previousSummary: ClientSummary | undefined;
	publish(summaries: CardSummaries): void;
}

/** What the treatment's warnings are evaluated for. */
export interface WarningQuery {
	treatmentId: TreatmentId;
	check: PreTreatmentCheck;
}

/** The health record of one open card. */
export class ClinicalCard {
	interviews = $state.raw<HealthInterview[]>([]);
	patchTests = $state.raw<PatchTest[]>([]);
	skinAssessments = $state.raw<SkinAssessment[]>([]);
	lifestyle = $state.raw<Lifestyle[]>([]);
	visits = $state.raw<Visit[]>([]);

	constructor(private readonly host: ClinicalHost) {}

	/** Loads the clinical doc (throws 'locked' without the clinical key). */
	async load(): Promise<void> {
		await this.host.docs.loadClinical();
		this.refresh();
	}

	/** Where the card stands on the health-data consent now: only 'active' allows writing. */
	get healthConsent(): ConsentState {
		return consentStateAt(this.host.consents, 'health-data');
	}

	/** The latest signed interview, or null. */
	get latestInterview(): HealthInterview | null {
		return latestInterview(this.interviews);
	}

	/** Re-reads every section from the doc. */
	refresh(): void {
		const doc = this.host.docs.clinical;
		if (!doc) return this.clear();
		this.interviews = listInterviews(doc);
		this.patchTests = listPatchTests(doc);
		this.skinAssessments = listSkinAssessments(doc);
		this.lifestyle = listLifestyle(doc);
		this.visits = listVisits(doc);
	}

	/** Forgets every record shown (the doc itself is closed by the card). */
	clear(): void {
		this.interviews = [];
		this.patchTests = [];
		this.skinAssessments = [];
		this.lifestyle = [];
		this.visits = [];
	}

	/** The warnings of a treatment for this client today, with this visit's check answers. */
	warningsFor(query: WarningQuery): Warning[] {
		const catalogue = this.host.catalogue;
		const treatment = catalogue?.treatments.find((t) => t.id === query.treatmentId);
		if (!catalogue || !treatment) return [];
		return evaluateRules({
			treatment,
			products: productsOf(treatment, catalogue.products),
			today: todayIn(this.host.timeZone),
			birthDate: this.host.profile?.birthDate ?? null,
			check: query.check,
			interview: this.latestInterview,
			patchTests: this.patchTests,
			visits: this.visits,
			consents: this.host.consents,
			timeZone: this.host.timeZone,
			interviewMaxAgeDays: this.host.interviewMaxAgeDays
		});
	}

	/** Signs and stores an interview: the hash covers the answers as shown and the statement. */
	async addInterview(content: SignedInterview, strokes: SignaturePoint[][], statement: string, author: Author): Promise<InterviewId> {
		const sha256 = await sha256Hex(interviewSignedContent(content, statement));
		return this.#edit(author, (doc, change) => addInterview(doc, { ...content, statementConfirmed: true, signature: { strokes, sha256 } }, change));
	}

	/** Records a patch test. */
	addPatchTest(input: PatchTestInput, author: Author): Promise<PatchTestId> {
		return this.#edit(author, (doc, change) => addPatchTest(doc, input, change));
	}

	/** Records what a patch test showed. */
	setPatchTestResult(id: PatchTestId, result: PatchTestResult, author: Author): Promise<boolean> {
		return this.#edit(author, (doc, change) => setPatchTestResult(doc, id, result, change));
	}

	/** Records a skin assessment. */
	addSkinAssessment(input: SkinAssessmentInput, author: Author): Promise<unknown> {
		return this.#edit(author, (doc, change) => addSkinAssessment(doc, input, change));
	}

	/** Records lifestyle and home care. */
	addLifestyle(input: LifestyleInput, author: Author): Promise<unknown> {
		return this.#edit(author, (doc, change) => addLifestyle(doc, input, change));
	}

	/** Starts a visit with the check answers and the warnings as shown (refused when one blocks without a reason). */
	startVisit(input: VisitStartInput, author: Author): Promise<VisitId> {
		return this.#edit(author, (doc, change) => startVisit(doc, input, change));
	}

	/** Completes a visit (or edits its completion). */
	completeVisit(id: VisitId, input: VisitCompletionInput, author: Author): Promise<string[]> {
		return this.#edit(author, (doc, change) => completeVisit(doc, id, input, change));
	}

	async #edit<T>(author: Author, edit: (doc: Y.Doc, change: ChangeAuthor) => T): Promise<T> {
		// The interface hides the forms too; this is the rule, not only the look.
		if (this.healthConsent !== 'active') throw new AppError('consent-required', 'health-data');
		try {
			const { result, summaries } = await this.host.docs.editClinical(author, edit, this.host.previousSummary);
			this.host.publish(summaries);
			return result;
		} finally {
			this.refresh();
		}
	}
}
