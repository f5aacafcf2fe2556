// Summaries never travel: a card a peer changed is summarised on this device, as a local save
// would be. Used by the app's sync state and by the sync benchmark, so both do the same work.
// Many cards at once (a first sync) cost one registry read, one doc read and one summary write.
import type * as Y from 'yjs';
import type { ClientSummary } from '../domain/client';
import { clinicalDocId, parseDocId, profileDocId, type ClientId, type DocId } from '../domain/ids';
import type { DocStore } from '../storage/doc-store';
import type { Storage } from '../storage/storage';
import type { StoredFromPeer } from '../sync/sync-node';
import { CardDocs } from './card-docs';

/**
 * Rebuilds and stores the summaries of `clientIds` from the stored docs. The clinical part is
 * rebuilt only when this device holds the clinical key and the card has a clinical doc (it is
 * never created here: that is the first clinical member's open). An erased card, or one whose
 * profile has not arrived yet, is left alone; a card whose docs do not load is reported through
 * `onError` and skipped, never failing the others. `previous` supplies what the docs do not hold
 * (CardDocs.summaries); `contents` docs just stored and built by the caller (not read back).
 */
export async function rebuildSummaries(
	store: DocStore,
	storage: Storage,
	clientIds: ClientId[],
	timeZone: string,
	previous: (clientId: ClientId) => ClientSummary | undefined = () => undefined,
	onError: (clientId: ClientId, error: Error) => void = () => {},
	contents?: ReadonlyMap<DocId, Y.Doc>
): Promise<void> {
	const ids = [...new Set(clientIds)];
	const withClinical = store.hasClinicalKey;
	const entries = await storage.getRegistryEntries(ids.flatMap((id) => (withClinical ? [profileDocId(id), clinicalDocId(id)] : [profileDocId(id)])));
	const step = withClinical ? 2 : 1;
	const cards = ids
		.map((id, i) => ({ id, profile: entries[i * step], clinical: withClinical ? entries[i * step + 1] : undefined }))
		.filter((c) => c.profile && !c.profile.tombstone)
		.map((c) => ({ id: c.id, hasClinical: !!c.clinical && !c.clinical.tombstone }));
	const docIds = cards.flatMap((c) => (c.hasClinical ? [profileDocId(c.id), clinicalDocId(c.id)] : [profileDocId(c.id)]));
	const loaded = await store.loadMany(docIds, contents);
	const summaries: Parameters<DocStore['putSummaries']>[0] = [];
	let next = 0;
	for (const card of cards) {
		const profile = loaded[next++];
		const clinical = card.hasClinical ? loaded[next++] : null;
		if ('error' in profile || (clinical && 'error' in clinical)) {
			for (const slot of [profile, clinical]) if (slot && 'doc' in slot) slot.doc.destroy();
			onError(card.id, 'error' in profile ? profile.error : (clinical as { error: Error }).error);
			continue;
		}
		const docs = new CardDocs(store, card.id, timeZone);
		docs.use(profile.doc, clinical?.doc ?? null);
		try {
			const made = docs.summaries(previous(card.id));
			summaries.push({ clientId: card.id, profile: made.profile, clinical: made.clinical });
		} catch (e) {
			onError(card.id, e instanceof Error ? e : new Error(String(e)));
		} finally {
			docs.close();
		}
	}
	if (summaries.length) await store.putSummaries(summaries);
}

/** Most built docs a SummaryQueue keeps for the cards waiting (beyond, they are read back). */
const MAX_CONTENTS = 200;

/**
 * The cards peers changed, waiting for their summaries: clients changed while a rebuild runs wait
 * for the next one, which takes them all (up to `chunk`), so a first sync rebuilds many cards per
 * storage read while a single live edit is rebuilt at once. A doc new here comes along built
 * (StoredFromPeer) and is dropped when a peer changes the doc again. A local edit
 * cannot come between: a card is listed, so it can be opened, only once its summary is built.
 * `rebuild` must not reject.
 */
export class SummaryQueue {
	readonly #waiting = new Set<ClientId>();
	readonly #contents = new Map<DocId, Y.Doc>();
	#isRunning = false;

	constructor(
		private readonly rebuild: (clientIds: ClientId[], contents: ReadonlyMap<DocId, Y.Doc>) => Promise<void>,
		/** Most cards rebuilt with one storage read and one write. */
		private readonly chunk = 200
	) {}

	/** Queues the clients of these docs (the salon doc has none) and starts a rebuild if none runs. */
	add(docs: StoredFromPeer[]): void {
		for (const { docId, doc } of docs) {
			const { clientId } = parseDocId(docId);
			if (!clientId) continue;
			this.#waiting.add(clientId);
			this.#drop(docId);
			if (doc && this.#contents.size < MAX_CONTENTS) this.#contents.set(docId, doc);
		}
		void this.#run();
	}

	/** Drops the waiting clients (sync stopped); a rebuild already running finishes. */
	clear(): void {
		this.#waiting.clear();
		for (const docId of [...this.#contents.keys()]) this.#drop(docId);
	}

	#drop(docId: DocId): void {
		this.#contents.get(docId)?.destroy();
		this.#contents.delete(docId);
	}

	/** Whether every queued client's summaries are rebuilt. */
	get isSettled(): boolean {
		return !this.#isRunning && this.#waiting.size === 0;
	}

	async #run(): Promise<void> {
		if (this.#isRunning) return;
		this.#isRunning = true;
		try {
			while (this.#waiting.size) {
				const clientIds = [...this.#waiting].slice(0, this.chunk);
				const contents = new Map<DocId, Y.Doc>();
				for (const id of clientIds) {
					this.#waiting.delete(id);
					for (const docId of [profileDocId(id), clinicalDocId(id)]) {
						const content = this.#contents.get(docId);
						if (content) contents.set(docId, content);
						this.#contents.delete(docId);
					}
				}
				await this.rebuild(clientIds, contents);
			}
		} finally {
			this.#isRunning = false;
		}
	}
}
