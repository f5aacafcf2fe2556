// The receiving half of a session: answering offers, reassembling docs, storing and acknowledging
// them, and applying tombstones. Guarantees: doc messages are accepted only for docs this device
// asked for in a want of this session (anything else is 'unsolicited'); a doc's parts are kept
// only up to maxDocBytes in all; every doc that arrives whole is acknowledged with what became of
// it (acks made together go in one message); a tombstone erases only when its proof verifies
// under the salon key. An offer is answered with one registry read and one doc read.
import type { Envelope } from '../crypto/envelope';
import type { DocId } from '../domain/ids';
import { findWrappingKey, sealStateVector } from './doc-payload';
import type { SessionContext } from './session-context';
import type { AckStatus, Holding, SyncMessage } from './protocol';
import { verifyTombstone } from './sync-crypto';

interface Assembly {
	count: number;
	parts: Map<number, Uint8Array>;
	bytes: number;
}

type DocMessage = Extract<SyncMessage, { type: 'doc' }>;

/** Receives offers, docs and tombstones for one session. */
export class DocReceiver {
	readonly #expected = new Set<string>();
	readonly #assemblies = new Map<string, Assembly>();
	#assembling = 0;
	#intakes = 0;
	readonly #acks = new Map<number, Array<{ docId: DocId; status: AckStatus }>>();
	#acksSent: Promise<void> | null = null;

	constructor(
		private readonly ctx: SessionContext,
		private readonly send: (m: SyncMessage) => Promise<void>,
		private readonly peerId: () => string,
		private readonly stats: { docsStored: number },
		/** A doc the peer sent arrived whole and was answered (stored, erased, deferred or refused). */
		private readonly onDone: (docId: DocId) => void = () => {}
	) {}

	/** Whether no doc is being reassembled or stored. */
	get isIdle(): boolean {
		return this.#assemblies.size === 0 && this.#intakes === 0;
	}

	/** Answers an offer with what this device holds of each doc (one registry read, one doc read). */
	async answerOffer(batch: number, docIds: DocId[]): Promise<void> {
		const ids = [...new Set(docIds)];
		const holdings = await this.#findHoldings(ids);
		const items = ids.map((docId, i) => {
			if (holdings[i].have !== 'erased') this.#expected.add(`${batch}|${docId}`);
			return { docId, ...holdings[i] };
		});
		await this.send({ type: 'want', batch, items });
	}

	async #findHoldings(docIds: DocId[]): Promise<Holding[]> {
		const entries = await this.ctx.storage.getRegistryEntries(docIds);
		const roots = this.ctx.keys();
		// Docs held here and readable: their state vectors, read together.
		const readable = docIds.filter((docId, i) => entries[i] && !entries[i]!.tombstone && roots && findWrappingKey(roots, docId));
		const vectors = readable.length ? await this.ctx.store.stateVectors(readable) : [];
		const byDoc = new Map(readable.map((docId, i) => [docId, vectors[i]]));
		return Promise.all(
			docIds.map(async (docId, i): Promise<Holding> => {
				const entry = entries[i];
				if (entry?.tombstone) return { have: 'erased' };
				if (!entry) return { have: 'none' };
				const vector = byDoc.get(docId);
				const wrapping = roots && findWrappingKey(roots, docId);
				if (!vector || !wrapping) return { have: 'sealed' };
				try {
					// The stored state vector lags behind the log: the peer then sends more, never less.
					return { have: 'sv', stateVector: await sealStateVector(wrapping, docId, vector) };
				} catch {
					return { have: 'sealed' };
				}
			})
		);
	}

	/** Takes one doc message; a doc complete in all its parts is stored and acknowledged. */
	receiveChunk(m: DocMessage): void {
		const key = `${m.batch}|${m.docId}`;
		if (!this.#expected.has(key)) {
			this.ctx.log({ level: 'warn', reason: 'unsolicited', peer: this.peerId(), docId: m.docId, detail: `batch ${m.batch}` });
			return;
		}
		const assembly = this.#assemblies.get(key) ?? { count: m.count, parts: new Map(), bytes: 0 };
		if (assembly.count !== m.count) return this.#abandon(key, m, 'malformed-message', 'part count changed');
		if (assembly.parts.has(m.index)) return;
		if (this.#assembling + m.chunk.byteLength > this.ctx.limits.maxDocBytes) {
			return this.#abandon(key, m, 'message-too-large', `doc beyond ${this.ctx.limits.maxDocBytes} bytes`);
		}
		assembly.parts.set(m.index, m.chunk);
		assembly.bytes += m.chunk.byteLength;
		this.#assembling += m.chunk.byteLength;
		this.#assemblies.set(key, assembly);
		if (assembly.parts.size < assembly.count) return;
		this.#release(key);
		void this.#store(m.batch, m.docId, joinParts(assembly));
	}

	/** Takes a pushed live edit (no offer before it): stored only if this device holds the doc. */
	receivePush(m: Extract<SyncMessage, { type: 'push' }>): void {
		void this.#store(m.batch, m.docId, m.chunk, true);
	}

	#release(key: string): void {
		this.#expected.delete(key);
		this.#assembling -= this.#assemblies.get(key)?.bytes ?? 0;
		this.#assemblies.delete(key);
	}

	#abandon(key: string, m: DocMessage, reason: 'malformed-message' | 'message-too-large', detail: string): void {
		this.#release(key);
		this.ctx.log({ level: 'warn', reason, peer: this.peerId(), docId: m.docId, detail });
		void this.#ack(m.batch, m.docId, 'rejected');
	}

	async #store(batch: number, docId: DocId, bytes: Uint8Array, onlyIfHeld = false): Promise<void> {
		this.#intakes += 1;
		try {
			const intake = await this.ctx.intake(this.peerId(), docId, bytes, onlyIfHeld);
			if (intake.status === 'stored') this.stats.docsStored += 1;
			const level = intake.status === 'rejected' ? 'warn' : 'info';
			const reason = intake.reason ?? (intake.status === 'rejected' ? 'invalid-update' : intake.status);
			this.ctx.log({ level, reason, peer: this.peerId(), docId, detail: intake.detail });
			await this.#ack(batch, docId, intake.status);
		} finally {
			this.#intakes -= 1;
			this.onDone(docId);
		}
	}

	// Acks made in the same turn (a stored intake batch answers many docs at once) go together,
	// one message per offer batch, at most maxBatch items each.
	#ack(batch: number, docId: DocId, status: AckStatus): Promise<void> {
		const items = this.#acks.get(batch) ?? [];
		items.push({ docId, status });
		this.#acks.set(batch, items);
		this.#acksSent ??= new Promise<void>((resolve) => queueMicrotask(resolve)).then(() => this.#flushAcks());
		return this.#acksSent;
	}

	async #flushAcks(): Promise<void> {
		const all = [...this.#acks];
		this.#acks.clear();
		this.#acksSent = null;
		for (const [batch, items] of all) {
			for (let i = 0; i < items.length; i += this.ctx.limits.maxBatch) {
				await this.send({ type: 'ack', batch, items: items.slice(i, i + this.ctx.limits.maxBatch) }).catch(() => undefined);
			}
		}
	}

	/** Erases the docs whose tombstone proof verifies; forged ones are logged and ignored. */
	async receiveTombstones(items: Array<{ docId: DocId; proof: Envelope }>): Promise<void> {
		const roots = this.ctx.keys();
		if (!roots) return;
		for (const { docId, proof } of items) {
			const entry = await this.ctx.storage.getRegistryEntry(docId);
			if (entry?.tombstone) continue;
			if (!(await verifyTombstone(roots.salon, docId, proof))) {
				this.ctx.log({ level: 'warn', reason: 'forged', peer: this.peerId(), docId, detail: 'tombstone proof' });
				continue;
			}
			await this.ctx.store.eraseDoc(docId);
			this.ctx.log({ level: 'info', reason: 'erased', peer: this.peerId(), docId });
		}
	}
}

function joinParts(assembly: Assembly): Uint8Array {
	if (assembly.count === 1) return assembly.parts.get(0)!;
	const bytes = new Uint8Array(assembly.bytes);
	let offset = 0;
	for (let i = 0; i < assembly.count; i++) {
		bytes.set(assembly.parts.get(i)!, offset);
		offset += assembly.parts.get(i)!.byteLength;
	}
	return bytes;
}
