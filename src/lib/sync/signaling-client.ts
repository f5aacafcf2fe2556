// A client of the signaling relay (y-webrtc's wire protocol: JSON text with subscribe,
// unsubscribe, publish, ping over one WebSocket). Guarantees:
// - the topic and the payload key come from the sync secret (crypto/sync-signaling.ts): the relay
//   never learns the salon's name, and every payload it carries is AES-GCM ciphertext;
// - a payload that is not valid JSON, not base64, not sealed under this salon's key or not a JSON
//   object is dropped with a logged reason and never reaches a handler;
// - payloads reach handlers in the order the relay delivered them, and go out in the order
//   publish() was called (sealing is asynchronous; both directions run through a queue);
// - a lost connection is retried with exponential backoff (with jitter) until close(); a
//   connection that stops answering pings is cut and retried; re-subscribing happens on every
//   (re)connect and listeners hear `connected` so they can announce themselves again.
import { decodeBase64, deriveSignalingKey, deriveSignalingTopic, encodeBase64, openSignal, sealSignal, type SignalingPurpose } from '../crypto/sync-signaling';

/** Why the signaling client dropped something or changed state; detail never holds personal data. */
export interface SignalingLogEntry {
	level: 'info' | 'warn';
	reason: 'connected' | 'disconnected' | 'invalid-json' | 'invalid-message' | 'undecryptable' | 'malformed-payload' | 'relay-error' | 'ping-timeout';
	detail?: string;
}

/** The part of the browser's WebSocket this client uses (ws's WebSocket fits too). */
export interface SocketLike {
	readonly readyState: number;
	onopen: ((event: unknown) => void) | null;
	onclose: ((event: unknown) => void) | null;
	onerror: ((event: unknown) => void) | null;
	onmessage: ((event: { data: unknown }) => void) | null;
	send(text: string): void;
	close(code?: number, reason?: string): void;
}

/** How to reach the relay. */
export interface SignalingClientOptions {
	/** ws:// or wss:// address of the relay's signaling path. */
	url: string;
	syncSecret: Uint8Array;
	/** 'invite' derives the topic and key of a one-time invite instead of the salon's. */
	purpose?: SignalingPurpose;
	log?: (entry: SignalingLogEntry) => void;
	/** Opens a socket; defaults to the global WebSocket. */
	openSocket?: (url: string) => SocketLike;
	minBackoffMs?: number;
	maxBackoffMs?: number;
	/** Ping interval; a relay silent for two intervals counts as gone. */
	pingMs?: number;
}

const OPEN = 1;
/** A decoded signaling payload: any JSON object; callers validate its fields. */
export type SignalPayload = Record<string, unknown>;

/** One device's connection to the relay, on the salon's topic. */
export class SignalingClient {
	readonly topic: string;
	readonly #key: CryptoKey;
	readonly #options: Required<Omit<SignalingClientOptions, 'syncSecret' | 'purpose'>>;
	readonly #handlers = new Set<(payload: SignalPayload) => void>();
	readonly #statusHandlers = new Set<(isConnected: boolean) => void>();
	#socket: SocketLike | null = null;
	#attempts = 0;
	#retryTimer: ReturnType<typeof setTimeout> | null = null;
	#pingTimer: ReturnType<typeof setInterval> | null = null;
	#heardAt = 0;
	#isClosed = false;
	#inbound: Promise<void> = Promise.resolve();
	#outbound: Promise<unknown> = Promise.resolve();

	private constructor(topic: string, key: CryptoKey, options: SignalingClientOptions) {
		this.topic = topic;
		this.#key = key;
		this.#options = {
			url: options.url,
			log: options.log ?? (() => {}),
			openSocket: options.openSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike),
			minBackoffMs: options.minBackoffMs ?? 500,
			maxBackoffMs: options.maxBackoffMs ?? 30_000,
			pingMs: options.pingMs ?? 15_000
		};
	}

	/** Derives topic and key from the sync secret and starts connecting. */
	static async create(options: SignalingClientOptions): Promise<SignalingClient> {
		const purpose = options.purpose ?? 'sync';
		const [topic, key] = await Promise.all([deriveSignalingTopic(options.syncSecret, purpose), deriveSignalingKey(options.syncSecret, purpose)]);
		const client = new SignalingClient(topic, key, options);
		client.#connect();
		return client;
	}

	/** Whether the relay connection is open and subscribed. */
	get isConnected(): boolean {
		return this.#socket?.readyState === OPEN;
	}

	/** Adds a receiver of decrypted payloads (its own publishes included); returns its remover. */
	onPayload(handler: (payload: SignalPayload) => void): () => void {
		this.#handlers.add(handler);
		return () => this.#handlers.delete(handler);
	}

	/** Adds a receiver of connect / disconnect; returns its remover. */
	onStatus(handler: (isConnected: boolean) => void): () => void {
		this.#statusHandlers.add(handler);
		return () => this.#statusHandlers.delete(handler);
	}

	/** Seals and publishes one payload; resolves false if the relay is not reachable now. */
	publish(payload: SignalPayload): Promise<boolean> {
		const run = async (): Promise<boolean> => {
			const sealed = await sealSignal(this.#key, new TextEncoder().encode(JSON.stringify(payload)));
			const socket = this.#socket;
			if (this.#isClosed || !socket || socket.readyState !== OPEN) return false;
			socket.send(JSON.stringify({ type: 'publish', topic: this.topic, data: encodeBase64(sealed) }));
			return true;
		};
		const next = this.#outbound.then(run, run);
		this.#outbound = next.catch(() => undefined);
		return next;
	}

	/** Resolves once every payload published so far was sent (or found the relay gone). */
	flush(): Promise<void> {
		return this.#outbound.then(() => undefined);
	}

	/** Leaves the relay for good; no more reconnects. */
	close(): void {
		if (this.#isClosed) return;
		this.#isClosed = true;
		if (this.#retryTimer) clearTimeout(this.#retryTimer);
		this.#stopPing();
		const socket = this.#socket;
		this.#socket = null;
		if (socket) {
			socket.onclose = socket.onmessage = socket.onerror = socket.onopen = null;
			if (socket.readyState === OPEN) socket.send(JSON.stringify({ type: 'unsubscribe', topics: [this.topic] }));
			socket.close();
			this.#emitStatus(false);
		}
	}

	#connect(): void {
		if (this.#isClosed) return;
		let socket: SocketLike;
		try {
			socket = this.#options.openSocket(this.#options.url);
		} catch (error) {
			this.#options.log({ level: 'warn', reason: 'disconnected', detail: String(error) });
			this.#scheduleRetry();
			return;
		}
		this.#socket = socket;
		socket.onopen = () => {
			this.#attempts = 0;
			this.#heardAt = Date.now();
			socket.send(JSON.stringify({ type: 'subscribe', topics: [this.topic] }));
			this.#startPing(socket);
			this.#options.log({ level: 'info', reason: 'connected' });
			this.#emitStatus(true);
		};
		socket.onmessage = (event) => {
			this.#heardAt = Date.now();
			const data = event.data;
			this.#inbound = this.#inbound.then(() => this.#receive(data)).catch(() => undefined);
		};
		socket.onerror = () => {}; // the close that follows is what counts
		socket.onclose = () => {
			if (this.#socket !== socket) return;
			const wasOpen = this.#pingTimer !== null;
			this.#stopPing();
			this.#socket = null;
			this.#options.log({ level: 'info', reason: 'disconnected' });
			if (wasOpen) this.#emitStatus(false);
			this.#scheduleRetry();
		};
	}

	#scheduleRetry(): void {
		if (this.#isClosed || this.#retryTimer) return;
		const { minBackoffMs, maxBackoffMs } = this.#options;
		const base = Math.min(maxBackoffMs, minBackoffMs * 2 ** this.#attempts);
		this.#attempts += 1;
		// Jitter keeps a salon's devices from all hitting a restarted relay in the same instant.
		const delay = base / 2 + Math.random() * (base / 2);
		this.#retryTimer = setTimeout(() => {
			this.#retryTimer = null;
			this.#connect();
		}, delay);
	}

	#startPing(socket: SocketLike): void {
		this.#stopPing();
		const { pingMs } = this.#options;
		this.#pingTimer = setInterval(() => {
			if (Date.now() - this.#heardAt > 2 * pingMs) {
				this.#options.log({ level: 'warn', reason: 'ping-timeout' });
				socket.close();
				socket.onclose?.({}); // a half-open socket may never fire close by itself
				return;
			}
			if (socket.readyState === OPEN) socket.send(JSON.stringify({ type: 'ping' }));
		}, pingMs);
	}

	#stopPing(): void {
		if (this.#pingTimer) clearInterval(this.#pingTimer);
		this.#pingTimer = null;
	}

	#emitStatus(isConnected: boolean): void {
		for (const handler of [...this.#statusHandlers]) {
			try {
				handler(isConnected);
			} catch {
				// a listener's bug must not stop the others or the client
			}
		}
	}

	async #receive(data: unknown): Promise<void> {
		const log = this.#options.log;
		if (typeof data !== 'string') return log({ level: 'warn', reason: 'invalid-message', detail: 'not text' });
		let message: unknown;
		try {
			message = JSON.parse(data);
		} catch {
			return log({ level: 'warn', reason: 'invalid-json' });
		}
		if (!isObject(message)) return log({ level: 'warn', reason: 'invalid-message' });
		if (message.type === 'pong') return;
		if (message.type === 'error') return log({ level: 'warn', reason: 'relay-error', detail: String(message.reason).slice(0, 40) });
		if (message.type !== 'publish' || message.topic !== this.topic) return;
		if (typeof message.data !== 'string') return log({ level: 'warn', reason: 'invalid-message', detail: 'no data' });
		const sealed = decodeBase64(message.data);
		const opened = sealed && (await openSignal(this.#key, sealed));
		if (!opened) return log({ level: 'warn', reason: 'undecryptable' });
		let payload: unknown;
		try {
			payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(opened));
		} catch {
			return log({ level: 'warn', reason: 'malformed-payload' });
		}
		if (!isObject(payload)) return log({ level: 'warn', reason: 'malformed-payload' });
		for (const handler of [...this.#handlers]) {
			try {
				handler(payload);
			} catch {
				// one handler's bug must not hide the payload from the others
			}
		}
	}
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
