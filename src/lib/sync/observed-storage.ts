// A Storage decorator that tells the sync layer when something it must send was stored: every
// appended update (local edit, from a peer, or adopted with a new doc: one 'append' per seq, in
// order) and every erasure. Guarantees: it changes no behaviour of the wrapped Storage (same
// results, same errors); listeners run only after the wrapped call succeeded, and a listener that
// throws cannot fail the write that triggered it. The composition root hands this, not the raw
// Storage, to DocStore, so sync sees every change.
// It also remembers registry entries it has read or written (the receiving side of a first sync
// asked for the same entry five times per doc, an IndexedDB transaction each; a bulk read asks
// storage only for the ids it does not know): a non-tombstone write replaces the remembered entry,
// an adoption remembers the entries it adopted and forgets those of the docs it left alone, a
// failed write forgets the entries it touched, any erasure forgets them all, and a read that raced
// a write is not remembered. A bulk read of many unknown ids lists the whole registry once; from then
// on every read is answered from memory until an erasure or a failed write. This holds because one writer (the leader tab) owns the salon's
// storage and every write of that tab goes through this object.
import type { Envelope } from '../crypto/envelope';
import type { DocId } from '../domain/ids';
import type { Adoption, NewDoc, RegistryEntry, Storage, StoredDoc, StoredSummary } from '../storage/storage';

/** A bulk read with this many unknown ids lists the whole registry instead (one getAll, then all known). */
const LIST_ALL_FROM = 32;

/** A change the sync layer acts on. */
export type StorageChange = { type: 'append'; docId: DocId; seq: number } | { type: 'erase'; docId: DocId };

/** Storage that reports appends and erasures to its listeners. */
export class ObservedStorage implements Storage {
	readonly #inner: Storage;
	readonly #listeners = new Set<(change: StorageChange) => void>();
	/** Registry entries known from reads and writes here; null: known to be absent. */
	readonly #registry = new Map<DocId, RegistryEntry | null>();
	#registryWrites = 0;
	/** Whether the map holds every entry (after a listing): then an id not in it has none. */
	#isComplete = false;
	#isOpen = true;

	constructor(inner: Storage) {
		this.#inner = inner;
	}

	/** Adds a listener; returns the function that removes it. */
	subscribe(listener: (change: StorageChange) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	#emit(change: StorageChange): void {
		for (const listener of this.#listeners) {
			try {
				listener(change);
			} catch (e) {
				console.error('sync listener failed', e);
			}
		}
	}

	async appendUpdate(docId: DocId, update: Envelope): Promise<number> {
		const seq = await this.#inner.appendUpdate(docId, update);
		this.#emit({ type: 'append', docId, seq });
		return seq;
	}

	readDoc(docId: DocId): Promise<StoredDoc> {
		return this.#inner.readDoc(docId);
	}

	readDocs(docIds: DocId[]): Promise<StoredDoc[]> {
		return this.#inner.readDocs(docIds);
	}

	async adoptDocs(docs: NewDoc[]): Promise<Adoption[]> {
		this.#registryWrites += 1;
		let adoptions: Adoption[];
		try {
			adoptions = await this.#inner.adoptDocs(docs);
		} catch (e) {
			for (const { entry } of docs) this.#forget(entry.docId);
			throw e;
		}
		const adopted = adoptions.flatMap((adoption, i) =>
			adoption.status === 'adopted' ? [{ entry: docs[i].entry, seqs: adoption.seqs }] : []
		);
		// Forget before remembering: a repeated id reads 'registered' after its adopted first slot.
		adoptions.forEach((adoption, i) => {
			if (adoption.status !== 'adopted') this.#forget(docs[i].entry.docId);
		});
		for (const { entry } of adopted) this.#registry.set(entry.docId, structuredClone(entry));
		for (const { entry, seqs } of adopted) {
			for (const seq of seqs) this.#emit({ type: 'append', docId: entry.docId, seq });
		}
		return adoptions;
	}

	replaceSnapshot(docId: DocId, snapshot: Envelope, stateVector: Envelope, upToSeq: number): Promise<void> {
		return this.#inner.replaceSnapshot(docId, snapshot, stateVector, upToSeq);
	}

	putStateVector(docId: DocId, stateVector: Envelope): Promise<void> {
		return this.#inner.putStateVector(docId, stateVector);
	}

	changedSince(sinceSeq: number): Promise<Array<{ docId: DocId; seq: number }>> {
		return this.#inner.changedSince(sinceSeq);
	}

	lastSeq(): Promise<number> {
		return this.#inner.lastSeq();
	}

	async putRegistryEntry(entry: RegistryEntry): Promise<void> {
		this.#registryWrites += 1;
		try {
			await this.#inner.putRegistryEntry(entry);
		} catch (e) {
			this.#forget(entry.docId);
			throw e;
		}
		if (entry.tombstone) {
			this.#forgetAll();
			this.#emit({ type: 'erase', docId: entry.docId });
		} else {
			this.#registry.set(entry.docId, structuredClone(entry));
		}
	}

	async getRegistryEntry(docId: DocId): Promise<RegistryEntry | undefined> {
		const known = this.#isOpen ? this.#recall(docId) : undefined;
		if (known !== undefined) return known === null ? undefined : structuredClone(known);
		const writes = this.#registryWrites;
		const entry = await this.#inner.getRegistryEntry(docId);
		if (writes === this.#registryWrites && this.#isOpen) this.#registry.set(docId, entry ? structuredClone(entry) : null);
		return entry;
	}

	async getRegistryEntries(docIds: DocId[]): Promise<Array<RegistryEntry | undefined>> {
		const known = docIds.map((docId) => (this.#isOpen ? this.#recall(docId) : undefined));
		const unknownIds = docIds.filter((_, i) => known[i] === undefined);
		const writes = this.#registryWrites;
		let fetched: Array<RegistryEntry | undefined>;
		if (unknownIds.length >= LIST_ALL_FROM && this.#isOpen) {
			// Many unknown (a first sync): one listing of the whole registry answers them and every later read.
			const all = await this.#inner.listRegistry();
			const byId = new Map(all.map((entry) => [entry.docId, entry]));
			// Copies for the caller: the listed entries themselves are remembered.
			fetched = unknownIds.map((docId) => {
				const entry = byId.get(docId);
				return entry && structuredClone(entry);
			});
			if (writes === this.#registryWrites && this.#isOpen) {
				for (const entry of all) this.#registry.set(entry.docId, entry); // a fresh read: ours alone
				this.#isComplete = true;
			}
		} else {
			// A closed storage still answers with its own error, even for nothing asked.
			fetched = unknownIds.length || !this.#isOpen ? await this.#inner.getRegistryEntries(unknownIds) : [];
			if (writes === this.#registryWrites && this.#isOpen) {
				unknownIds.forEach((docId, i) => this.#registry.set(docId, fetched[i] ? structuredClone(fetched[i]) : null));
			}
		}
		let next = 0;
		return known.map((entry) => {
			if (entry === undefined) return fetched[next++];
			return entry === null ? undefined : structuredClone(entry);
		});
	}

	// What is known of a doc's entry: the entry, null when known to be absent, undefined when unknown.
	#recall(docId: DocId): RegistryEntry | null | undefined {
		const known = this.#registry.get(docId);
		return known === undefined && this.#isComplete ? null : known;
	}

	#forget(docId: DocId): void {
		this.#registry.delete(docId);
		this.#isComplete = false;
	}

	#forgetAll(): void {
		this.#registry.clear();
		this.#isComplete = false;
	}

	listRegistry(): Promise<RegistryEntry[]> {
		return this.#inner.listRegistry();
	}

	async tombstone(docId: DocId): Promise<void> {
		this.#registryWrites += 1;
		try {
			await this.#inner.tombstone(docId);
		} finally {
			this.#forgetAll();
		}
		this.#emit({ type: 'erase', docId });
	}

	putSummary(summary: StoredSummary): Promise<void> {
		return this.#inner.putSummary(summary);
	}

	putSummaries(summaries: StoredSummary[]): Promise<void> {
		return this.#inner.putSummaries(summaries);
	}

	listSummaries(): Promise<StoredSummary[]> {
		return this.#inner.listSummaries();
	}

	getMeta<T>(key: string): Promise<T | undefined> {
		return this.#inner.getMeta<T>(key);
	}

	setMeta<T>(key: string, value: T): Promise<void> {
		return this.#inner.setMeta(key, value);
	}

	close(): Promise<void> {
		this.#isOpen = false;
		this.#forgetAll();
		return this.#inner.close();
	}

	destroy(): Promise<void> {
		this.#isOpen = false;
		this.#forgetAll();
		this.#registryWrites += 1;
		return this.#inner.destroy();
	}
}
