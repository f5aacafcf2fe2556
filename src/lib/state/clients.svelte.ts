// The client list: summaries decrypted at unlock into an in-memory index, searched on every
// keystroke without opening any card. Cleared on lock. The clinical parts (allergy and warning
// badges) are kept only while the clinical key is in memory, and dropped with it.
import type { ClinicalSummary } from '../domain/clinical/summary';
import type { ClientProfile, ClientSummary } from '../domain/client';
import { AppError } from '../domain/errors';
import type { ClientId } from '../domain/ids';
import { createClient } from './card-service';
import type { SalonSession } from './salon-session';
import { ClientSearchIndex } from '../domain/search';
import type { DocStore } from '../storage/doc-store';

/** The list of clients and the search over it. */
export class ClientList {
	query = $state('');
	includeArchived = $state(false);
	isLoaded = $state(false);
	/** Bumped on every index change, so derived results recompute. */
	private version = $state(0);
	private index = new ClientSearchIndex([]);
	private clinical = new Map<ClientId, ClinicalSummary>();
	/** Whether the clinical parts were read with the clinical key (false after it was dropped). */
	hasClinical = false;

	/** The clients matching the query, sorted by last name (Polish collation). */
	results = $derived.by(() => {
		void this.version;
		return this.index.search(this.query, { includeArchived: this.includeArchived });
	});

	/** How many clients the salon has (archived included). */
	get total(): number {
		void this.version;
		return this.index.size;
	}

	/** Loads every summary in one bulk read and builds the index. */
	async load(store: DocStore): Promise<void> {
		const rows = await store.loadSummaries();
		this.index = new ClientSearchIndex(rows.map((r) => r.profile as ClientSummary));
		this.clinical = new Map();
		this.hasClinical = store.hasClinicalKey;
		if (this.hasClinical) for (const r of rows) if (isClinicalSummary(r.clinical)) this.clinical.set(r.clientId, r.clinical);
		this.isLoaded = true;
		this.version++;
	}

	/** Puts a new or changed summary (and its clinical part, when derived) into the index. */
	upsert(summary: ClientSummary, clinical?: ClinicalSummary): void {
		this.index.upsert(summary);
		if (clinical) this.clinical.set(summary.id, clinical);
		this.version++;
	}

	/** The clinical part of a client's summary, or null (none yet, or no clinical key). */
	clinicalOf(id: ClientId): ClinicalSummary | null {
		void this.version;
		return this.clinical.get(id) ?? null;
	}

	/** Forgets every clinical part (the clinical key left memory). */
	dropClinical(): void {
		this.clinical = new Map();
		this.hasClinical = false;
		this.version++;
	}

	/** Finds one summary by id. */
	get(id: ClientId): ClientSummary | undefined {
		void this.version;
		return this.index.get(id);
	}

	/** Drops every decrypted summary (lock). */
	clear(): void {
		this.index = new ClientSearchIndex([]);
		this.clinical = new Map();
		this.hasClinical = false;
		this.query = '';
		this.isLoaded = false;
		this.version++;
	}
}

/** The one client list of the app. */
export const clientList = new ClientList();

/** Creates a client card from the form and puts it into the list. */
export async function addClient(salon: SalonSession | null, profile: ClientProfile): Promise<ClientSummary> {
	if (!salon) throw new AppError('locked');
	const summary = await createClient(salon.store, profile, salon.author);
	clientList.upsert(summary);
	return summary;
}

// A clinical part from another app version may lack what the badges read: it is then not shown.
function isClinicalSummary(v: unknown): v is ClinicalSummary {
	if (typeof v !== 'object' || v === null) return false;
	const s = v as Record<string, unknown>;
	return ['conditions', 'allergies', 'medications', 'patchTests'].every((k) => Array.isArray(s[k]));
}
