// The card on screen: the only client docs loaded as Y.Docs (DESIGN: never load all cards).
// The profile doc (contact data, consents) opens for every role; the clinical doc only through
// openClinical(), which needs the clinical key. A failed save reloads the doc from storage, so
// memory never holds an edit the disk does not, and the form keeps what the user typed.
import type * as Y from 'yjs';
import type { ConsentKind, ConsentRecord, ConsentTemplate, SignaturePoint } from '../domain/clinical/consent';
import type { ConsentId } from '../domain/clinical/ids';
import { consentSignedContent } from '../domain/clinical/signing';
import type { ChangeRecord, ClientProfile } from '../domain/client';
import { DEFAULT_TIME_ZONE } from '../domain/dates';
import type { ClientId } from '../domain/ids';
import { sha256Hex } from '../crypto/digest';
import { giveConsent, listConsents, withdrawConsent } from '../doc/consents-doc';
import { readHistory, readProfile, type ChangeAuthor } from '../doc/profile-doc';
import type { DocStore } from '../storage/doc-store';
import { CardDocs, loadCatalogue, type Catalogue, type CardSummaries } from './card-docs';
import { saveProfile, type Author } from './card-service';
import { ClinicalCard } from './clinical-card.svelte';
import type { ClientList } from './clients.svelte';

/** A consent as the client signs it on screen. */
export interface ConsentSigning {
	template: ConsentTemplate;
	/** The language the text was shown in (part of what was signed). */
	locale: 'pl' | 'en';
	strokes: SignaturePoint[][];
	/** A parent's or guardian's name when they sign; '' for the client. */
	signerName: string;
}

/** One open client card. */
export class OpenCard {
	profile = $state<ClientProfile | null>(null);
	history = $state<ChangeRecord[]>([]);
	consents = $state.raw<ConsentRecord[]>([]);
	catalogue = $state.raw<Catalogue | null>(null);
	/** The health record, while open (clinical key only). */
	clinical = $state.raw<ClinicalCard | null>(null);
	/** The salon's interview age limit in days (set by whoever opens the card; unset: the engine's default). */
	interviewMaxAgeDays: number | undefined = undefined;
	readonly docs: CardDocs;

	constructor(
		readonly id: ClientId,
		private readonly store: DocStore,
		private readonly list: ClientList,
		readonly timeZone: string = DEFAULT_TIME_ZONE
	) {
		this.docs = new CardDocs(store, id, timeZone);
	}

	/** Loads the card's profile doc and the salon's catalogue (consent texts, treatments). */
	async load(): Promise<void> {
		await this.docs.loadProfile();
		this.refresh();
		openCards.add(this);
		this.catalogue = await loadCatalogue(this.store);
	}

	/** Re-reads what the profile doc shows. */
	refresh(): void {
		const doc = this.docs.profile;
		this.profile = readProfile(doc);
		this.history = readHistory(doc);
		this.consents = listConsents(doc);
	}

	/** Saves a change; returns the changed fields. Throws (after reloading) when storing fails. */
	async save(patch: Partial<ClientProfile>, author: Author): Promise<string[]> {
		if (!this.profile) throw new Error('card not loaded');
		try {
			const { fields, summary } = await saveProfile(this.store, this.id, this.docs.profile, patch, author, this.profile, this.list.get(this.id));
			this.list.upsert(summary);
			this.refresh();
			return fields;
		} catch (e) {
			await this.load();
			throw e;
		}
	}

	/** Records a signed consent; the signature carries the SHA-256 of exactly the text shown. */
	async giveConsent(signing: ConsentSigning, author: Author): Promise<ConsentId> {
		const sha256 = await sha256Hex(consentSignedContent(signing.template, signing.locale));
		const { template } = signing;
		return this.#editProfile(author, (doc, change) =>
			giveConsent(
				doc,
				{ kind: template.kind, templateId: template.templateId, templateVersion: template.version, signature: { strokes: signing.strokes, sha256 }, signerName: signing.signerName.trim() },
				change
			)
		);
	}

	/** Withdraws a consent, keeping its record. */
	async withdrawConsent(id: ConsentId, author: Author): Promise<boolean> {
		return this.#editProfile(author, (doc, change) => withdrawConsent(doc, id, change));
	}

	/** The newest text of a consent kind, or null when the catalogue has none. */
	templateOf(kind: ConsentKind): ConsentTemplate | null {
		const versions = (this.catalogue?.templates ?? []).filter((t) => t.kind === kind);
		// Seeded texts have fixed ids; a salon's own text of the same kind, when newer, wins.
		return versions.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.version - b.version)).pop() ?? null;
	}

	/** Opens the health record (throws 'locked' without the clinical key). */
	async openClinical(): Promise<ClinicalCard> {
		const clinical = new ClinicalCard(this);
		await clinical.load();
		this.clinical = clinical;
		return clinical;
	}

	/** Drops the health record from memory (the clinical key left, or the section closed). */
	closeClinical(): void {
		this.clinical?.clear();
		this.docs.closeClinical();
		this.clinical = null;
	}

	/** Puts freshly derived summaries into the client list. */
	publish(summaries: CardSummaries): void {
		this.list.upsert(summaries.profile, summaries.clinical);
	}

	/** The stored summary of this client, for what the docs do not hold. */
	get previousSummary() {
		return this.list.get(this.id);
	}

	async #editProfile<T>(author: Author, edit: (doc: Y.Doc, change: ChangeAuthor) => T): Promise<T> {
		try {
			const { result, summaries } = await this.docs.editProfile(author, edit, this.previousSummary);
			this.publish(summaries);
			return result;
		} finally {
			this.refresh();
			this.clinical?.refresh();
		}
	}

	/** Releases the Y.Docs. */
	close(): void {
		openCards.delete(this);
		this.clinical?.clear();
		this.clinical = null;
		this.docs.close();
	}
}

// The cards on screen, so an edit stored from a peer redraws them instead of leaving them stale.
const openCards = new Set<OpenCard>();

/** Re-reads the profile of every open card of `clientId` from storage (a peer's edit arrived). */
export async function refreshOpenCards(clientId: ClientId): Promise<void> {
	for (const card of openCards) {
		if (card.id !== clientId) continue;
		await card.docs.loadProfile();
		card.refresh();
	}
}
