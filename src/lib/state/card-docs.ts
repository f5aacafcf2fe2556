// The docs of the card on screen, and every write to them. Guarantees: each user-level save is
// one Yjs transaction whose update is sealed and appended before anything else happens; after it
// the client's summaries are re-derived from the docs and re-sealed (the clinical part only when
// the clinical doc is open, otherwise the stored one is kept); a failed store reloads the doc from
// storage, so memory never holds an edit the disk does not. The clinical doc is loaded only on
// request, never for a role without the clinical key ('locked').
import type * as Y from 'yjs';
import type { Product, Treatment } from '../domain/clinical/catalogue';
import type { ConsentTemplate } from '../domain/clinical/consent';
import type { ClinicalSummary } from '../domain/clinical/summary';
import type { ClientSummary } from '../domain/client';
import { AppError, isAppError } from '../domain/errors';
import { clinicalDocId, profileDocId, SALON_DOC_ID, type ClientId, type DocId } from '../domain/ids';
import { listConsentTemplates, listProducts, listTreatments, seedCatalogue } from '../doc/catalogue-doc';
import { clinicalSummary } from '../doc/clinical-doc';
import { listConsents } from '../doc/consents-doc';
import { profileSummary, type ChangeAuthor } from '../doc/profile-doc';
import type { DocStore } from '../storage/doc-store';
import { captureUpdate, type Author } from './card-service';

/** What the card needs from the salon's catalogue. */
export interface Catalogue {
	/** Treatments offered now (archived ones hidden from new visits). */
	treatments: Treatment[];
	/** Every product, archived ones too: a used product must still have a name. */
	products: Product[];
	/** Every version of every consent text. */
	templates: ConsentTemplate[];
}

/** Reads the catalogue, first seeding what the salon doc lacks (salons made before the catalogue existed). */
export async function loadCatalogue(store: DocStore): Promise<Catalogue> {
	const doc = await store.load(SALON_DOC_ID);
	try {
		// Deterministic and idempotent: a fully seeded doc yields no update, so nothing is stored.
		const update = captureUpdate(doc, () => void seedCatalogue(doc));
		if (update) await store.append(SALON_DOC_ID, update);
		return { treatments: listTreatments(doc), products: listProducts(doc, { includeArchived: true }), templates: listConsentTemplates(doc) };
	} finally {
		doc.destroy();
	}
}

/** The summaries a save stores: the profile part always, the clinical part when the clinical doc is open. */
export interface CardSummaries {
	profile: ClientSummary;
	clinical?: ClinicalSummary;
}

/** One client's docs while the card is open. */
export class CardDocs {
	#profile: Y.Doc | null = null;
	#clinical: Y.Doc | null = null;

	constructor(
		readonly store: DocStore,
		readonly id: ClientId,
		readonly timeZone: string
	) {}

	/** The profile doc ('card not loaded' before loadProfile). */
	get profile(): Y.Doc {
		if (!this.#profile) throw new AppError('not-found', 'card not loaded');
		return this.#profile;
	}

	/** The clinical doc, or null while it is not open. */
	get clinical(): Y.Doc | null {
		return this.#clinical;
	}

	/** Loads (or reloads) the profile doc. */
	async loadProfile(): Promise<Y.Doc> {
		const doc = await this.store.load(profileDocId(this.id));
		this.#profile?.destroy();
		this.#profile = doc;
		return doc;
	}

	/** Loads the clinical doc, registering it first when the card was made without the clinical key. */
	async loadClinical(): Promise<Y.Doc> {
		if (!this.store.hasClinicalKey) throw new AppError('locked', 'no clinical key');
		const docId = clinicalDocId(this.id);
		let doc: Y.Doc;
		try {
			doc = await this.store.load(docId);
		} catch (e) {
			if (!isAppError(e, 'not-found')) throw e;
			// Reception created this card: the first clinical member to open it creates its clinical doc.
			await this.store.createDoc(docId, 'clinical');
			doc = await this.store.load(docId);
		}
		this.#clinical?.destroy();
		this.#clinical = doc;
		return doc;
	}

	/** Takes docs loaded elsewhere (DocStore.loadMany); they are this card's from now on. */
	use(profile: Y.Doc, clinical: Y.Doc | null): void {
		this.close();
		this.#profile = profile;
		this.#clinical = clinical;
	}

	/** Drops the clinical doc from memory. */
	closeClinical(): void {
		this.#clinical?.destroy();
		this.#clinical = null;
	}

	/** Drops both docs. */
	close(): void {
		this.closeClinical();
		this.#profile?.destroy();
		this.#profile = null;
	}

	/** The summaries derived from the open docs; `previous` supplies what the docs do not hold. */
	summaries(previous?: ClientSummary): CardSummaries {
		const consents = listConsents(this.profile);
		const clinical = this.#clinical ? clinicalSummary(this.#clinical, consents, this.timeZone) : undefined;
		const profile: ClientSummary = {
			...profileSummary(this.profile, this.id),
			// Reception's list shows the last visit, which only the clinical doc knows: carried over otherwise.
			lastVisit: clinical ? clinical.lastVisit : (previous?.lastVisit ?? null),
			nextVisit: previous?.nextVisit ?? null
		};
		return clinical ? { profile, clinical } : { profile };
	}

	/** Edits the profile doc (consents), stores the update and the summaries. */
	editProfile<T>(author: Author, edit: (doc: Y.Doc, change: ChangeAuthor) => T, previous?: ClientSummary): Promise<{ result: T; summaries: CardSummaries }> {
		return this.#write(profileDocId(this.id), this.profile, () => this.loadProfile(), author, edit, previous);
	}

	/** Edits the clinical doc, stores the update and the summaries. */
	editClinical<T>(author: Author, edit: (doc: Y.Doc, change: ChangeAuthor) => T, previous?: ClientSummary): Promise<{ result: T; summaries: CardSummaries }> {
		const doc = this.#clinical;
		if (!doc) throw new AppError('locked', 'clinical doc not open');
		return this.#write(clinicalDocId(this.id), doc, () => this.loadClinical(), author, edit, previous);
	}

	async #write<T>(
		docId: DocId,
		doc: Y.Doc,
		reload: () => Promise<unknown>,
		author: Author,
		edit: (doc: Y.Doc, change: ChangeAuthor) => T,
		previous?: ClientSummary
	): Promise<{ result: T; summaries: CardSummaries }> {
		let result!: T;
		// A schema error throws inside captureUpdate, before any update exists: nothing is stored.
		const update = captureUpdate(doc, () => {
			result = edit(doc, { ...author, at: new Date().toISOString() });
		});
		try {
			if (update) await this.store.append(docId, update);
			const summaries = this.summaries(previous);
			if (update) await this.store.putSummary(this.id, summaries.profile, summaries.clinical);
			return { result, summaries };
		} catch (e) {
			await reload().catch(() => undefined);
			throw e;
		}
	}
}
