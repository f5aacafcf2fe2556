// DocStore: Yjs docs and client summaries, sealed, above any Storage. Guarantees:
// - nothing reaches Storage unsealed: every update, snapshot, state vector and summary is an
//   envelope bound to its doc id and record kind; each doc has its own random data key, wrapped by
//   the salon key (profile and salon docs) or the clinical key (clinical docs);
// - sealing and opening happen before and after Storage calls, never inside a transaction;
// - without the clinical key in memory a clinical doc cannot be created, loaded or written ('locked');
// - compaction folds a doc's log into its snapshot without losing updates appended meanwhile (they
//   have a higher seq than the compaction's upToSeq), one compaction per doc at a time.
import * as Y from 'yjs';
import { AppError, isAppError } from '../domain/errors';
import type { ClientId, DocId, DocKind } from '../domain/ids';
import { openEnvelope, sealEnvelope, type DataKey, type Envelope } from '../crypto/envelope';
import type { Storage, StoredDoc } from './storage';
import { DocKeys, type DocStoreKeys } from './doc-keys';
import { readDocIdParts } from './erasure-rules';
import { openSummaries, sealSummary, type ClinicalPart, type OpenedSummary } from './summary-sealing';

export type { DocStoreKeys } from './doc-keys';

/** Tuning and reporting for a DocStore. */
export interface DocStoreOptions {
	/** Compact once this many updates follow the snapshot (default 200). */
	compactAfterUpdates?: number;
	/** Compact from this many updates on when they outweigh the snapshot in bytes (default 16). */
	compactMinUpdates?: number;
	/** Receives failures nobody awaits: background compactions, unreadable summaries. */
	onError?: (error: AppError) => void;
}

// What DocStore knows about a doc's log since the snapshot; approximate, it only times compaction.
interface LogStats {
	count: number;
	bytes: number;
	snapshotBytes: number;
	isCompactionQueued: boolean;
}

/** Seals and opens Yjs docs and summaries over a Storage; composition happens in app.ts. */
export class DocStore {
	readonly #storage: Storage;
	readonly #keys: DocKeys;
	readonly #compactAfterUpdates: number;
	readonly #compactMinUpdates: number;
	readonly #onError: (error: AppError) => void;
	readonly #logs = new Map<DocId, Promise<LogStats>>();
	readonly #compactions = new Map<DocId, Promise<void>>();
	// Stored clinical summary parts, so a device without the clinical key keeps them when it
	// rebuilds a profile summary instead of wiping what it cannot read.
	readonly #clinicalSummaries = new Map<string, Envelope | null>();

	constructor(storage: Storage, keys: DocStoreKeys, options: DocStoreOptions = {}) {
		this.#storage = storage;
		this.#keys = new DocKeys(storage, keys);
		this.#compactAfterUpdates = options.compactAfterUpdates ?? 200;
		this.#compactMinUpdates = options.compactMinUpdates ?? 16;
		this.#onError = options.onError ?? ((e) => console.error('DocStore', e));
	}

	/** Creates a doc's random data key and registers it; does nothing when the doc already exists. */
	createDoc(docId: DocId, kind: DocKind): Promise<void> {
		return this.#keys.createKey(docId, kind);
	}

	/** Loads a doc from its snapshot and updates; 'locked' without the key, 'not-found' if unregistered. */
	async load(docId: DocId): Promise<Y.Doc> {
		const key = await this.#keys.findKey(docId);
		const stored = await this.#storage.readDoc(docId);
		const parts = await openStoredParts(key, docId, stored);
		if (!this.#logs.has(docId)) this.#logs.set(docId, Promise.resolve(measureLog(stored)));
		return applyParts(docId, parts);
	}

	/**
	 * Loads several docs with one storage read; each slot holds the doc or why it could not be
	 * loaded ('locked', 'not-found', 'invalid-update'), so one bad doc does not hide the others.
	 * A doc in `known` (built by the caller from all it just stored) is handed back as it is, not
	 * read again; it is the caller's from then on, like the others.
	 */
	async loadMany(docIds: DocId[], known: ReadonlyMap<DocId, Y.Doc> = new Map()): Promise<Array<{ doc: Y.Doc } | { error: AppError }>> {
		const toRead = docIds.filter((docId) => !known.has(docId));
		const read = new Map((await this.#storage.readDocs(toRead)).map((stored, i) => [toRead[i], stored]));
		return Promise.all(
			docIds.map(async (docId) => {
				try {
					const given = known.get(docId);
					if (given) return { doc: given };
					const stored = read.get(docId)!;
					const parts = await openStoredParts(await this.#keys.findKey(docId), docId, stored);
					if (!this.#logs.has(docId)) this.#logs.set(docId, Promise.resolve(measureLog(stored)));
					return { doc: applyParts(docId, parts) };
				} catch (e) {
					return { error: isAppError(e) ? e : new AppError('storage-failed', String(e)) };
				}
			})
		);
	}

	/** Caches a doc key just unwrapped from the entry stored for `docId` (see DocKeys.remember). */
	rememberKey(docId: DocId, key: DataKey): void {
		this.#keys.remember(docId, key);
	}

	/** Seals and stores one Yjs update ('invalid-update' if it is not one); returns its seq; may compact. */
	async append(docId: DocId, update: Uint8Array): Promise<number> {
		assertYjsUpdate(docId, update);
		const key = await this.#keys.findKey(docId);
		// Measure before appending, so this update is counted once, not also by the measuring read.
		const log = await this.#readLogStats(docId);
		const envelope = await sealEnvelope(key, update, { docId, kind: 'update' });
		const seq = await this.#storage.appendUpdate(docId, envelope);
		log.count += 1;
		log.bytes += envelope.ciphertext.byteLength;
		if (this.#isCompactionDue(log)) {
			log.isCompactionQueued = true;
			this.compact(docId).catch((e) => this.#report(e));
		}
		return seq;
	}

	/** Folds a doc's updates into its snapshot; queued behind any compaction of the same doc. */
	compact(docId: DocId): Promise<void> {
		const previous = this.#compactions.get(docId) ?? Promise.resolve();
		const next = previous.then(() => this.#compactNow(docId));
		const settled = next.catch(() => undefined);
		this.#compactions.set(docId, settled);
		void settled.then(() => {
			if (this.#compactions.get(docId) === settled) this.#compactions.delete(docId);
		});
		return next;
	}

	/** Waits until every compaction queued so far has settled. */
	async waitForCompactions(): Promise<void> {
		await Promise.all([...this.#compactions.values()]);
	}

	/** stateVector() of several docs with one storage read; a doc this device cannot read gets null. */
	async stateVectors(docIds: DocId[]): Promise<Array<Uint8Array | null>> {
		const storedDocs = await this.#storage.readDocs(docIds);
		return Promise.all(
			docIds.map(async (docId, i) => {
				try {
					const sealed = storedDocs[i].stateVector;
					if (!sealed) return Y.encodeStateVector(new Map());
					return await openEnvelope(await this.#keys.findKey(docId), sealed, { docId, kind: 'state-vector' });
				} catch {
					return null;
				}
			})
		);
	}

	/**
	 * Keeps `stateVector` (of the doc as this device just stored it) beside the doc, sealed; a
	 * state vector that lags behind the log is always safe: a peer then sends more, never less.
	 */
	async storeStateVector(docId: DocId, stateVector: Uint8Array): Promise<void> {
		const key = await this.#keys.findKey(docId);
		await this.#storage.putStateVector(docId, await sealEnvelope(key, stateVector, { docId, kind: 'state-vector' }));
	}

	/** The doc's stored state vector: exact as of its last compaction or last merge from a peer, a lower bound while updates follow. */
	async stateVector(docId: DocId): Promise<Uint8Array> {
		const key = await this.#keys.findKey(docId);
		const stored = await this.#storage.readDoc(docId);
		if (!stored.stateVector) return Y.encodeStateVector(new Map());
		return openEnvelope(key, stored.stateVector, { docId, kind: 'state-vector' });
	}

	/** Seals and stores a client's summary; `clinicalSummary` omitted keeps the stored clinical part, null clears it. */
	async putSummary(clientId: ClientId, profileSummary: object, clinicalSummary?: object | null): Promise<void> {
		const summary = await sealSummary(this.#keys.requireRoots(), clientId, profileSummary, this.#clinicalPart(clientId, clinicalSummary));
		await this.#storage.putSummary(summary);
		this.#clinicalSummaries.set(clientId, summary.clinical);
	}

	/** putSummary for several clients: sealed in parallel, stored in one transaction (an erased card's is skipped). */
	async putSummaries(items: Array<{ clientId: ClientId; profile: object; clinical?: object | null }>): Promise<void> {
		const roots = this.#keys.requireRoots();
		const sealed = await Promise.all(
			items.map((item) => sealSummary(roots, item.clientId, item.profile, this.#clinicalPart(item.clientId, item.clinical)))
		);
		await this.#storage.putSummaries(sealed);
		for (const s of sealed) this.#clinicalSummaries.set(s.clientId, s.clinical);
	}

	/** Reads every summary in one bulk read and opens them in parallel; unreadable ones go to onError. */
	async loadSummaries(): Promise<OpenedSummary[]> {
		const stored = await this.#storage.listSummaries();
		const keys = this.#keys.requireRoots();
		for (const s of stored) this.#clinicalSummaries.set(s.clientId, s.clinical);
		return openSummaries(keys, stored, (e) => this.#report(e));
	}

	/** Erases a doc: its key, data and (for a profile) the client's summary; its id is refused from now on. */
	async eraseDoc(docId: DocId): Promise<void> {
		await this.#storage.tombstone(docId);
		this.#keys.dropKey(docId);
		this.#logs.delete(docId);
		const { kind, clientId } = readDocIdParts(docId);
		if (clientId && kind === 'profile') this.#clinicalSummaries.delete(clientId);
		if (clientId && kind === 'clinical') this.#clinicalSummaries.set(clientId, null);
	}

	/** Drops every key from memory (hard lock); every later call fails with 'locked'. */
	forget(): void {
		this.#keys.forget();
		this.#clinicalSummaries.clear();
	}

	/** Drops the clinical key and every clinical doc key (a role without clinical access took over). */
	forgetClinical(): void {
		this.#keys.forgetClinical();
	}

	/** Whether clinical docs can be opened now. */
	get hasClinicalKey(): boolean {
		return this.#keys.hasClinical;
	}

	/** Puts the clinical key back (a clinical staff member unlocked with their passphrase). */
	restoreClinical(clinical: DataKey): void {
		this.#keys.restoreClinical(clinical);
	}

	async #compactNow(docId: DocId): Promise<void> {
		const log = await this.#logs.get(docId)?.catch(() => undefined);
		try {
			const key = await this.#keys.findKey(docId);
			const stored = await this.#storage.readDoc(docId);
			const last = stored.updates.at(-1);
			if (!last) return;
			const merged = Y.mergeUpdates(await openStoredParts(key, docId, stored));
			const stateVector = Y.encodeStateVectorFromUpdate(merged);
			const [snapshotEnv, stateVectorEnv] = await Promise.all([
				sealEnvelope(key, merged, { docId, kind: 'snapshot' }),
				sealEnvelope(key, stateVector, { docId, kind: 'state-vector' })
			]);
			// upToSeq is the last update read: anything appended since keeps a higher seq and survives.
			await this.#storage.replaceSnapshot(docId, snapshotEnv, stateVectorEnv, last.seq);
			if (log) {
				const folded = measureLog(stored);
				log.count = Math.max(0, log.count - folded.count);
				log.bytes = Math.max(0, log.bytes - folded.bytes);
				log.snapshotBytes = snapshotEnv.ciphertext.byteLength;
			}
		} catch (e) {
			// Erased or locked meanwhile: there is nothing left this device may compact.
			if (isAppError(e, 'tombstoned') || isAppError(e, 'locked')) return;
			throw e;
		} finally {
			if (log) log.isCompactionQueued = false;
		}
	}

	// Omitted keeps the stored clinical part (a device without the clinical key), null clears it.
	#clinicalPart(clientId: ClientId, clinical: object | null | undefined): ClinicalPart {
		if (clinical === undefined) return { keep: this.#clinicalSummaries.get(clientId) ?? null };
		return clinical === null ? { keep: null } : { seal: clinical };
	}

	#isCompactionDue(log: LogStats): boolean {
		if (log.isCompactionQueued) return false;
		if (log.count >= this.#compactAfterUpdates) return true;
		return log.count >= this.#compactMinUpdates && log.bytes > log.snapshotBytes;
	}

	#readLogStats(docId: DocId): Promise<LogStats> {
		let stats = this.#logs.get(docId);
		if (!stats) {
			stats = this.#storage.readDoc(docId).then(measureLog);
			this.#logs.set(docId, stats);
			stats.catch(() => this.#logs.delete(docId));
		}
		return stats;
	}

	#report(e: unknown): void {
		this.#onError(isAppError(e) ? e : new AppError('storage-failed', String(e)));
	}
}

// One stored non-update would make the doc unloadable and its compaction fail forever.
function assertYjsUpdate(docId: DocId, update: Uint8Array): void {
	try {
		Y.parseUpdateMeta(update);
	} catch (e) {
		throw new AppError('invalid-update', `${docId}: ${String(e)}`);
	}
}

function applyParts(docId: DocId, parts: Uint8Array[]): Y.Doc {
	// The doc id as guid: Yjs would otherwise draw a random uuid, one getRandomValues call per character.
	const doc = new Y.Doc({ guid: docId });
	try {
		doc.transact(() => parts.forEach((p) => Y.applyUpdate(doc, p)));
	} catch (e) {
		doc.destroy();
		throw new AppError('invalid-update', `${docId}: ${String(e)}`);
	}
	return doc;
}

function openStoredParts(key: DataKey, docId: DocId, stored: StoredDoc): Promise<Uint8Array[]> {
	const snapshot = stored.snapshot ? [openEnvelope(key, stored.snapshot, { docId, kind: 'snapshot' })] : [];
	const updates = stored.updates.map((u) => openEnvelope(key, u.update, { docId, kind: 'update' }));
	return Promise.all([...snapshot, ...updates]);
}

function measureLog(stored: StoredDoc): LogStats {
	return {
		count: stored.updates.length,
		bytes: stored.updates.reduce((sum, u) => sum + u.update.ciphertext.byteLength, 0),
		snapshotBytes: stored.snapshot?.ciphertext.byteLength ?? 0,
		isCompactionQueued: false
	};
}
