// A Storage decorator that tells the sync layer when something it must send was stored: every
// appended update (local edit or from a peer) and every erasure. Guarantees: it changes no
// behaviour of the wrapped Storage (same results, same errors); listeners run only after the
// wrapped call succeeded, and a listener that throws cannot fail the write that triggered it.
// The composition root hands this, not the raw Storage, to DocStore, so sync sees every change.
import type { Envelope } from '../crypto/envelope';
import type { DocId } from '../domain/ids';
import type { RegistryEntry, Storage, StoredDoc, StoredSummary } from '../storage/storage';

/** A change the sync layer acts on. */
export type StorageChange = { type: 'append'; docId: DocId; seq: number } | { type: 'erase'; docId: DocId };

/** Storage that reports appends and erasures to its listeners. */
export class ObservedStorage implements Storage {
	readonly #inner: Storage;
	readonly #listeners = new Set<(change: StorageChange) => void>();

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
		await this.#inner.putRegistryEntry(entry);
		if (entry.tombstone) this.#emit({ type: 'erase', docId: entry.docId });
	}

	getRegistryEntry(docId: DocId): Promise<RegistryEntry | undefined> {
		return this.#inner.getRegistryEntry(docId);
	}

	listRegistry(): Promise<RegistryEntry[]> {
		return this.#inner.listRegistry();
	}

	async tombstone(docId: DocId): Promise<void> {
		await this.#inner.tombstone(docId);
		this.#emit({ type: 'erase', docId });
	}

	putSummary(summary: StoredSummary): Promise<void> {
		return this.#inner.putSummary(summary);
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
		return this.#inner.close();
	}

	destroy(): Promise<void> {
		return this.#inner.destroy();
	}
}
