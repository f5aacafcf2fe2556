// Per-peer checkpoints, kept in Storage meta, and the in-memory record of which peer each
// received change came from. Guarantees: a checkpoint says "every doc whose last change here has
// a seq at or below `seq` was stored by that peer, except the `pending` ones"; it is written only
// after the peer acknowledged storing (the session decides when), and a malformed stored value
// reads as "nothing sent yet", which costs a resend, never a loss.
import type { DocId } from '../domain/ids';
import type { Storage } from '../storage/storage';

/** How far a peer has stored this device's changes. */
export interface Checkpoint {
	/** Every change up to this change-log seq was stored by the peer (except `pending`). */
	seq: number;
	/** Docs the peer could not store yet (e.g. clinical without the key); offered again at every connect. */
	pending: DocId[];
}

const PREFIX = 'sync/checkpoint/';

/** Reads the checkpoint of `peerId`; a peer never met starts at zero. */
export async function readCheckpoint(storage: Storage, peerId: string): Promise<Checkpoint> {
	const value = await storage.getMeta<Checkpoint>(PREFIX + peerId);
	const isValid =
		!!value &&
		Number.isSafeInteger(value.seq) &&
		value.seq >= 0 &&
		Array.isArray(value.pending) &&
		value.pending.every((id) => typeof id === 'string');
	return isValid ? { seq: value.seq, pending: [...value.pending] } : { seq: 0, pending: [] };
}

/** Persists the checkpoint of `peerId`. */
export function writeCheckpoint(storage: Storage, peerId: string, checkpoint: Checkpoint): Promise<void> {
	return storage.setMeta(PREFIX + peerId, { seq: checkpoint.seq, pending: [...checkpoint.pending] });
}

// Only recent changes matter: older ones are below every live peer's checkpoint soon enough.
const MAX_ORIGINS = 200_000;

/** Which peer's data made each recent change-log seq; lets a change skip the peer it came from. */
export class OriginLog {
	readonly #origins = new Map<number, string>();
	/** Docs new to this device, adopted whole from a peer: that peer and the adoption's last seq. */
	readonly #adopted = new Map<DocId, { peerId: string; lastSeq: number }>();

	/** Records that `seqs` were appended from `peerId`'s data. */
	record(peerId: string, seqs: number[]): void {
		for (const seq of seqs) this.#origins.set(seq, peerId);
		for (const oldest of this.#origins.keys()) {
			if (this.#origins.size <= MAX_ORIGINS) break;
			this.#origins.delete(oldest);
		}
	}

	/** Records that `docId`, new to this device, was adopted from `peerId`'s data as `seqs`. */
	recordAdopted(peerId: string, docId: DocId, seqs: number[]): void {
		const lastSeq = seqs.at(-1);
		if (lastSeq === undefined) return;
		this.#adopted.delete(docId);
		this.#adopted.set(docId, { peerId, lastSeq });
		for (const oldest of this.#adopted.keys()) {
			if (this.#adopted.size <= MAX_ORIGINS) break;
			this.#adopted.delete(oldest);
		}
	}

	/**
	 * Whether every update of `docId` came from `peerId`, known without reading the doc: it was
	 * adopted from that peer and `lastSeq`, its last change now, is still the adoption's last seq.
	 */
	isWholeFrom(peerId: string, docId: DocId, lastSeq: number): boolean {
		const adopted = this.#adopted.get(docId);
		return adopted?.peerId === peerId && adopted.lastSeq === lastSeq;
	}

	/** The peer whose data made `seq`, if it was a received change this process still remembers. */
	originOf(seq: number): string | undefined {
		return this.#origins.get(seq);
	}
}
