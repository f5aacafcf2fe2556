// The bulk paths of DexieStorage (readDocs, getRegistryEntries, adoptDocs, putSummaries) on native
// IndexedDB, on the connection DexieStorage hands in, over the stores its open() declares. A first
// sync sends thousands of requests through them, and Dexie's promise and middleware machinery per
// request cost more main-thread time there than IndexedDB itself; this file does not import Dexie.
// Guarantees, the same as DexieStorage's own paths:
// - every operation is one IndexedDB transaction, so a crash leaves either all of it or none;
// - only IndexedDB callbacks run inside it: nothing is awaited that would let it commit early;
// - a tombstoned doc id is refused by every write, and a tombstone is never undone;
// - every promise settles, with AppError 'quota-exceeded' for a full disk and 'storage-failed'
//   (with detail) for anything else, including request errors, aborts and a closed database.
import { AppError, isAppError } from '../domain/errors';
import type { DocId } from '../domain/ids';
import type { Envelope } from '../crypto/envelope';
import type { Adoption, NewDoc, RegistryEntry, StoredDoc, StoredSummary, StoredUpdate } from './storage';
import { findSummaryDocIds } from './erasure-rules';

/** A row of the `docs` store: a doc's snapshot, its state vector and the last seq appended to it. */
export interface DocRow {
	docId: DocId;
	snapshot: Envelope | null;
	stateVector: Envelope | null;
	snapshotSeq: number;
	lastSeq: number;
}

/** The open database, or how to get it (reopening a connection that was closed meanwhile). */
export type IdbSource = IDBDatabase | (() => IDBDatabase | Promise<IDBDatabase>);

// The index of `updates` by doc, then seq, as DexieStorage.open() declares it: Dexie names a
// compound index by its spec.
const UPDATES_BY_DOC = '[docId+seq]';

/** Hands `next` the turn once every one of `requests` has succeeded, inside the same transaction. */
export type AfterAll = (requests: IDBRequest[], next: () => void) => void;

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

/**
 * Runs one native transaction on `source`. `body` issues requests (chaining more with `after`) and
 * returns how to read the result, which is read once the transaction has committed.
 * Only IndexedDB callbacks run inside it: awaiting anything else would let it commit early.
 */
export async function transact<T>(
	source: IdbSource,
	mode: IDBTransactionMode,
	storeNames: string[],
	body: (tx: IDBTransaction, after: AfterAll) => () => T
): Promise<T> {
	let tx: IDBTransaction;
	try {
		const db = typeof source === 'function' ? await source() : source;
		tx = db.transaction(storeNames, mode);
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

/** Reads many docs in one transaction; `keyRange` is the IDBKeyRange of the IndexedDB in use. */
export function readDocs(source: IdbSource, keyRange: typeof IDBKeyRange, docIds: DocId[]): Promise<StoredDoc[]> {
	return transact(source, 'readonly', ['docs', 'updates'], (tx) => {
		const docs = tx.objectStore('docs');
		const byDoc = tx.objectStore('updates').index(UPDATES_BY_DOC);
		// Every request goes out before the first answer comes back, so the docs are not read one by one.
		const rows = docIds.map((docId) => docs.get(docId) as IDBRequest<DocRow | undefined>);
		const updates = docIds.map((docId) => byDoc.getAll(selectUpdatesOf(keyRange, docId)) as IDBRequest<StoredUpdate[]>);
		return () => docIds.map((_, i) => toStoredDoc(rows[i].result, updates[i].result));
	});
}

/** Reads many registry entries in one transaction, in the order of `docIds`. */
export function getRegistryEntries(source: IdbSource, docIds: DocId[]): Promise<Array<RegistryEntry | undefined>> {
	return transact(source, 'readonly', ['registry'], (tx) => {
		const registry = tx.objectStore('registry');
		const entries = docIds.map((docId) => registry.get(docId) as IDBRequest<RegistryEntry | undefined>);
		return () => entries.map((entry) => entry.result);
	});
}

/** Registers and appends the updates of every doc new here, in one transaction. */
export async function adoptDocs(source: IdbSource, docs: NewDoc[]): Promise<Adoption[]> {
	if (docs.some((doc) => doc.entry.tombstone)) {
		throw new AppError('invalid-input', 'a tombstone is not a doc to adopt');
	}
	return transact(source, 'readwrite', ['registry', 'docs', 'updates'], (tx, after) => {
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
				adopted.forEach(({ entry, row, stateVector }, i) => {
					const seqs = adds[i].map((add) => add.result);
					seqsOf.set(entry.docId, seqs);
					const lastSeq = seqs.at(-1);
					const kept = stateVector ? { stateVector } : {};
					if (lastSeq !== undefined) docRows.put({ ...(row ?? emptyRow(entry.docId)), lastSeq, ...kept });
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

/** Stores many client summaries in one transaction, skipping erased cards and erased clinical parts. */
export function putSummaries(source: IdbSource, summaries: StoredSummary[]): Promise<void> {
	return transact(source, 'readwrite', ['summaries', 'registry'], (tx, after) => {
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

// Every update of `docId`: seqs are numbers, so -Infinity..Infinity spans them all.
function selectUpdatesOf(keyRange: typeof IDBKeyRange, docId: DocId): IDBKeyRange {
	return keyRange.bound([docId, -Infinity], [docId, Infinity]);
}

// What adoptDocs does with a doc, from what is stored for it; repeated ids are the caller's part.
function decideAdoption(entry: RegistryEntry | undefined, row: DocRow | undefined): Adoption['status'] {
	if (entry) return entry.tombstone ? 'tombstoned' : 'registered';
	return row?.snapshot || (row?.lastSeq ?? 0) > 0 ? 'orphan-data' : 'adopted';
}

/** What is stored for a doc, from its row (if any) and its updates in seq order. */
export function toStoredDoc(row: DocRow | undefined, updates: StoredUpdate[]): StoredDoc {
	return {
		snapshot: row?.snapshot ?? null,
		stateVector: row?.stateVector ?? null,
		snapshotSeq: row?.snapshotSeq ?? 0,
		updates
	};
}

/** The row of a doc with nothing stored yet. */
export function emptyRow(docId: DocId): DocRow {
	return { docId, snapshot: null, stateVector: null, snapshotSeq: 0, lastSeq: 0 };
}
