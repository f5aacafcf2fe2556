// The sending half of a session: offering changed docs, sending what the peer lacks, and moving
// the peer's checkpoint. Guarantees:
// - docs are offered in change-log order, at most maxBatch per offer; the checkpoint moves past a
//   batch only after every doc of it was acknowledged stored or erased (others become pending);
// - pending docs (deferred, refused, unanswered, or unreadable here) are offered again at the start
//   of every session and on the peer's rescan, and leave the list only once stored;
// - a change that came from this very peer is skipped, never lost: the doc is skipped only when
//   every change of it since the checkpoint came from this peer (OriginLog), else it is offered;
// - a doc larger than one message goes as several doc messages; it is never refused for its size;
// - a live edit (a pass of at most PUSH_MAX_DOCS docs, none pending, after the first pass) is pushed
//   without offer and want: the peer holds every update up to the checkpoint, so only the later
//   ones travel; a doc the peer does not take that way is offered whole right after.
import { parseDocId, type DocId } from '../domain/ids';
import type { DocStoreKeys } from '../storage/doc-keys';
import { writeCheckpoint, type Checkpoint } from './checkpoints';
import { buildPayload } from './doc-payload';
import type { AckStatus, SyncMessage } from './protocol';
import type { SessionContext } from './session-context';

const isCard = (docId: DocId) => parseDocId(docId).kind === 'profile';
/** Most docs a pass may push as live edits; more are a catch-up and go by offer and want. */
const PUSH_MAX_DOCS = 4;

// Room in a doc message for its header (type, batch, doc id, part numbers) below maxMessageBytes.
const DOC_HEADER_BYTES = 1024;

type Want = Extract<SyncMessage, { type: 'want' }>;
type Ack = Extract<SyncMessage, { type: 'ack' }>;

/** How the sender talks to its session. */
export interface SenderLink {
	send(m: SyncMessage): Promise<void>;
	/** Resolves with the reply stored under `key` (`want|batch`, `ack|batch|doc`); rejects on close. */
	waitFor(key: string): Promise<SyncMessage>;
	isClosed(): boolean;
}

/** Offers this device's changes to one authenticated peer. */
export class DocSender {
	#isDirty = true;
	#isRescanDue = false;
	#isIdle = false;
	#wake: (() => void) | null = null;
	#nextBatch = 0;
	#hasReported = false;

	constructor(
		private readonly ctx: SessionContext,
		private readonly link: SenderLink,
		private readonly peerId: string,
		private readonly checkpoint: Checkpoint,
		private readonly stats: { docsOffered: number; docsSent: number; bytesSent: number }
	) {}

	/** Whether nothing is being offered or sent. */
	get isIdle(): boolean {
		return this.#isIdle && !this.#isDirty && !this.#isRescanDue;
	}

	/** Docs the peer has not stored yet although they were offered. */
	get pendingDocs(): number {
		return this.checkpoint.pending.length;
	}

	/** Something was stored here: look at the change log again. */
	notifyChange(): void {
		this.#isDirty = true;
		this.#wake?.();
	}

	/** The peer can read more now: offer the pending docs again. */
	rescan(): void {
		this.#isRescanDue = true;
		this.#wake?.();
	}

	/** Lets a waiting run() notice that the link closed. */
	stop(): void {
		this.#wake?.();
	}

	/** Offers changes until the link closes; rejects if a reply never comes. */
	async run(): Promise<void> {
		let isPendingDue = true;
		while (!this.link.isClosed()) {
			if (!this.#isDirty && !this.#isRescanDue) {
				this.#isIdle = true;
				await new Promise<void>((resolve) => (this.#wake = resolve));
				this.#isIdle = false;
				continue;
			}
			this.#isDirty = false;
			if (this.#isRescanDue) isPendingDue = true;
			this.#isRescanDue = false;
			const roots = this.ctx.keys();
			if (!roots) throw new Error('locked');
			await this.#offerChanges(roots, isPendingDue);
			isPendingDue = false;
		}
	}

	async #offerChanges(roots: DocStoreKeys, isPendingDue: boolean): Promise<void> {
		const cp = this.checkpoint;
		const changes = await this.ctx.storage.changedSince(cp.seq);
		const changed = new Set(changes.map((c) => c.docId));
		// Steps in seq order; a null doc only moves the checkpoint (a change the peer itself sent).
		const steps: Array<{ docId: DocId | null; seq: number }> = isPendingDue
			? cp.pending.filter((id) => !changed.has(id)).map((docId) => ({ docId, seq: cp.seq }))
			: [];
		for (const c of changes) steps.push({ docId: (await this.#cameFromPeer(c.docId, c.seq, cp.seq)) ? null : c.docId, seq: c.seq });
		// The peer hears how much is coming (its progress bar) and, at the end, that it has it all.
		const offered = new Set(steps.flatMap((s) => (s.docId ? [s.docId] : [])));
		const isReportDue = offered.size > 0 || !this.#hasReported;
		this.#hasReported = true;
		if (isReportDue) await this.link.send({ type: 'pending', docs: offered.size, cards: [...offered].filter(isCard).length });
		const isLiveEdit = !isPendingDue && offered.size > 0 && offered.size <= PUSH_MAX_DOCS && [...offered].every((id) => !cp.pending.includes(id));
		if (isLiveEdit) {
			const rest = await this.#push(roots, [...offered], cp.seq);
			if (rest.length) await this.#runBatch(roots, rest);
			cp.seq = Math.max(cp.seq, ...steps.map((s) => s.seq));
			await writeCheckpoint(this.ctx.storage, this.peerId, cp);
			await this.link.send({ type: 'pending', docs: 0, cards: 0 });
			return;
		}
		let batch: DocId[] = [];
		for (let i = 0; i < steps.length; i++) {
			const { docId, seq } = steps[i];
			if (docId) batch.push(docId);
			if (batch.length < this.ctx.limits.maxBatch && i < steps.length - 1) continue;
			if (batch.length) await this.#runBatch(roots, batch);
			batch = [];
			cp.seq = Math.max(cp.seq, seq);
			await writeCheckpoint(this.ctx.storage, this.peerId, cp);
		}
		if (offered.size > 0) await this.link.send({ type: 'pending', docs: 0, cards: 0 });
	}

	// True when every change of the doc since the checkpoint came from this peer, so it has them.
	async #cameFromPeer(docId: DocId, lastSeq: number, sinceSeq: number): Promise<boolean> {
		const { origins, storage } = this.ctx;
		if (origins.originOf(lastSeq) !== this.peerId) return false; // decided without reading the doc
		const stored = await storage.readDoc(docId);
		if (stored.snapshotSeq > sinceSeq) return false;
		const recent = stored.updates.filter((u) => u.seq > sinceSeq);
		return recent.length > 0 && recent.every((u) => origins.originOf(u.seq) === this.peerId);
	}

	async #runBatch(roots: DocStoreKeys, docIds: DocId[]): Promise<void> {
		const batch = ++this.#nextBatch;
		const pending = new Set(this.checkpoint.pending);
		const wanted = this.link.waitFor(`want|${batch}`);
		await this.link.send({ type: 'offer', batch, docIds });
		this.stats.docsOffered += docIds.length;
		const answered = new Map(((await wanted) as Want).items.map((item) => [item.docId, item]));
		const acks: Array<Promise<[DocId, AckStatus]>> = [];
		for (const docId of docIds) {
			const item = answered.get(docId);
			if (!item || item.have === 'erased') {
				if (item) pending.delete(docId);
				else pending.add(docId); // a peer that skips an answer gets the doc offered again
				continue;
			}
			const built = await buildPayload(this.ctx.storage, roots, docId, item).catch(() => ({ status: 'unavailable' as const }));
			if (built.status !== 'payload') {
				if (built.status === 'unavailable') pending.add(docId);
				else pending.delete(docId);
				continue;
			}
			const acked = this.link.waitFor(`ack|${batch}|${docId}`);
			await this.#sendDoc(batch, docId, built.bytes);
			const status = acked.then((m): [DocId, AckStatus] => [docId, (m as Ack).items[0].status]);
			status.catch(() => undefined); // a close rejects it before Promise.all below looks
			acks.push(status);
		}
		for (const [docId, status] of await Promise.all(acks)) {
			if (status === 'stored' || status === 'erased') pending.delete(docId);
			else pending.add(docId);
		}
		this.checkpoint.pending = [...pending];
	}

	// Pushes each doc's updates after `since`; returns the docs that must go the whole way instead.
	async #push(roots: DocStoreKeys, docIds: DocId[], since: number): Promise<DocId[]> {
		const batch = ++this.#nextBatch;
		const acks: Array<Promise<DocId | null>> = [];
		const rest: DocId[] = [];
		for (const docId of docIds) {
			const built = await buildPayload(this.ctx.storage, roots, docId, { have: 'since', seq: since }).catch(() => ({ status: 'unavailable' as const }));
			if (built.status === 'empty' || built.status === 'erased') continue;
			if (built.status !== 'payload' || built.bytes.byteLength > this.ctx.limits.maxMessageBytes - DOC_HEADER_BYTES) {
				rest.push(docId);
				continue;
			}
			const acked = this.link.waitFor(`ack|${batch}|${docId}`);
			await this.link.send({ type: 'push', batch, docId, chunk: built.bytes });
			this.stats.docsSent += 1;
			this.stats.bytesSent += built.bytes.byteLength;
			const outcome = acked.then((m) => (['stored', 'erased'].includes((m as Ack).items[0].status) ? null : docId));
			outcome.catch(() => undefined); // a close rejects it before Promise.all below looks
			acks.push(outcome);
		}
		for (const docId of await Promise.all(acks)) if (docId) rest.push(docId);
		return rest;
	}

	async #sendDoc(batch: number, docId: DocId, bytes: Uint8Array): Promise<void> {
		const size = this.ctx.limits.maxMessageBytes - DOC_HEADER_BYTES;
		const count = Math.max(1, Math.ceil(bytes.byteLength / size));
		for (let index = 0; index < count; index++) {
			const chunk = bytes.subarray(index * size, (index + 1) * size);
			await this.link.send({ type: 'doc', batch, docId, index, count, chunk });
		}
		this.stats.docsSent += 1;
		this.stats.bytesSent += bytes.byteLength;
	}
}
