// This device's place in the salon's WebRTC mesh. Guarantees:
// - it announces this device on the salon's signaling topic (on every relay (re)connect, and
//   every announceMs while running), answers a newcomer's announce, and keeps at most one link per
//   other device; a signal from an older link of a peer is dropped, a fresh offer replaces it;
// - of two devices only the one with the greater id starts a link (it offers); the other answers
//   its offer, and asks for a link by announcing itself to that device (so the two never offer
//   into each other, which measurably left Chromium without candidates);
// - a link is handed to the SyncNode only once its channel is open (the sync handshake then proves
//   the sync secret before anything else travels);
// - a closed link is retried with exponential backoff while the peer was heard recently and has
//   not said it left; an announce from the peer retries at once;
// - pause() closes every link, tells peers this device left and ignores signaling until resume();
//   close() does that for good and stops listening to the signaling client.
// Nothing here reads payload fields without checking them (isSignalMessage, isAnnounce).
import type { SignalPayload } from './signaling-client';
import type { Transport } from './transport';
import { isSignalMessage, WebrtcTransport, type MeshLink } from './webrtc-transport';

/** What the mesh needs of the signaling client. */
export interface MeshSignaling {
	readonly isConnected: boolean;
	publish(payload: SignalPayload): Promise<boolean>;
	onPayload(handler: (payload: SignalPayload) => void): () => void;
	onStatus(handler: (isConnected: boolean) => void): () => void;
}

/** How a device joins the mesh. */
export interface MeshOptions {
	deviceId: string;
	signaling: MeshSignaling;
	/** Receives each open link (SyncNode.connect). */
	connect: (transport: Transport) => void;
	iceServers?: RTCIceServer[];
	/** Builds a link to one peer; defaults to a WebrtcTransport (tests pass a fake). */
	createLink?: (peerId: string, signal: (message: SignalPayload) => void, isInitiator: boolean) => MeshLink;
	minBackoffMs?: number;
	maxBackoffMs?: number;
	announceMs?: number;
	/** A peer not heard for this long is no longer retried. */
	forgetAfterMs?: number;
	log?: (reason: string, detail?: string) => void;
}

/** Runs the links between this device and every other device of the salon. */
export class SyncMesh {
	readonly #o: Required<Omit<MeshOptions, 'iceServers' | 'createLink'>> & Pick<MeshOptions, 'iceServers' | 'createLink'>;
	readonly #links = new Map<string, MeshLink>();
	readonly #retries = new Map<string, { attempts: number; timer: ReturnType<typeof setTimeout> | null }>();
	readonly #heardAt = new Map<string, number>();
	readonly #listeners = new Set<() => void>();
	#unsubscribe: (() => void)[] = [];
	#announceTimer: ReturnType<typeof setInterval> | null = null;
	#isPaused = true;
	#isClosed = false;

	constructor(options: MeshOptions) {
		this.#o = {
			minBackoffMs: 1000,
			maxBackoffMs: 30_000,
			announceMs: 20_000,
			forgetAfterMs: 120_000,
			log: () => {},
			...options
		};
		this.#unsubscribe = [
			options.signaling.onPayload((p) => this.#receive(p)),
			options.signaling.onStatus((isConnected) => {
				if (isConnected) this.#announce();
			})
		];
	}

	/** Other devices with an open link now. */
	get onlinePeers(): string[] {
		return [...this.#links.values()].filter((l) => l.isOpen).map((l) => l.peerId);
	}

	/** Whether sync is paused (or not started). */
	get isPaused(): boolean {
		return this.#isPaused;
	}

	/** Calls `listener` whenever a link opens or closes; returns its remover. */
	onChange(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Starts (or restarts after pause) announcing and linking. */
	resume(): void {
		if (this.#isClosed || !this.#isPaused) return;
		this.#isPaused = false;
		this.#announceTimer = setInterval(() => this.#announce(), this.#o.announceMs);
		this.#announce();
		this.#changed();
	}

	/** Closes every link and stops linking until resume(); peers are told this device left. */
	pause(): void {
		if (this.#isPaused) return;
		this.#isPaused = true;
		if (this.#announceTimer) clearInterval(this.#announceTimer);
		this.#announceTimer = null;
		for (const retry of this.#retries.values()) if (retry.timer) clearTimeout(retry.timer);
		this.#retries.clear();
		for (const link of [...this.#links.values()]) link.close('paused');
		this.#links.clear();
		void this.#o.signaling.publish({ kind: 'leave', from: this.#o.deviceId }).catch(() => undefined);
		this.#changed();
	}

	/** Pauses for good and stops listening to the signaling client. */
	close(): void {
		this.pause();
		this.#isClosed = true;
		this.#unsubscribe.forEach((u) => u());
		this.#listeners.clear();
	}

	#announce(to?: string): void {
		if (this.#isPaused || !this.#o.signaling.isConnected) return;
		const message: SignalPayload = { kind: 'announce', from: this.#o.deviceId };
		if (to) message.to = to;
		void this.#o.signaling.publish(message).catch(() => undefined);
	}

	#receive(payload: SignalPayload): void {
		if (this.#isPaused) return;
		const from = payload.from;
		if (typeof from !== 'string' || from.length === 0 || from.length > 128 || from === this.#o.deviceId) return;
		if (payload.kind === 'announce') {
			if (payload.to !== undefined && payload.to !== this.#o.deviceId) return;
			this.#heardAt.set(from, Date.now());
			if (this.#links.has(from)) return;
			if (this.#isInitiatorFor(from)) this.#link(from, true);
			if (payload.to === undefined) this.#announce(from); // a newcomer: tell it about us (it links if it initiates)
		} else if (payload.kind === 'leave') {
			this.#heardAt.delete(from);
			this.#cancelRetry(from);
			this.#links.get(from)?.close('peer-left');
		} else if (payload.kind === 'signal') {
			if (payload.to !== this.#o.deviceId) return;
			if (!isSignalMessage(payload)) return this.#o.log('malformed-signal', from);
			this.#heardAt.set(from, Date.now());
			let link = this.#links.get(from);
			if (payload.toConn !== undefined && payload.toConn !== link?.conn) return; // for a link we closed
			const isFreshOffer = payload.description?.type === 'offer' && payload.toConn === undefined;
			if (link && link.remoteConn !== null && link.remoteConn !== payload.conn) {
				if (!isFreshOffer) return; // from the peer's older link
				link.close('replaced');
				link = undefined;
			}
			if (!link) {
				if (!isFreshOffer) return;
				link = this.#link(from, false);
			}
			link.handleSignal(payload);
		}
	}

	/** Whether this device starts the link to `peerId` (the greater id does). */
	#isInitiatorFor(peerId: string): boolean {
		return this.#o.deviceId > peerId;
	}

	#link(peerId: string, isInitiator: boolean): MeshLink {
		this.#cancelRetry(peerId, false);
		const signal = (message: SignalPayload) => void this.#o.signaling.publish(message).catch(() => undefined);
		const log = (r: string, d?: string) => this.#o.log(r, `${peerId} ${d ?? ''}`);
		const link = this.#o.createLink
			? this.#o.createLink(peerId, signal, isInitiator)
			: new WebrtcTransport({ deviceId: this.#o.deviceId, peerId, signal, iceServers: this.#o.iceServers, isInitiator, log });
		this.#links.get(peerId)?.close('replaced');
		this.#links.set(peerId, link);
		void link.opened.then((isOpen) => {
			if (!isOpen || this.#links.get(peerId) !== link) return;
			this.#retries.delete(peerId);
			try {
				this.#o.connect(link);
			} catch (error) {
				this.#o.log('connect-refused', String(error).slice(0, 80));
				link.close('refused');
			}
			this.#changed();
		});
		void link.closed.then((reason) => {
			if (this.#links.get(peerId) !== link) return;
			this.#links.delete(peerId);
			this.#o.log('link-closed', `${peerId} ${reason}`);
			this.#changed();
			this.#scheduleRetry(peerId);
		});
		return link;
	}

	#scheduleRetry(peerId: string): void {
		if (this.#isPaused) return;
		const heardAt = this.#heardAt.get(peerId);
		if (heardAt === undefined || Date.now() - heardAt > this.#o.forgetAfterMs) return;
		const retry = this.#retries.get(peerId) ?? { attempts: 0, timer: null };
		if (retry.timer) return;
		const base = Math.min(this.#o.maxBackoffMs, this.#o.minBackoffMs * 2 ** retry.attempts);
		retry.attempts += 1;
		retry.timer = setTimeout(() => {
			retry.timer = null;
			if (this.#isPaused || this.#links.has(peerId)) return;
			// The initiator links again; the other side asks it to, by announcing itself to it.
			if (this.#isInitiatorFor(peerId)) this.#link(peerId, true);
			else {
				this.#announce(peerId);
				this.#scheduleRetry(peerId);
			}
		}, base / 2 + Math.random() * (base / 2));
		this.#retries.set(peerId, retry);
	}

	/** Stops a pending retry; keeps the attempt count unless `forget`. */
	#cancelRetry(peerId: string, forget = true): void {
		const retry = this.#retries.get(peerId);
		if (retry?.timer) clearTimeout(retry.timer);
		if (retry) retry.timer = null;
		if (forget) this.#retries.delete(peerId);
	}

	#changed(): void {
		for (const listener of [...this.#listeners]) {
			try {
				listener();
			} catch {
				// a listener's bug must not stop the mesh
			}
		}
	}
}
