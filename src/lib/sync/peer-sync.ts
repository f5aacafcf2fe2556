// One sync session over one link. Guarantees:
// - nothing but hello and proof is sent until the peer proved it holds the sync secret; messages
//   it sent before its proof verified are held (a bounded few) and dropped if the proof fails;
// - on connect, and whenever this device stores a change, the docs changed since the peer's
//   checkpoint are offered in batches; the peer answers what it holds of each (offer -> want),
//   gets what it lacks (doc messages, as many per doc as its size needs) and acknowledges;
// - the checkpoint advances only past docs the peer acknowledged storing (or erasing); a doc it
//   deferred or refused stays pending and is offered again at the next connect or rescan;
// - a change that came from this peer is not offered back to it (OriginLog), so live edits are
//   forwarded only to the peers that did not send them;
// - every tombstone is sent at connect and every new one at once, each with a salon-key proof;
// - a reply that does not come within replyTimeoutMs closes the link (the mesh reconnects);
// - once authenticated, each side sends its keyring and presence (sealed under the salon key); a
//   keyring or presence that does not open or is malformed is logged 'forged' and never used; the
//   peer's presence is withdrawn when the link closes;
// - the sender says how many docs (and cards) it is about to offer and, after them, that the peer
//   has everything: the receiver's progress counts the docs answered since, and "nothing pending"
//   marks the moment the two were last in sync.
import { parseDocId, type DocId } from '../domain/ids';
import type { Envelope } from '../crypto/envelope';
import { readCheckpoint } from './checkpoints';
import { DocReceiver } from './doc-receiver';
import { DocSender } from './doc-sender';
import { FrameReader, FrameWriter } from './framing';
import { Handshake } from './handshake';
import { decodeMessage, encodeMessage, type SyncMessage } from './protocol';
import type { SessionContext } from './session-context';
import { openKeyring, openPresence, sealKeyring, sealPresence } from './salon-exchange';
import { proveTombstone } from './sync-crypto';
import type { Transport } from './transport';

export type { SessionContext } from './session-context';

/** Counters of one session, for status screens and tests. */
export interface SessionStats {
	docsOffered: number;
	docsSent: number;
	bytesSent: number;
	docsStored: number;
	/** Docs the peer sent that arrived whole and were answered, whatever became of them. */
	docsReceived: number;
	cardsReceived: number;
}

/** How far the docs a peer announced have arrived. */
export interface IncomingProgress {
	docs: number;
	cards: number;
	docsDone: number;
	cardsDone: number;
}

const MAX_EARLY_MESSAGES = 64;

type Waiter = { resolve: (m: SyncMessage) => void; reject: (e: Error) => void; timer?: ReturnType<typeof setTimeout> };

/** The sync protocol with one peer over one transport. */
export class PeerSession {
	readonly stats: SessionStats = { docsOffered: 0, docsSent: 0, bytesSent: 0, docsStored: 0, docsReceived: 0, cardsReceived: 0 };
	readonly #transport: Transport;
	readonly #ctx: SessionContext;
	readonly #writer: FrameWriter;
	readonly #handshake: Handshake;
	readonly #receiver: DocReceiver;
	readonly #waiters = new Map<string, Waiter>();
	#early: SyncMessage[] = [];
	#inbox: Promise<void> = Promise.resolve();
	#inboxDepth = 0;
	#peerId: string | null = null;
	#sender: DocSender | null = null;
	#isClosed = false;
	#incoming: { docs: number; cards: number; baseDocs: number; baseCards: number } | null = null;
	#ackWatch: ReturnType<typeof setTimeout> | null = null;
	#ackWaiters = 0;

	constructor(transport: Transport, ctx: SessionContext) {
		this.#transport = transport;
		this.#ctx = ctx;
		this.#writer = new FrameWriter(transport, ctx.limits);
		this.#handshake = new Handshake(ctx.handshakeKey, ctx.deviceId, (m) => this.#send(m));
		this.#receiver = new DocReceiver(ctx, (m) => this.#send(m), () => this.#peerId ?? '', this.stats, (docId) => {
			this.stats.docsReceived += 1;
			if (parseDocId(docId).kind === 'profile') this.stats.cardsReceived += 1;
			if (this.#incoming) ctx.onProgress();
		});
		const reader = new FrameReader(ctx.limits, (m) => this.#onMessage(m), ctx.log);
		transport.onMessage((frame) => reader.accept(frame));
		transport.onClose((reason) => this.close(reason));
	}

	/** The peer's device id, once it proved it holds the sync secret. */
	get peerId(): string | null {
		return this.#peerId;
	}

	/** Whether the link is closed. */
	get isClosed(): boolean {
		return this.#isClosed;
	}

	/** Whether nothing is being sent, received or waited for (tests wait for this). */
	get isIdle(): boolean {
		if (this.#isClosed) return true;
		const isSenderIdle = this.#sender?.isIdle ?? false;
		return isSenderIdle && this.#inboxDepth === 0 && this.#waiters.size === 0 && this.#receiver.isIdle;
	}

	/** Docs the peer has not stored yet although they were offered. */
	get pendingDocs(): number {
		return this.#sender?.pendingDocs ?? 0;
	}

	/** The docs the peer announced and how many of them arrived; null when nothing is announced. */
	get incoming(): IncomingProgress | null {
		const i = this.#incoming;
		if (!i) return null;
		return {
			docs: i.docs,
			cards: i.cards,
			docsDone: Math.min(i.docs, this.stats.docsReceived - i.baseDocs),
			cardsDone: Math.min(i.cards, this.stats.cardsReceived - i.baseCards)
		};
	}

	/** Sends this device's keyring (after a local change); a no-op before the handshake. */
	async sendKeyring(): Promise<void> {
		const roots = this.#ctx.keys();
		const keyring = roots && this.#peerId && !this.#isClosed ? await this.#ctx.keyring?.read() : null;
		if (!roots || !keyring) return;
		await this.#send({ type: 'keyring', sealed: await sealKeyring(roots.salon, keyring) });
	}

	/** Sends this device's presence (after it changed); a no-op before the handshake. */
	async sendPresence(): Promise<void> {
		const roots = this.#ctx.keys();
		const presence = this.#ctx.presence();
		if (!roots || !presence || !this.#peerId || this.#isClosed) return;
		await this.#send({ type: 'presence', sealed: await sealPresence(roots.salon, this.#ctx.deviceId, presence) });
	}

	/** Starts the handshake; the peer must answer within replyTimeoutMs. */
	start(): void {
		const timer = setTimeout(() => {
			if (!this.#peerId) this.#fail('timeout', 'no handshake');
		}, this.#ctx.limits.replyTimeoutMs);
		this.#handshake.start().catch(() => this.close('send failed'));
		this.#waiters.set('handshake', { resolve: () => clearTimeout(timer), reject: () => clearTimeout(timer), timer });
	}

	/** Something was stored here: offer it (changes are found in the change log). */
	notifyChange(): void {
		this.#sender?.notifyChange();
	}

	/** Sends a tombstone at once; the peer checks its proof before erasing. */
	async sendTombstone(docId: DocId): Promise<void> {
		const roots = this.#ctx.keys();
		if (!this.#peerId || !roots || this.#isClosed) return;
		await this.#send({ type: 'tombstones', items: [{ docId, proof: await proveTombstone(roots.salon, docId) }] });
	}

	/** Asks the peer to offer again what this device deferred (it can read more now). */
	requestRescan(): Promise<void> {
		return this.#peerId ? this.#send({ type: 'rescan' }) : Promise.resolve();
	}

	/** Closes the link; waiting requests fail, the checkpoint keeps what was acknowledged. */
	close(reason = 'closed'): void {
		if (this.#isClosed) return;
		this.#isClosed = true;
		this.#transport.close(reason);
		for (const waiter of this.#waiters.values()) {
			clearTimeout(waiter.timer);
			waiter.reject(new Error(`link closed: ${reason}`));
		}
		this.#waiters.clear();
		if (this.#ackWatch) clearTimeout(this.#ackWatch);
		this.#ackWatch = null;
		this.#ackWaiters = 0;
		this.#sender?.stop();
		if (this.#incoming) {
			this.#incoming = null;
			this.#ctx.onProgress();
		}
		if (this.#peerId) this.#ctx.onPresence(this.#peerId, null);
		this.#ctx.log({ level: 'info', reason: 'closed', peer: this.#peerId ?? undefined, detail: reason });
		this.#ctx.onClosed(this);
	}

	#fail(reason: 'timeout' | 'handshake-failed' | 'newer-version' | 'older-version', detail: string): void {
		this.#ctx.log({ level: 'warn', reason, peer: this.#peerId ?? undefined, detail });
		this.close(reason);
	}

	#send(m: SyncMessage): Promise<void> {
		if (this.#isClosed) return Promise.reject(new Error('link closed'));
		return this.#writer.write(encodeMessage(m));
	}

	#onMessage(bytes: Uint8Array): void {
		if (this.#isClosed) return;
		const decoded = decodeMessage(bytes, this.#ctx.limits);
		if (!decoded.ok) {
			if (decoded.reason === 'newer-version') this.#ctx.onVersion('update-app');
			if (decoded.reason === 'older-version') this.#ctx.onVersion('peer-outdated');
			if (decoded.reason === 'newer-version' || decoded.reason === 'older-version') return this.#fail(decoded.reason, decoded.detail);
			this.#ctx.log({ level: 'warn', reason: decoded.reason, peer: this.#peerId ?? undefined, detail: decoded.detail });
			return;
		}
		this.#inboxDepth += 1;
		this.#inbox = this.#inbox
			.then(() => this.#handle(decoded.message))
			.catch((e) => {
				if (!this.#isClosed) this.#ctx.log({ level: 'warn', reason: 'malformed-message', peer: this.#peerId ?? undefined, detail: String(e) });
			})
			.finally(() => (this.#inboxDepth -= 1));
	}

	async #handle(m: SyncMessage): Promise<void> {
		if (this.#isClosed) return;
		if (!this.#peerId) return this.#handleBeforeProof(m);
		switch (m.type) {
			case 'hello':
			case 'proof':
				return; // a late duplicate of the handshake
			case 'tombstones':
				return this.#receiver.receiveTombstones(m.items);
			case 'offer':
				return this.#receiver.answerOffer(m.batch, m.docIds);
			case 'doc':
				return this.#receiver.receiveChunk(m);
			case 'want':
				return this.#resolve(`want|${m.batch}`, m);
			case 'ack':
				for (const item of m.items) this.#resolve(`ack|${m.batch}|${item.docId}`, { ...m, items: [item] });
				this.#armAckWatch(true);
				return;
			case 'rescan':
				return this.#sender?.rescan();
			case 'keyring':
				return this.#receiveKeyring(m.sealed);
			case 'presence':
				return this.#receivePresence(m.sealed);
			case 'pending':
				return this.#receivePending(m.docs, m.cards);
			case 'push':
				return this.#receiver.receivePush(m);
		}
	}

	async #receiveKeyring(sealed: Envelope): Promise<void> {
		const roots = this.#ctx.keys();
		if (!roots || !this.#ctx.keyring) return;
		let keyring;
		try {
			keyring = await openKeyring(roots.salon, sealed);
		} catch (e) {
			return this.#ctx.log({ level: 'warn', reason: 'forged', peer: this.#peerId!, detail: `keyring: ${String(e).slice(0, 80)}` });
		}
		try {
			await this.#ctx.keyring.merge(keyring);
		} catch (e) {
			this.#ctx.log({ level: 'warn', reason: 'forged', peer: this.#peerId!, detail: `keyring merge: ${String(e).slice(0, 80)}` });
		}
	}

	async #receivePresence(sealed: Envelope): Promise<void> {
		const roots = this.#ctx.keys();
		if (!roots) return;
		try {
			this.#ctx.onPresence(this.#peerId!, await openPresence(roots.salon, this.#peerId!, sealed));
		} catch (e) {
			this.#ctx.log({ level: 'warn', reason: 'forged', peer: this.#peerId!, detail: `presence: ${String(e).slice(0, 80)}` });
		}
	}

	#receivePending(docs: number, cards: number): void {
		if (docs > 0) {
			this.#incoming = { docs, cards, baseDocs: this.stats.docsReceived, baseCards: this.stats.cardsReceived };
			this.#ctx.onProgress();
			return;
		}
		const wasIncoming = this.#incoming !== null;
		this.#incoming = null;
		if (wasIncoming) this.#ctx.onProgress();
		this.#ctx.onSynced(this.#peerId!);
	}

	async #handleBeforeProof(m: SyncMessage): Promise<void> {
		if (m.type !== 'hello' && m.type !== 'proof') {
			if (this.#early.length < MAX_EARLY_MESSAGES) this.#early.push(m);
			else this.#ctx.log({ level: 'warn', reason: 'not-authenticated', detail: `${m.type} before the handshake` });
			return;
		}
		const result = await this.#handshake.receive(m);
		if (result.state === 'failed') return this.#fail('handshake-failed', result.detail);
		if (result.state !== 'done') return;
		this.#resolve('handshake', m);
		const checkpoint = await readCheckpoint(this.#ctx.storage, result.peerId);
		const link = { send: (msg: SyncMessage) => this.#send(msg), waitFor: (key: string) => this.#waitFor(key), isClosed: () => this.#isClosed };
		this.#sender = new DocSender(this.#ctx, link, result.peerId, checkpoint, this.stats);
		this.#peerId = result.peerId;
		this.#ctx.onAuthenticated(this);
		for (const early of this.#early.splice(0)) await this.#handle(early);
		void this.sendKeyring()
			.then(() => this.sendPresence())
			.then(() => this.#sendAllTombstones())
			.then(() => this.#sender!.run())
			.catch((e) => {
				if (!this.#isClosed) this.#ctx.log({ level: 'warn', reason: 'closed', peer: this.#peerId!, detail: String(e) });
				this.close('sync failed');
			});
	}

	#resolve(key: string, m: SyncMessage): void {
		const waiter = this.#waiters.get(key);
		if (!waiter) return; // a duplicate or unasked-for reply
		clearTimeout(waiter.timer);
		this.#waiters.delete(key);
		if (key.startsWith('ack|')) this.#ackWaiters -= 1;
		waiter.resolve(m);
	}

	#waitFor(key: string): Promise<SyncMessage> {
		const reply = new Promise<SyncMessage>((resolve, reject) => {
			// Acks (one per doc sent) share one watch instead of a timer each.
			if (key.startsWith('ack|')) {
				this.#waiters.set(key, { resolve, reject });
				this.#ackWaiters += 1;
				this.#armAckWatch(false);
				return;
			}
			const timer = setTimeout(() => this.#fail('timeout', key), this.#ctx.limits.replyTimeoutMs);
			this.#waiters.set(key, { resolve, reject, timer });
		});
		// A close rejects every waiter, including ones nobody awaits yet: that is not an error.
		reply.catch(() => undefined);
		return reply;
	}

	// The link counts as broken when acks are awaited and none came for replyTimeoutMs. An arriving
	// ack restarts the watch; a new waiter only starts it if none runs.
	#armAckWatch(isProgress: boolean): void {
		if (this.#ackWatch && !isProgress) return;
		if (this.#ackWatch) clearTimeout(this.#ackWatch);
		this.#ackWatch = null;
		if (this.#ackWaiters === 0) return;
		this.#ackWatch = setTimeout(() => {
			this.#ackWatch = null;
			const awaited = [...this.#waiters.keys()].find((key) => key.startsWith('ack|'));
			if (awaited) this.#fail('timeout', awaited);
		}, this.#ctx.limits.replyTimeoutMs);
	}

	async #sendAllTombstones(): Promise<void> {
		const roots = this.#ctx.keys();
		if (!roots) return;
		const erased = (await this.#ctx.storage.listRegistry()).filter((e) => e.tombstone).map((e) => e.docId);
		for (let i = 0; i < erased.length; i += this.#ctx.limits.maxBatch) {
			const ids = erased.slice(i, i + this.#ctx.limits.maxBatch);
			const items = await Promise.all(ids.map(async (docId) => ({ docId, proof: await proveTombstone(roots.salon, docId) })));
			await this.#send({ type: 'tombstones', items });
		}
	}
}
