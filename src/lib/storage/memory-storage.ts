// In-memory Storage for tests and for the sync suite. Guarantees the same semantics as DexieStorage
// (the contract suite runs against both): every operation is atomic, the change-log sequence
// strictly increases and never goes back, a tombstone is final, and records are structured-clone
// copies on the way in and out, so a caller mutating what it passed or got cannot change what is
// stored. Nothing survives the process.
import { AppError } from '../domain/errors';
import type { DocId } from '../domain/ids';
import type { Envelope } from '../crypto/envelope';
import type { Adoption, NewDoc, RegistryEntry, Storage, StoredDoc, StoredSummary, StoredUpdate } from './storage';
import { decideSummaryErasure, findSummaryDocIds, readDocIdParts } from './erasure-rules';

interface DocRow {
	snapshot: Envelope | null;
	stateVector: Envelope | null;
	snapshotSeq: number;
	lastSeq: number;
}

/** Storage kept in memory; the reference implementation of the storage contract. */
export class MemoryStorage implements Storage {
	// Like an IndexedDB key generator: bumped on every append, never lowered by deletes.
	#seq = 0;
	#updates = new Map<DocId, StoredUpdate[]>();
	#docs = new Map<DocId, DocRow>();
	#registry = new Map<DocId, RegistryEntry>();
	#summaries = new Map<string, StoredSummary>();
	#meta = new Map<string, unknown>();
	#isClosed = false;

	async appendUpdate(docId: DocId, update: Envelope): Promise<number> {
		this.#assertOpen();
		this.#assertNotTombstoned(docId);
		const seq = ++this.#seq;
		const list = this.#updates.get(docId) ?? [];
		list.push({ seq, docId, update: structuredClone(update) });
		this.#updates.set(docId, list);
		const row = this.#docs.get(docId) ?? { snapshot: null, stateVector: null, snapshotSeq: 0, lastSeq: 0 };
		this.#docs.set(docId, { ...row, lastSeq: seq });
		return seq;
	}

	async readDoc(docId: DocId): Promise<StoredDoc> {
		this.#assertOpen();
		return this.#copyDoc(docId);
	}

	async readDocs(docIds: DocId[]): Promise<StoredDoc[]> {
		this.#assertOpen();
		// One copy per slot: the same id asked twice gets two docs that do not share objects.
		return docIds.map((docId) => this.#copyDoc(docId));
	}

	async adoptDocs(docs: NewDoc[]): Promise<Adoption[]> {
		this.#assertOpen();
		if (docs.some((doc) => doc.entry.tombstone)) {
			throw new AppError('invalid-input', 'a tombstone is not a doc to adopt');
		}
		// Copy everything before the first write, so a record that cannot be cloned leaves nothing behind.
		const copies = structuredClone(docs);
		const decided = new Map<DocId, Adoption['status']>();
		return copies.map(({ entry, updates, stateVector }): Adoption => {
			const docId = entry.docId;
			const earlier = decided.get(docId);
			if (earlier) return { status: earlier === 'adopted' ? 'registered' : earlier };
			const status = this.#decideAdoption(docId);
			decided.set(docId, status);
			if (status !== 'adopted') return { status };
			this.#registry.set(docId, entry);
			const stored = updates.map((update) => ({ seq: ++this.#seq, docId, update }));
			if (stored.length) {
				this.#updates.set(docId, stored);
				const row = this.#docs.get(docId) ?? { snapshot: null, stateVector: null, snapshotSeq: 0, lastSeq: 0 };
				this.#docs.set(docId, { ...row, lastSeq: this.#seq, ...(stateVector ? { stateVector } : {}) });
			}
			return { status, seqs: stored.map((u) => u.seq) };
		});
	}

	async replaceSnapshot(docId: DocId, snapshot: Envelope, stateVector: Envelope, upToSeq: number): Promise<void> {
		this.#assertOpen();
		this.#assertNotTombstoned(docId);
		const row = this.#docs.get(docId) ?? { snapshot: null, stateVector: null, snapshotSeq: 0, lastSeq: 0 };
		// A snapshot older than the stored one covers less; keeping the newer loses nothing.
		if (upToSeq < row.snapshotSeq) return;
		this.#docs.set(docId, {
			...row,
			snapshot: structuredClone(snapshot),
			stateVector: structuredClone(stateVector),
			snapshotSeq: upToSeq
		});
		const rest = (this.#updates.get(docId) ?? []).filter((u) => u.seq > upToSeq);
		this.#updates.set(docId, rest);
	}

	async putStateVector(docId: DocId, stateVector: Envelope): Promise<void> {
		this.#assertOpen();
		this.#assertNotTombstoned(docId);
		const row = this.#docs.get(docId) ?? { snapshot: null, stateVector: null, snapshotSeq: 0, lastSeq: 0 };
		this.#docs.set(docId, { ...row, stateVector: structuredClone(stateVector) });
	}

	async changedSince(sinceSeq: number): Promise<Array<{ docId: DocId; seq: number }>> {
		this.#assertOpen();
		return [...this.#docs.entries()]
			.filter(([, row]) => row.lastSeq > sinceSeq)
			.map(([docId, row]) => ({ docId, seq: row.lastSeq }))
			.sort((a, b) => a.seq - b.seq);
	}

	async lastSeq(): Promise<number> {
		this.#assertOpen();
		return this.#seq;
	}

	async putRegistryEntry(entry: RegistryEntry): Promise<void> {
		this.#assertOpen();
		const existing = this.#registry.get(entry.docId);
		if (entry.tombstone) return this.#eraseDoc(entry.docId, entry.kind);
		if (existing?.tombstone) throw new AppError('tombstoned', entry.docId);
		this.#registry.set(entry.docId, structuredClone(entry));
	}

	async getRegistryEntry(docId: DocId): Promise<RegistryEntry | undefined> {
		this.#assertOpen();
		const entry = this.#registry.get(docId);
		return entry && structuredClone(entry);
	}

	async getRegistryEntries(docIds: DocId[]): Promise<Array<RegistryEntry | undefined>> {
		this.#assertOpen();
		return docIds.map((docId) => {
			const entry = this.#registry.get(docId);
			return entry && structuredClone(entry);
		});
	}

	async listRegistry(): Promise<RegistryEntry[]> {
		this.#assertOpen();
		return structuredClone([...this.#registry.values()]);
	}

	async tombstone(docId: DocId): Promise<void> {
		this.#assertOpen();
		this.#eraseDoc(docId, this.#registry.get(docId)?.kind ?? readDocIdParts(docId).kind);
	}

	async putSummary(summary: StoredSummary): Promise<void> {
		this.#assertOpen();
		const ids = findSummaryDocIds(summary.clientId);
		if (this.#registry.get(ids.profile)?.tombstone) throw new AppError('tombstoned', ids.profile);
		this.#storeSummary(structuredClone(summary));
	}

	async putSummaries(summaries: StoredSummary[]): Promise<void> {
		this.#assertOpen();
		// Copy everything before the first write, so a record that cannot be cloned leaves nothing behind.
		const copies = structuredClone(summaries);
		for (const summary of copies) {
			// A card erased while its summary was being rebuilt: skipped, so the others still land.
			if (this.#registry.get(findSummaryDocIds(summary.clientId).profile)?.tombstone) continue;
			this.#storeSummary(summary);
		}
	}

	async listSummaries(): Promise<StoredSummary[]> {
		this.#assertOpen();
		return structuredClone([...this.#summaries.values()]);
	}

	async getMeta<T>(key: string): Promise<T | undefined> {
		this.#assertOpen();
		return structuredClone(this.#meta.get(key)) as T | undefined;
	}

	async setMeta<T>(key: string, value: T): Promise<void> {
		this.#assertOpen();
		this.#meta.set(key, structuredClone(value));
	}

	async close(): Promise<void> {
		this.#isClosed = true;
	}

	async destroy(): Promise<void> {
		this.#isClosed = true;
		for (const m of [this.#updates, this.#docs, this.#registry, this.#summaries, this.#meta]) m.clear();
	}

	#copyDoc(docId: DocId): StoredDoc {
		const row = this.#docs.get(docId);
		return structuredClone({
			snapshot: row?.snapshot ?? null,
			stateVector: row?.stateVector ?? null,
			snapshotSeq: row?.snapshotSeq ?? 0,
			updates: this.#updates.get(docId) ?? []
		});
	}

	#decideAdoption(docId: DocId): Adoption['status'] {
		const entry = this.#registry.get(docId);
		if (entry) return entry.tombstone ? 'tombstoned' : 'registered';
		if (this.#docs.get(docId)?.snapshot || this.#updates.get(docId)?.length) return 'orphan-data';
		return 'adopted';
	}

	// Takes a summary already copied; the caller has checked that its card is not erased.
	#storeSummary(summary: StoredSummary): void {
		const ids = findSummaryDocIds(summary.clientId);
		// The clinical part of an erased clinical doc never comes back, whoever rebuilt the summary.
		const clinical = this.#registry.get(ids.clinical)?.tombstone ? null : summary.clinical;
		this.#summaries.set(summary.clientId, { ...summary, clinical });
	}

	#eraseDoc(docId: DocId, kind: RegistryEntry['kind']): void {
		this.#registry.set(docId, { docId, kind, wrappedKey: null, tombstone: true });
		this.#docs.delete(docId);
		this.#updates.delete(docId);
		const erasure = decideSummaryErasure(docId);
		const summary = erasure && this.#summaries.get(erasure.clientId);
		if (!erasure || !summary) return;
		if (erasure.action === 'delete') this.#summaries.delete(erasure.clientId);
		else this.#summaries.set(erasure.clientId, { ...summary, clinical: null });
	}

	#assertNotTombstoned(docId: DocId): void {
		if (this.#registry.get(docId)?.tombstone) throw new AppError('tombstoned', docId);
	}

	#assertOpen(): void {
		if (this.#isClosed) throw new AppError('storage-failed', 'storage is closed');
	}
}
