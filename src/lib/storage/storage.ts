// The storage interface: what a salon's device keeps. It stores opaque sealed records (envelopes)
// and plaintext-free metadata only; encryption happens above it (DocStore), before any
// IndexedDB transaction opens, because awaiting WebCrypto inside one closes it.
import type { Envelope } from '../crypto/envelope';
import type { DocId, DocKind } from '../domain/ids';

/** One doc's entry in the registry: its kind, its wrapped data key, whether it was erased. */
export interface RegistryEntry {
	docId: DocId;
	kind: DocKind;
	/** The doc's data key, sealed under the salon key (profile) or the clinical key (clinical). */
	wrappedKey: Envelope | null;
	/** An erased doc: its key is gone and its id is never accepted again. */
	tombstone: boolean;
}

/** A stored update of a doc, with its change-log sequence number. */
export interface StoredUpdate {
	seq: number;
	docId: DocId;
	update: Envelope;
}

/** What is stored for one doc: the compacted snapshot (if any) and the updates after it. */
export interface StoredDoc {
	snapshot: Envelope | null;
	/** Sealed state vector of the snapshot plus updates, kept so it is never recomputed. */
	stateVector: Envelope | null;
	/** Highest change-log sequence folded into the snapshot. */
	snapshotSeq: number;
	updates: StoredUpdate[];
}

/** A client's sealed summary: the profile part (salon key) and the clinical part (clinical key). */
export interface StoredSummary {
	clientId: string;
	profile: Envelope;
	clinical: Envelope | null;
}

/** A doc new to this device, with the updates it arrives with (a first sync, a restore). */
export interface NewDoc {
	/** Its registry entry; never a tombstone. */
	entry: RegistryEntry;
	/** Its updates, appended in this order. */
	updates: Envelope[];
	/** Its sealed state vector, kept beside it (as putStateVector would) when it has updates. */
	stateVector?: Envelope;
}

/** What adoptDocs did with one doc; nothing is written for any status but 'adopted'. */
export type Adoption =
	| { status: 'adopted'; seqs: number[] }
	/** Already registered here (or earlier in the same call): merge into it instead. */
	| { status: 'registered' }
	/** Erased here: its id is refused. */
	| { status: 'tombstoned' }
	/** Data is stored for it without a registry entry (a crash or a bug): not adopted over it. */
	| { status: 'orphan-data' };

/** A salon's device storage. Every promise settles on every failure path with an AppError. */
export interface Storage {
	/** Appends an update to a doc's log; returns its change-log sequence (strictly increasing). Refuses a tombstoned doc ('tombstoned'). */
	appendUpdate(docId: DocId, update: Envelope): Promise<number>;
	/** Reads a doc's snapshot and the updates after it, in sequence order. */
	readDoc(docId: DocId): Promise<StoredDoc>;
	/** Reads several docs in one transaction, in the order asked (an unknown doc reads as empty). */
	readDocs(docIds: DocId[]): Promise<StoredDoc[]>;
	/**
	 * Registers docs new to this device and appends their updates, all in one transaction (all or
	 * nothing); returns one Adoption per doc, in order. A doc already registered, erased, or holding
	 * data without an entry is left as it is. Seqs increase in the order of `docs`. A tombstone entry
	 * is refused ('invalid-input') before anything is written.
	 */
	adoptDocs(docs: NewDoc[]): Promise<Adoption[]>;
	/** Replaces the snapshot with one covering every update up to `upToSeq`, deleting exactly those updates; later updates stay. */
	replaceSnapshot(docId: DocId, snapshot: Envelope, stateVector: Envelope, upToSeq: number): Promise<void>;
	/** Stores a doc's sealed state vector beside it. */
	putStateVector(docId: DocId, stateVector: Envelope): Promise<void>;
	/** Doc ids whose last stored update has a sequence above `sinceSeq`, with that sequence. */
	changedSince(sinceSeq: number): Promise<Array<{ docId: DocId; seq: number }>>;
	/** The highest change-log sequence stored so far (0 when empty). */
	lastSeq(): Promise<number>;

	/** Adds or replaces a registry entry; a tombstone is never undone ('tombstoned'). */
	putRegistryEntry(entry: RegistryEntry): Promise<void>;
	/** Reads one registry entry. */
	getRegistryEntry(docId: DocId): Promise<RegistryEntry | undefined>;
	/** Reads several registry entries in one transaction, in the order asked. */
	getRegistryEntries(docIds: DocId[]): Promise<Array<RegistryEntry | undefined>>;
	/** Reads every registry entry. */
	listRegistry(): Promise<RegistryEntry[]>;
	/** Marks a doc erased: drops its key, snapshot, updates and summary; its id is refused from now on. */
	tombstone(docId: DocId): Promise<void>;

	/** Stores a client's sealed summary. */
	putSummary(summary: StoredSummary): Promise<void>;
	/** Stores several summaries in one transaction, each as putSummary would, except that one of an erased card is skipped, not an error. */
	putSummaries(summaries: StoredSummary[]): Promise<void>;
	/** Reads every summary in one bulk read. */
	listSummaries(): Promise<StoredSummary[]>;

	/** Non-secret, non-personal metadata and the keyring (which holds only ciphertext). */
	getMeta<T>(key: string): Promise<T | undefined>;
	setMeta<T>(key: string, value: T): Promise<void>;

	/** Closes the database. */
	close(): Promise<void>;
	/** Deletes the whole database of this salon. */
	destroy(): Promise<void>;
}
