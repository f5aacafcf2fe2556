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
//   ones travel; a doc the peer does not take that way is offered whole right after;
// - a catch-up keeps up to BATCHES_IN_FLIGHT offers going (the peer stores one while the next
//   arrives) and reads the docs of a batch BUILD_GROUP_DOCS at a time, one storage read each.
import { parseDocId, type DocId } from '../domain/ids';
import type { DocStoreKeys } from '../storage/doc-keys';
import { writeCheckpoint, type Checkpoint } from './checkpoints';
import { buildPayload, buildPayloadFrom, type Built } from './doc-payload';
import type { AckStatus, Holding, SyncMessage } from './protocol';
import type { SessionContext } from './session-context';

const isCard = (docId: DocId) => parseDocId(docId).kind === 'profile';
/** Most docs a pass may push as live edits; more are a catch-up and go by offer and want. */
const PUSH_MAX_DOCS = 4;

/** Offer batches sent before the oldest must be acknowledged (a first sync keeps the peer busy). */
const BATCHES_IN_FLIGHT = 4;
/** Docs whose entries and data are read in one go and built together. */
const BUILD_GROUP_DOCS = 50;

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
	/** The checkpoint's pending docs, shared by the batches in flight. */
	readonly #pending: Set<DocId>;

	constructor(
		private readonly ctx: SessionContext,
		private readonly link: SenderLink,
		private readonly peerId: string,
		private readonly checkpoint: Checkpoint,
		private readonly stats: { docsOffered: number; docsSent: number; bytesSent: number }
	) {
		this.#pending = new Set(checkpoint.pending);
	}

	/** Whether nothing is being offered or sent. */
	get isIdle(): boolean {
		return this.#isIdle && !this.#isDirty && !this.#isRescanDue;
	}

	/** Docs the peer has not stored yet although they were offered. */
	get pendingDocs(): number {
		return this.#pending.size;
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
			? [...this.#pending].filter((id) => !changed.has(id)).map((docId) => ({ docId, seq: cp.seq }))
			: [];
		const echoes = await this.#findEchoes(changes, cp.seq);
		for (const c of changes) steps.push({ docId: echoes.has(c.docId) ? null : c.docId, seq: c.seq });
		// The peer hears how much is coming (its progress bar) and, at the end, that it has it all.
		const offered = new Set(steps.flatMap((s) => (s.docId ? [s.docId] : [])));
		const isReportDue = offered.size > 0 || !this.#hasReported;
		this.#hasReported = true;
		if (isReportDue) await this.link.send({ type: 'pending', docs: offered.size, cards: [...offered].filter(isCard).length });
		const isLiveEdit = !isPendingDue && offered.size > 0 && offered.size <= PUSH_MAX_DOCS && [...offered].every((id) => !this.#pending.has(id));
		if (isLiveEdit) {
			const rest = await this.#push(roots, [...offered], cp.seq);
			if (rest.length) await (await this.#sendBatch(roots, rest)).acked;
			cp.seq = Math.max(cp.seq, ...steps.map((s) => s.seq));
			await this.#saveCheckpoint();
			await this.link.send({ type: 'pending', docs: 0, cards: 0 });
			return;
		}
		// Several batches in flight: the next is offered and sent while the peer stores the earlier
		// ones, and the checkpoint moves past a batch only once it and every batch before it were
		// acknowledged. Large cards (long clinical histories) hold back the next offer by their bytes.
		const inFlight: Array<{ settled: Promise<void>; bytes: number }> = [];
		let unacked = 0;
		let last: Promise<void> = Promise.resolve();
		let batch: DocId[] = [];
		for (let i = 0; i < steps.length; i++) {
			const { docId, seq } = steps[i];
			if (docId) batch.push(docId);
			if (batch.length < this.ctx.limits.maxBatch && i < steps.length - 1) continue;
			const { acked, bytes } = batch.length ? await this.#sendBatch(roots, batch) : { acked: Promise.resolve(), bytes: 0 };
			batch = [];
			last = Promise.all([last, acked]).then(() => {
				cp.seq = Math.max(cp.seq, seq);
				return this.#saveCheckpoint();
			});
			last.catch(() => undefined); // a close rejects it while later batches are sent
			inFlight.push({ settled: last, bytes });
			unacked += bytes;
			while (inFlight.length >= BATCHES_IN_FLIGHT || (inFlight.length > 1 && unacked > this.ctx.limits.maxUnackedBytes)) {
				const oldest = inFlight.shift()!;
				await oldest.settled;
				unacked -= oldest.bytes;
			}
		}
		await last;
		if (offered.size > 0) await this.link.send({ type: 'pending', docs: 0, cards: 0 });
	}

	#saveCheckpoint(): Promise<void> {
		this.checkpoint.pending = [...this.#pending];
		return writeCheckpoint(this.ctx.storage, this.peerId, this.checkpoint);
	}

	// The changed docs every change of which since the checkpoint came from this peer, so it has them.
	async #findEchoes(changes: Array<{ docId: DocId; seq: number }>, sinceSeq: number): Promise<Set<DocId>> {
		const { origins, storage } = this.ctx;
		const echoes = new Set<DocId>();
		// Decided without reading the doc when its last change came from elsewhere, or when the whole
		// doc was adopted from this peer and nothing came after (a first sync from it).
		const candidates: DocId[] = [];
		for (const c of changes) {
			if (origins.originOf(c.seq) !== this.peerId) continue;
			if (origins.isWholeFrom(this.peerId, c.docId, c.seq)) echoes.add(c.docId);
			else candidates.push(c.docId);
		}
		for (let i = 0; i < candidates.length; i += this.ctx.limits.maxBatch) {
			const ids = candidates.slice(i, i + this.ctx.limits.maxBatch);
			const docs = await storage.readDocs(ids);
			docs.forEach((stored, j) => {
				if (stored.snapshotSeq > sinceSeq) return;
				const recent = stored.updates.filter((u) => u.seq > sinceSeq);
				if (recent.length > 0 && recent.every((u) => origins.originOf(u.seq) === this.peerId)) echoes.add(ids[j]);
			});
		}
		return echoes;
	}

	// Offers a batch and sends what the peer lacks; resolves once they are sent, with `acked`, which
	// settles when every sent doc is acknowledged (rejected if the link closes first).
	async #sendBatch(roots: DocStoreKeys, docIds: DocId[]): Promise<{ acked: Promise<void>; bytes: number }> {
		const batch = ++this.#nextBatch;
		const wanted = this.link.waitFor(`want|${batch}`);
		await this.link.send({ type: 'offer', batch, docIds });
		this.stats.docsOffered += docIds.length;
		const answered = new Map(((await wanted) as Want).items.map((item) => [item.docId, item]));
		const asked: Array<{ docId: DocId; holding: Holding }> = [];
		for (const docId of docIds) {
			const item = answered.get(docId);
			if (!item) this.#pending.add(docId); // a peer that skips an answer gets the doc offered again
			else if (item.have === 'erased') this.#pending.delete(docId);
			else asked.push({ docId, holding: item });
		}
		const acks: Array<Promise<[DocId, AckStatus]>> = [];
		let bytes = 0;
		const groups: Array<typeof asked> = [];
		for (let i = 0; i < asked.length; i += BUILD_GROUP_DOCS) groups.push(asked.slice(i, i + BUILD_GROUP_DOCS));
		// The next group is read and built while this one is sent.
		let next = groups.length ? this.#buildGroup(roots, groups[0]) : null;
		for (let g = 0; g < groups.length; g++) {
			const built = await next!;
			next = g + 1 < groups.length ? this.#buildGroup(roots, groups[g + 1]) : null;
			for (const [j, { docId }] of groups[g].entries()) {
				const result = built[j];
				if (result.status !== 'payload') {
					if (result.status === 'unavailable') this.#pending.add(docId);
					else this.#pending.delete(docId);
					continue;
				}
				const acked = this.link.waitFor(`ack|${batch}|${docId}`);
				await this.#sendDoc(batch, docId, result.bytes);
				bytes += result.bytes.byteLength;
				const status = acked.then((m): [DocId, AckStatus] => [docId, (m as Ack).items[0].status]);
				status.catch(() => undefined); // a close rejects it before anyone awaits it
				acks.push(status);
			}
		}
		const acked = Promise.all(acks).then((statuses) => {
			for (const [docId, status] of statuses) {
				if (status === 'stored' || status === 'erased') this.#pending.delete(docId);
				else this.#pending.add(docId);
			}
		});
		acked.catch(() => undefined); // a close rejects it before anyone awaits it
		return { acked, bytes };
	}

	// Reads a group's registry entries and docs in one read each and builds their payloads in parallel.
	async #buildGroup(roots: DocStoreKeys, group: Array<{ docId: DocId; holding: Holding }>): Promise<Built[]> {
		const unavailable: Built = { status: 'unavailable' };
		const ids = group.map((g) => g.docId);
		try {
			const [entries, docs] = await Promise.all([this.ctx.storage.getRegistryEntries(ids), this.ctx.storage.readDocs(ids)]);
			return await Promise.all(group.map((g, i) => buildPayloadFrom(roots, g.docId, entries[i], docs[i], g.holding).catch(() => unavailable)));
		} catch {
			return group.map(() => unavailable);
		}
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
