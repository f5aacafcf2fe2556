// Storage on IndexedDB through Dexie; the one file that imports Dexie. The bulk paths of a sync
// (readDocs, getRegistryEntries, adoptDocs, putSummaries) use IndexedDB directly on Dexie's own
// connection: a first sync sends thousands of requests through them, and Dexie's promise and
// middleware machinery per request cost more main-thread time there than IndexedDB itself.
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
import { AppError, isAppError } from '../domain/errors';
import type { DocId } from '../domain/ids';
import type { Envelope } from '../crypto/envelope';
import type { Adoption, NewDoc, RegistryEntry, Storage, StoredDoc, StoredSummary, StoredUpdate } from './storage';
import { decideSummaryErasure, findSummaryDocIds, readDocIdParts } from './erasure-rules';

interface DocRow {
	docId: DocId;
	snapshot: Envelope | null;
	stateVector: Envelope | null;
	snapshotSeq: number;
	lastSeq: number;
}

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

// The index of `updates` by doc, then seq, as open() declares it: Dexie names a compound index by its spec.
const UPDATES_BY_DOC = '[docId+seq]';

// Hands `next` the turn once every one of `requests` has succeeded, inside the same transaction.
type AfterAll = (requests: IDBRequest[], next: () => void) => void;

/** Names the IndexedDB database of a salon. */
export function nameSalonDatabase(salonId: string): string {
	return `kartoteka-salon-${salonId}`;
}

/** Maps any IndexedDB or Dexie failure to an AppError; a quota error may arrive wrapped in an abort. */
export function toStorageError(e: unknown): AppError {
	if (isAppError(e)) return e;
	if (isQuotaError(e)) return new AppError('quota-exceeded', describeError(e));
	return new AppError('storage-failed', describeError(e));
}

function isQuotaError(e: unknown, depth = 0): boolean {
	if (!e || typeof e !== 'object' || depth > 5) return false;
	const err = e as { name?: unknown; code?: unknown; inner?: unknown; cause?: unknown };
	// DOMException code 22 is QuotaExceededError in browsers that predate the name.
	if (err.name === 'QuotaExceededError' || err.code === 22) return true;
	return isQuotaError(err.inner, depth + 1) || isQuotaError(err.cause, depth + 1);
}

function describeError(e: unknown): string {
	if (e && typeof e === 'object') {
		const err = e as { name?: unknown; message?: unknown; inner?: unknown };
		const inner = err.inner ? ` (inner: ${describeError(err.inner)})` : '';
		return `${String(err.name ?? 'Error')}: ${String(err.message ?? '')}${inner}`;
	}
	return String(e);
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
		return this.#transact('readonly', ['docs', 'updates'], (tx) => {
			const docs = tx.objectStore('docs');
			const byDoc = tx.objectStore('updates').index(UPDATES_BY_DOC);
			// Every request goes out before the first answer comes back, so the docs are not read one by one.
			const rows = docIds.map((docId) => docs.get(docId) as IDBRequest<DocRow | undefined>);
			const updates = docIds.map((docId) => byDoc.getAll(this.#updatesOf(docId)) as IDBRequest<StoredUpdate[]>);
			return () => docIds.map((_, i) => toStoredDoc(rows[i].result, updates[i].result));
		});
	}

	async adoptDocs(docs: NewDoc[]): Promise<Adoption[]> {
		if (docs.some((doc) => doc.entry.tombstone)) {
			throw new AppError('invalid-input', 'a tombstone is not a doc to adopt');
		}
		return this.#transact('readwrite', ['registry', 'docs', 'updates'], (tx, after) => {
			const [registry, docRows, log] = ['registry', 'docs', 'updates'].map((name) => tx.objectStore(name));
			const docIds = docs.map((doc) => doc.entry.docId);
			// Every append writes its doc's row (lastSeq) in the same transaction and compaction leaves a
			// snapshot there, so the row alone tells whether data is stored: no count of updates needed.
			const entries = docIds.map((docId) => registry.get(docId) as IDBRequest<RegistryEntry | undefined>);
			const rows = docIds.map((docId) => docRows.get(docId) as IDBRequest<DocRow | undefined>);
			let statuses: Array<Adoption['status']> = [];
			const seqsOf = new Map<DocId, number[]>();
			after([...entries, ...rows], () => {
				const decided = new Map<DocId, Adoption['status']>();
				statuses = docIds.map((docId, i): Adoption['status'] => {
					const earlier = decided.get(docId);
					if (earlier) return earlier === 'adopted' ? 'registered' : earlier;
					const status = decideAdoption(entries[i].result, rows[i].result);
					decided.set(docId, status);
					return status;
				});
				const adopted = docs.flatMap((doc, i) =>
					statuses[i] === 'adopted' ? [{ ...doc, row: rows[i].result }] : []
				);
				// A transaction runs its requests in order, so the key generator hands out seqs in `docs`
				// order, then update order, and each `add` answers with its own.
				const adds = adopted.map(({ entry, updates }) =>
					updates.map((update) => log.add({ docId: entry.docId, update }) as IDBRequest<number>)
				);
				for (const { entry } of adopted) registry.put(entry);
				after(adds.flat(), () => {
					adopted.forEach(({ entry, row }, i) => {
						const seqs = adds[i].map((add) => add.result);
						seqsOf.set(entry.docId, seqs);
						const lastSeq = seqs.at(-1);
						if (lastSeq !== undefined) docRows.put({ ...(row ?? emptyRow(entry.docId)), lastSeq });
					});
				});
			});
			return () =>
				statuses.map((status, i): Adoption => {
					if (status !== 'adopted') return { status };
					// A repeated id is never 'adopted' twice, so each adopted slot is its doc's one entry.
					return { status, seqs: seqsOf.get(docIds[i])! };
				});
		});
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
		return this.#transact('readonly', ['registry'], (tx) => {
			const registry = tx.objectStore('registry');
			const entries = docIds.map((docId) => registry.get(docId) as IDBRequest<RegistryEntry | undefined>);
			return () => entries.map((entry) => entry.result);
		});
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
		return this.#transact('readwrite', ['summaries', 'registry'], (tx, after) => {
			const registry = tx.objectStore('registry');
			const get = (docId: DocId) => registry.get(docId) as IDBRequest<RegistryEntry | undefined>;
			const checks = summaries.map((summary) => {
				const ids = findSummaryDocIds(summary.clientId);
				// Without a clinical part there is nothing an erased clinical doc could bring back.
				return { profile: get(ids.profile), clinical: summary.clinical ? get(ids.clinical) : null };
			});
			after(checks.flatMap((c) => (c.clinical ? [c.profile, c.clinical] : [c.profile])), () => {
				const store = tx.objectStore('summaries');
				summaries.forEach((summary, i) => {
					// A card erased while its summary was being rebuilt: skipped, so the others still land.
					if (checks[i].profile.result?.tombstone) return;
					// The clinical part of an erased clinical doc never comes back, whoever rebuilt the summary.
					store.put(checks[i].clinical?.result?.tombstone ? { ...summary, clinical: null } : summary);
				});
			});
			return () => undefined;
		});
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

	// Every update of `docId`: seqs are numbers, so -Infinity..Infinity spans them all.
	#updatesOf(docId: DocId): IDBKeyRange {
		return this.#keyRange.bound([docId, -Infinity], [docId, Infinity]);
	}

	// One native transaction on Dexie's connection. `body` issues requests (chaining more with
	// `after`) and returns how to read the result, which is read once the transaction has committed.
	// Only IndexedDB callbacks run inside it: awaiting anything else would let it commit early.
	async #transact<T>(
		mode: IDBTransactionMode,
		storeNames: string[],
		body: (tx: IDBTransaction, after: AfterAll) => () => T
	): Promise<T> {
		let tx: IDBTransaction;
		try {
			tx = (await this.#connect()).transaction(storeNames, mode);
		} catch (e) {
			throw toStorageError(e);
		}
		return new Promise<T>((resolve, reject) => {
			let thrown: { error: unknown } | undefined;
			// A throw of our own aborts the transaction, so none of it is written.
			const fail = (error: unknown) => {
				thrown ??= { error };
				try {
					tx.abort();
				} catch {
					// Already aborting or finished: the abort or error event settles the promise.
				}
			};
			// The transaction's error comes first: when it aborts (a full disk at commit, say), its pending
			// requests fail with a bare AbortError before the abort event arrives.
			const settleFailed = (requestError?: DOMException | null) => {
				const error = thrown ? thrown.error : (tx.error ?? requestError);
				reject(toStorageError(error ?? new DOMException('Transaction aborted', 'AbortError')));
			};
			// IndexedDB answers a transaction's requests in order, so the last one's success comes last.
			const after: AfterAll = (requests, next) => {
				const run = () => {
					try {
						next();
					} catch (e) {
						fail(e);
					}
				};
				const last = requests.at(-1);
				if (last) last.onsuccess = run;
				else run();
			};
			// Set before any request can answer; a body that throws aborts, so complete never reads it unset.
			let readResult!: () => T;
			tx.oncomplete = () => {
				try {
					resolve(readResult());
				} catch (e) {
					reject(toStorageError(e));
				}
			};
			tx.onerror = (event) => settleFailed((event.target as IDBRequest | null)?.error);
			tx.onabort = () => settleFailed();
			try {
				readResult = body(tx, after);
			} catch (e) {
				fail(e);
			}
		});
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

// What adoptDocs does with a doc, from what is stored for it; repeated ids are the caller's part.
function decideAdoption(entry: RegistryEntry | undefined, row: DocRow | undefined): Adoption['status'] {
	if (entry) return entry.tombstone ? 'tombstoned' : 'registered';
	return row?.snapshot || (row?.lastSeq ?? 0) > 0 ? 'orphan-data' : 'adopted';
}

function toStoredDoc(row: DocRow | undefined, updates: StoredUpdate[]): StoredDoc {
	return {
		snapshot: row?.snapshot ?? null,
		stateVector: row?.stateVector ?? null,
		snapshotSeq: row?.snapshotSeq ?? 0,
		updates
	};
}

function emptyRow(docId: DocId): DocRow {
	return { docId, snapshot: null, stateVector: null, snapshotSeq: 0, lastSeq: 0 };
}
