// A Transport over one RTCPeerConnection with one ordered, reliable data channel. Guarantees:
// - "perfect negotiation": the channel is pre-negotiated (id 0) on both ends; the link's initiator
//   offers first and the other side answers (it offers only to renegotiate an established
//   connection), and a collision that still happens is settled by device id (the lower id is
//   polite and rolls back), so two devices that find each other at once end with one connection.
//   Measured by the sync bench: when both sides offered at once, the polite side's rollback left
//   Chromium gathering no candidate in 12 of 18 joins, and the link hung until connectTimeoutMs;
// - signaling messages are addressed ({from, to} plus connection ids `conn` / `toConn`) and
//   handled one at a time in arrival order, so a candidate never overtakes its description;
// - sends are binary frames; whenWritable() waits while more than HIGH_WATER bytes are queued in
//   the channel and resumes at bufferedamountlow (LOW_WATER), and at once after close;
// - a heartbeat (a text 'ping' every heartbeatMs from each side) closes a link that has heard
//   nothing for deadAfterMs: a vanished peer is noticed within seconds, not after ICE's ~30 s;
// - the link closes on channel close or error, on connection failure, when it does not open
//   within connectTimeoutMs, or on close(); onClose and `closed` hear it exactly once.
// ICE servers default to none (DESIGN: salon devices share a network; STUN would leak addresses).
import type { SignalPayload } from './signaling-client';
import type { Transport } from './transport';

/** A signaling message between two links; `toConn` is absent until the sender heard the receiver. */
export interface SignalMessage {
	kind: 'signal';
	from: string;
	to: string;
	conn: string;
	toConn?: string;
	description?: { type: RTCSdpType; sdp?: string };
	candidate?: RTCIceCandidateInit;
}

/** What the mesh needs of a link beyond Transport. */
export interface MeshLink extends Transport {
	readonly peerId: string;
	/** This end's connection id (random); stale signals for an older link are told apart by it. */
	readonly conn: string;
	/** The other end's connection id, once heard. */
	readonly remoteConn: string | null;
	/** True once the channel opened; false if the link closed first. */
	readonly opened: Promise<boolean>;
	/** The close reason, once closed. */
	readonly closed: Promise<string>;
	/** Feeds one signaling message addressed to this link. */
	handleSignal(message: SignalMessage): void;
}

/** How to build a WebRTC link to one peer. */
export interface WebrtcTransportOptions {
	deviceId: string;
	peerId: string;
	/** Publishes a signaling message (sealed by the signaling client). */
	signal: (message: SignalPayload) => void;
	iceServers?: RTCIceServer[];
	heartbeatMs?: number;
	deadAfterMs?: number;
	connectTimeoutMs?: number;
	log?: (reason: string, detail?: string) => void;
	/** Builds the peer connection; tests may pass a fake. */
	createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
	/** Whether this side sends the first offer (default); the other waits for it and answers. */
	isInitiator?: boolean;
}

const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;

/** Checks the shape of a decrypted signaling payload; never trusts a peer's fields. */
export function isSignalMessage(value: SignalPayload): value is SignalPayload & SignalMessage {
	const v = value as Partial<SignalMessage>;
	if (v.kind !== 'signal' || !isId(v.from) || !isId(v.to) || !isId(v.conn)) return false;
	if (v.toConn !== undefined && !isId(v.toConn)) return false;
	if (v.description !== undefined) {
		const d = v.description as unknown as Record<string, unknown>;
		if (typeof d !== 'object' || d === null || !['offer', 'answer', 'pranswer', 'rollback'].includes(d.type as string)) return false;
		if (d.sdp !== undefined && (typeof d.sdp !== 'string' || d.sdp.length > 32_000)) return false;
	}
	if (v.candidate !== undefined && (typeof v.candidate !== 'object' || v.candidate === null)) return false;
	return true;
}

function isId(value: unknown): value is string {
	return typeof value === 'string' && value.length > 0 && value.length <= 128;
}

function randomId(): string {
	return [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** One WebRTC link to one peer device. */
export class WebrtcTransport implements MeshLink {
	readonly peerId: string;
	readonly conn = randomId();
	readonly opened: Promise<boolean>;
	readonly closed: Promise<string>;
	#remoteConn: string | null = null;
	readonly #options: WebrtcTransportOptions;
	readonly #pc: RTCPeerConnection;
	readonly #channel: RTCDataChannel;
	readonly #isPolite: boolean;
	#isMakingOffer = false;
	#isIgnoringOffer = false;
	#signals: Promise<void> = Promise.resolve();
	#onMessage: ((bytes: Uint8Array) => void) | null = null;
	#onClose: ((reason: string) => void) | null = null;
	#inbox: Uint8Array[] = [];
	#waiters: Array<() => void> = [];
	#closeReason: string | null = null;
	#heardAt = Date.now();
	#timers: ReturnType<typeof setTimeout>[] = [];
	#resolveOpened!: (isOpen: boolean) => void;
	#resolveClosed!: (reason: string) => void;

	constructor(options: WebrtcTransportOptions) {
		this.#options = options;
		this.peerId = options.peerId;
		this.#isPolite = options.deviceId < options.peerId;
		this.opened = new Promise((resolve) => (this.#resolveOpened = resolve));
		this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
		const config: RTCConfiguration = { iceServers: options.iceServers ?? [] };
		this.#pc = options.createPeerConnection ? options.createPeerConnection(config) : new RTCPeerConnection(config);
		this.#channel = this.#pc.createDataChannel('kartoteka-sync', { negotiated: true, id: 0, ordered: true });
		this.#channel.binaryType = 'arraybuffer';
		this.#channel.bufferedAmountLowThreshold = LOW_WATER;
		this.#wire();
		this.#timers.push(setTimeout(() => this.close('connect-timeout'), options.connectTimeoutMs ?? 20_000));
	}

	get remoteConn(): string | null {
		return this.#remoteConn;
	}

	get isOpen(): boolean {
		return this.#closeReason === null && this.#channel.readyState === 'open';
	}

	send(bytes: Uint8Array): void {
		if (!this.isOpen) return;
		try {
			this.#channel.send(bytes as Uint8Array<ArrayBuffer>);
		} catch (error) {
			this.close(`send-failed: ${String(error).slice(0, 60)}`);
		}
	}

	whenWritable(): Promise<void> {
		if (!this.isOpen || this.#channel.bufferedAmount < HIGH_WATER) return Promise.resolve();
		return new Promise((resolve) => this.#waiters.push(resolve));
	}

	onMessage(handler: (bytes: Uint8Array) => void): void {
		this.#onMessage = handler;
		for (const bytes of this.#inbox.splice(0)) handler(bytes);
	}

	onClose(handler: (reason: string) => void): void {
		this.#onClose = handler;
		const reason = this.#closeReason;
		if (reason !== null) queueMicrotask(() => handler(reason));
	}

	close(reason = 'closed'): void {
		if (this.#closeReason !== null) return;
		this.#closeReason = reason;
		this.#timers.forEach((t) => clearTimeout(t));
		this.#waiters.splice(0).forEach((w) => w());
		try {
			this.#channel.close();
			this.#pc.close();
		} catch {
			// already torn down by the browser
		}
		this.#options.log?.('closed', reason);
		this.#resolveOpened(false);
		this.#resolveClosed(reason);
		const handler = this.#onClose;
		if (handler) queueMicrotask(() => handler(reason));
	}

	handleSignal(message: SignalMessage): void {
		if (this.#closeReason !== null) return;
		this.#remoteConn ??= message.conn;
		this.#signals = this.#signals.then(() => this.#applySignal(message)).catch((error) => this.#options.log?.('signal-failed', String(error).slice(0, 80)));
	}

	async #applySignal(message: SignalMessage): Promise<void> {
		if (this.#closeReason !== null) return;
		const pc = this.#pc;
		if (message.description) {
			const description = message.description;
			const isCollision = description.type === 'offer' && (this.#isMakingOffer || pc.signalingState !== 'stable');
			this.#isIgnoringOffer = !this.#isPolite && isCollision;
			if (this.#isIgnoringOffer) return;
			await pc.setRemoteDescription(description);
			if (description.type === 'offer') {
				await pc.setLocalDescription();
				this.#sendSignal({ description: toDescription(pc.localDescription) });
			}
		} else if (message.candidate) {
			try {
				await pc.addIceCandidate(message.candidate);
			} catch (error) {
				if (!this.#isIgnoringOffer) throw error;
			}
		}
	}

	#sendSignal(body: Pick<SignalMessage, 'description' | 'candidate'>): void {
		const message: SignalMessage = { kind: 'signal', from: this.#options.deviceId, to: this.peerId, conn: this.conn, ...body };
		if (this.#remoteConn) message.toConn = this.#remoteConn;
		this.#options.signal(message as unknown as SignalPayload);
	}

	#wire(): void {
		const pc = this.#pc;
		const channel = this.#channel;
		pc.onnegotiationneeded = async () => {
			// The answering side waits for the first offer instead of sending its own into a collision.
			if (this.#options.isInitiator === false && !pc.remoteDescription) return;
			try {
				this.#isMakingOffer = true;
				await pc.setLocalDescription();
				this.#sendSignal({ description: toDescription(pc.localDescription) });
			} catch (error) {
				this.#options.log?.('offer-failed', String(error).slice(0, 80));
			} finally {
				this.#isMakingOffer = false;
			}
		};
		pc.onicecandidate = ({ candidate }) => {
			if (candidate) this.#sendSignal({ candidate: candidate.toJSON() });
		};
		pc.onconnectionstatechange = () => {
			if (pc.connectionState === 'failed' || pc.connectionState === 'closed') this.close(`connection-${pc.connectionState}`);
		};
		channel.onopen = () => {
			this.#heardAt = Date.now();
			this.#startHeartbeat();
			this.#resolveOpened(true);
		};
		channel.onclose = () => this.close('channel-closed');
		channel.onerror = () => this.close('channel-error');
		channel.onbufferedamountlow = () => this.#waiters.splice(0).forEach((w) => w());
		channel.onmessage = (event: MessageEvent) => {
			this.#heardAt = Date.now();
			if (typeof event.data === 'string') return; // heartbeat
			const bytes = new Uint8Array(event.data as ArrayBuffer);
			if (this.#onMessage) this.#onMessage(bytes);
			else this.#inbox.push(bytes);
		};
	}

	#startHeartbeat(): void {
		const every = this.#options.heartbeatMs ?? 1000;
		const deadAfter = this.#options.deadAfterMs ?? 4000;
		const timer = setInterval(() => {
			if (this.#closeReason !== null) return clearInterval(timer);
			if (Date.now() - this.#heardAt > deadAfter) return this.close('heartbeat-timeout');
			try {
				if (this.#channel.readyState === 'open') this.#channel.send('ping');
			} catch {
				this.close('channel-error');
			}
		}, every);
		this.#timers.push(timer as unknown as ReturnType<typeof setTimeout>);
		const connectTimeout = this.#timers.shift();
		if (connectTimeout) clearTimeout(connectTimeout);
	}
}

function toDescription(description: RTCSessionDescription | null): SignalMessage['description'] {
	if (!description) throw new Error('no local description');
	return { type: description.type, sdp: description.sdp };
}
