// Storage on IndexedDB through Dexie; the one file that imports Dexie. The bulk paths of a sync
// (readDocs, getRegistryEntries, adoptDocs, putSummaries) use IndexedDB directly on Dexie's own
// connection (idb-bulk.ts): a first sync sends thousands of requests through them, and Dexie's
// promise and middleware machinery per request cost more main-thread time there than IndexedDB itself.
// Guarantees, on both paths:
// - one database per salon (`kartoteka-salon-<salonId>`), so a demo salon never mixes with a real one;
// - every write is one IndexedDB transaction, so a crash leaves either all of it or none;
// - the change-log sequence is the `updates` key generator, which never goes backwards, even after
//   compaction or erasure deletes the highest keys;
// - a tombstoned doc id is refused by every write, and a tombstone is never undone;
// - index keys hold only doc ids, client ids and sequence numbers, never personal data (the values
//   are envelopes, sealed before the transaction opens: awaiting WebCrypto inside it would close it);
// - every promise settles, with AppError 'quota-exceeded' for a full disk and 'storage-failed'
//   (with detail) for anything else, including request errors, aborts and a closed database.
import Dexie, { type Table } from 'dexie';
import { AppError } from '../domain/errors';
import type { DocId } from '../domain/ids';
import type { Envelope } from '../crypto/envelope';
import type { Adoption, NewDoc, RegistryEntry, Storage, StoredDoc, StoredSummary, StoredUpdate } from './storage';
import { decideSummaryErasure, findSummaryDocIds, readDocIdParts } from './erasure-rules';
import * as bulk from './idb-bulk';
import { emptyRow, toStorageError, toStoredDoc, type DocRow } from './idb-bulk';

export { toStorageError } from './idb-bulk';

interface MetaRow {
	key: string;
	value: unknown;
}

/** Where DexieStorage finds IndexedDB; tests pass fake-indexeddb, the browser uses its globals. */
export interface DexieStorageOptions {
	indexedDB?: IDBFactory;
	IDBKeyRange?: typeof IDBKeyRange;
}

// Erasing the doc holding the highest sequence deletes its row; this remembers the high-water mark
// so lastSeq() never goes backwards. Reserved: callers must not use this meta key.
const SEQ_HIGH_WATER = 'storage/seq-high-water';

/** Names the IndexedDB database of a salon. */
export function nameSalonDatabase(salonId: string): string {
	return `kartoteka-salon-${salonId}`;
}

/** Storage of one salon in its own IndexedDB database. */
export class DexieStorage implements Storage {
	readonly #db: Dexie;
	readonly #updates: Table<StoredUpdate, number>;
	readonly #docs: Table<DocRow, DocId>;
	readonly #registry: Table<RegistryEntry, DocId>;
	readonly #summaries: Table<StoredSummary, string>;
	readonly #meta: Table<MetaRow, string>;
	// The IDBKeyRange of the IndexedDB in use (fake-indexeddb's in Node tests), for the native paths.
	readonly #keyRange: typeof IDBKeyRange;
	// Dexie's own connection for the native paths, reopened as Dexie would.
	readonly #idb = () => this.#connect();

	private constructor(
		/** The salon whose database this is. */
		readonly salonId: string,
		db: Dexie,
		keyRange: typeof IDBKeyRange
	) {
		this.#db = db;
		this.#keyRange = keyRange;
		this.#updates = db.table('updates');
		this.#docs = db.table('docs');
		this.#registry = db.table('registry');
		this.#summaries = db.table('summaries');
		this.#meta = db.table('meta');
	}

	/** Opens (creating if needed) the database of `salonId`. */
	static async open(salonId: string, opts: DexieStorageOptions = {}): Promise<DexieStorage> {
		const db = new Dexie(nameSalonDatabase(salonId), {
			...(opts.indexedDB ? { indexedDB: opts.indexedDB } : {}),
			...(opts.IDBKeyRange ? { IDBKeyRange: opts.IDBKeyRange } : {})
		});
		db.version(1).stores({
			// [docId+seq] serves both "this doc's updates in order" and "this doc's updates up to seq";
			// a plain docId index would only add a write per update.
			updates: '++seq, [docId+seq]',
			docs: 'docId, lastSeq',
			registry: 'docId',
			summaries: 'clientId',
			meta: 'key'
		});
		try {
			await db.open();
		} catch (e) {
			throw toStorageError(e);
		}
		return new DexieStorage(salonId, db, opts.IDBKeyRange ?? globalThis.IDBKeyRange);
	}

	appendUpdate(docId: DocId, update: Envelope): Promise<number> {
		return this.#run('rw', [this.#updates, this.#docs, this.#registry], async () => {
			await this.#assertNotTombstoned(docId);
			const seq = await this.#updates.add({ docId, update } as StoredUpdate);
			const row = await this.#docs.get(docId);
			await this.#docs.put({ ...(row ?? emptyRow(docId)), lastSeq: seq });
			return seq;
		});
	}

	readDoc(docId: DocId): Promise<StoredDoc> {
		return this.#run('r', [this.#docs, this.#updates], async () => {
			const row = await this.#docs.get(docId);
			const updates = await this.#selectUpdates(docId, Dexie.maxKey).toArray();
			return toStoredDoc(row, updates);
		});
	}

	readDocs(docIds: DocId[]): Promise<StoredDoc[]> {
		return bulk.readDocs(this.#idb, this.#keyRange, docIds);
	}

	adoptDocs(docs: NewDoc[]): Promise<Adoption[]> {
		return bulk.adoptDocs(this.#idb, docs);
	}

	replaceSnapshot(docId: DocId, snapshot: Envelope, stateVector: Envelope, upToSeq: number): Promise<void> {
		return this.#run('rw', [this.#docs, this.#updates, this.#registry], async () => {
			await this.#assertNotTombstoned(docId);
			const row = (await this.#docs.get(docId)) ?? emptyRow(docId);
			// A snapshot older than the stored one covers less; keeping the newer loses nothing.
			if (upToSeq < row.snapshotSeq) return;
			await this.#docs.put({ ...row, snapshot, stateVector, snapshotSeq: upToSeq });
			// Only updates folded into the snapshot go; ones appended during compaction have a higher seq.
			await this.#selectUpdates(docId, upToSeq).delete();
		});
	}

	putStateVector(docId: DocId, stateVector: Envelope): Promise<void> {
		return this.#run('rw', [this.#docs, this.#registry], async () => {
			await this.#assertNotTombstoned(docId);
			const row = (await this.#docs.get(docId)) ?? emptyRow(docId);
			await this.#docs.put({ ...row, stateVector });
		});
	}

	changedSince(sinceSeq: number): Promise<Array<{ docId: DocId; seq: number }>> {
		return this.#run('r', [this.#docs], async () => {
			const rows = await this.#docs.where('lastSeq').above(sinceSeq).toArray();
			return rows.map((r) => ({ docId: r.docId, seq: r.lastSeq }));
		});
	}

	lastSeq(): Promise<number> {
		return this.#run('r', [this.#docs, this.#meta], async () => {
			// Every append bumps its doc's lastSeq in the same transaction, so the highest lastSeq is the
			// highest sequence still stored; the high-water mark covers erased docs.
			const last = await this.#docs.orderBy('lastSeq').last();
			const highWater = (await this.#meta.get(SEQ_HIGH_WATER))?.value;
			return Math.max(last?.lastSeq ?? 0, typeof highWater === 'number' ? highWater : 0);
		});
	}

	putRegistryEntry(entry: RegistryEntry): Promise<void> {
		return this.#run('rw', this.#erasureTables(), async () => {
			if (entry.tombstone) return this.#eraseDoc(entry.docId, entry.kind);
			await this.#assertNotTombstoned(entry.docId);
			await this.#registry.put(entry);
		});
	}

	getRegistryEntry(docId: DocId): Promise<RegistryEntry | undefined> {
		return this.#run('r', [this.#registry], () => this.#registry.get(docId));
	}

	getRegistryEntries(docIds: DocId[]): Promise<Array<RegistryEntry | undefined>> {
		return bulk.getRegistryEntries(this.#idb, docIds);
	}

	listRegistry(): Promise<RegistryEntry[]> {
		return this.#run('r', [this.#registry], () => this.#registry.toArray());
	}

	tombstone(docId: DocId): Promise<void> {
		return this.#run('rw', this.#erasureTables(), async () => {
			const kind = (await this.#registry.get(docId))?.kind ?? readDocIdParts(docId).kind;
			await this.#eraseDoc(docId, kind);
		});
	}

	putSummary(summary: StoredSummary): Promise<void> {
		return this.#run('rw', [this.#summaries, this.#registry], async () => {
			const ids = findSummaryDocIds(summary.clientId);
			await this.#assertNotTombstoned(ids.profile);
			// The clinical part of an erased clinical doc never comes back, whoever rebuilt the summary.
			const isClinicalErased = (await this.#registry.get(ids.clinical))?.tombstone === true;
			await this.#summaries.put(isClinicalErased ? { ...summary, clinical: null } : summary);
		});
	}

	putSummaries(summaries: StoredSummary[]): Promise<void> {
		return bulk.putSummaries(this.#idb, summaries);
	}

	listSummaries(): Promise<StoredSummary[]> {
		return this.#run('r', [this.#summaries], () => this.#summaries.toArray());
	}

	getMeta<T>(key: string): Promise<T | undefined> {
		return this.#run('r', [this.#meta], async () => (await this.#meta.get(key))?.value as T | undefined);
	}

	setMeta<T>(key: string, value: T): Promise<void> {
		return this.#run('rw', [this.#meta], async () => {
			await this.#meta.put({ key, value });
		});
	}

	async close(): Promise<void> {
		this.#db.close();
	}

	async destroy(): Promise<void> {
		try {
			await this.#db.delete();
		} catch (e) {
			throw toStorageError(e);
		}
	}

	#erasureTables(): Table[] {
		return [this.#registry, this.#docs, this.#updates, this.#summaries, this.#meta];
	}

	// Runs inside the caller's transaction over #erasureTables().
	async #eraseDoc(docId: DocId, kind: RegistryEntry['kind']): Promise<void> {
		const row = await this.#docs.get(docId);
		if (row) {
			const highWater = (await this.#meta.get(SEQ_HIGH_WATER))?.value;
			const mark = Math.max(row.lastSeq, typeof highWater === 'number' ? highWater : 0);
			await this.#meta.put({ key: SEQ_HIGH_WATER, value: mark });
		}
		await this.#registry.put({ docId, kind, wrappedKey: null, tombstone: true });
		await this.#docs.delete(docId);
		await this.#selectUpdates(docId, Dexie.maxKey).delete();
		const erasure = decideSummaryErasure(docId);
		if (!erasure) return;
		if (erasure.action === 'delete') await this.#summaries.delete(erasure.clientId);
		else await this.#summaries.update(erasure.clientId, { clinical: null });
	}

	#selectUpdates(docId: DocId, upToSeq: number | typeof Dexie.maxKey) {
		return this.#updates.where('[docId+seq]').between([docId, Dexie.minKey], [docId, upToSeq], true, true);
	}

	async #assertNotTombstoned(docId: DocId): Promise<void> {
		if ((await this.#registry.get(docId))?.tombstone) throw new AppError('tombstoned', docId);
	}

	// Dexie closes its connection when another tab upgrades or deletes the database and reopens it on
	// next use; the native paths do the same. After close() it stays closed, as for Dexie's own.
	async #connect(): Promise<IDBDatabase> {
		if (!this.#db.isOpen()) {
			if (this.#db.hasBeenClosed()) throw new Dexie.DatabaseClosedError();
			await this.#db.open();
		}
		return this.#db.backendDB();
	}

	async #run<T>(mode: 'r' | 'rw', tables: Table[], scope: () => Promise<T>): Promise<T> {
		try {
			return await this.#db.transaction(mode, tables, scope);
		} catch (e) {
			throw toStorageError(e);
		}
	}
}
