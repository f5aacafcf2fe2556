// A link to one peer, and its in-memory implementation for tests. LoopbackTransport guarantees:
// bytes arrive as sent (copies, so neither side can change the other's buffer), asynchronously and
// in order unless a fault is switched on; after close nothing more is delivered and each end hears
// onClose exactly once. Faults (drop, delay, reorder, duplicate, disconnect) are test hooks: a
// WebRTC data channel is reliable and ordered, but the layers above must not depend on it.

/** A link to one peer; frames go out and come in as opaque bytes. */
export interface Transport {
	/** Queues one frame; ignored once the link is closed. */
	send(bytes: Uint8Array): void;
	/** Resolves when the send buffer is low enough to queue more (backpressure). */
	whenWritable(): Promise<void>;
	/** Sets the receiver of incoming frames; frames that came earlier are delivered to it. */
	onMessage(handler: (bytes: Uint8Array) => void): void;
	/** Sets the receiver of the close event; called once, on either side's close. */
	onClose(handler: (reason: string) => void): void;
	/** Closes the link for both sides. */
	close(reason?: string): void;
	/** Whether frames can still be sent. */
	readonly isOpen: boolean;
}

/** Faults a loopback link applies to every frame from now on. */
export interface LinkFaults {
	/** Chance that a frame is lost. */
	dropRate: number;
	/** Chance that a frame arrives twice. */
	duplicateRate: number;
	/** When on, every delivery round hands the queued frames over in a shuffled order. */
	reorder: boolean;
	/** Milliseconds a frame waits before delivery. */
	delayMs: number;
}

/** Controls a loopback link: faults, disconnects and counters. */
export interface LoopbackLink {
	faults: LinkFaults;
	/** Frames and bytes each side has sent so far. */
	readonly sent: { a: number; b: number; bytesA: number; bytesB: number };
	/** Sees every frame as it is sent, before any fault: lets a test look at what travels. */
	tap: ((from: 'a' | 'b', bytes: Uint8Array) => void) | null;
	/** Drops the next `count` frames, whichever side sends them. */
	dropNext(count: number): void;
	/** Cuts the link; both ends hear onClose. */
	disconnect(): void;
	/** Whether frames are still queued on either side. */
	readonly isBusy: boolean;
	/** Whether the link was cut or closed by either side. */
	readonly isClosed: boolean;
}

const HIGH_WATER = 1024 * 1024;
const schedule: (fn: () => void, ms: number) => void = (fn, ms) =>
	ms <= 0 && typeof setImmediate === 'function' ? void setImmediate(fn) : void setTimeout(fn, ms);

/** One end of an in-memory link. */
export class LoopbackTransport implements Transport {
	#peer: LoopbackTransport | null = null;
	#onMessage: ((bytes: Uint8Array) => void) | null = null;
	#onClose: ((reason: string) => void) | null = null;
	#inbox: Uint8Array[] = [];
	#outgoing: Uint8Array[] = [];
	#buffered = 0;
	#waiters: Array<() => void> = [];
	#isOpen = true;
	#isFlushScheduled = false;
	#closeReason: string | null = null;

	constructor(
		readonly side: 'a' | 'b',
		private readonly shared: { link: LoopbackLinkState; random: () => number }
	) {}

	/** Connects two ends; done by createLoopbackPair. */
	pairWith(peer: LoopbackTransport): void {
		this.#peer = peer;
	}

	get isOpen(): boolean {
		return this.#isOpen;
	}

	get hasQueued(): boolean {
		return this.#outgoing.length > 0 || this.#inbox.length > 0;
	}

	send(bytes: Uint8Array): void {
		if (!this.#isOpen) return;
		const link = this.shared.link;
		const copy = bytes.slice();
		link.tap?.(this.side, copy);
		link.count(this.side, copy.byteLength);
		if (link.dropCount > 0) {
			link.dropCount -= 1;
			return;
		}
		const { dropRate, duplicateRate } = link.faults;
		if (dropRate > 0 && this.shared.random() < dropRate) return;
		this.#enqueue(copy);
		if (duplicateRate > 0 && this.shared.random() < duplicateRate) this.#enqueue(copy.slice());
	}

	whenWritable(): Promise<void> {
		if (this.#buffered < HIGH_WATER || !this.#isOpen) return Promise.resolve();
		return new Promise((resolve) => this.#waiters.push(resolve));
	}

	onMessage(handler: (bytes: Uint8Array) => void): void {
		this.#onMessage = handler;
		if (this.#inbox.length) schedule(() => this.#drainInbox(), 0);
	}

	onClose(handler: (reason: string) => void): void {
		this.#onClose = handler;
		if (this.#closeReason !== null) schedule(() => handler(this.#closeReason!), 0);
	}

	close(reason = 'closed'): void {
		this.#shutDown(reason);
		if (this.#peer) this.#peer.#shutDown(reason);
	}

	#shutDown(reason: string): void {
		if (!this.#isOpen) return;
		this.#isOpen = false;
		this.#closeReason = reason;
		this.#outgoing = [];
		this.#inbox = [];
		this.#buffered = 0;
		this.#waiters.splice(0).forEach((w) => w());
		const handler = this.#onClose;
		if (handler) schedule(() => handler(reason), 0);
	}

	#enqueue(bytes: Uint8Array): void {
		this.#outgoing.push(bytes);
		this.#buffered += bytes.byteLength;
		if (this.#isFlushScheduled) return;
		this.#isFlushScheduled = true;
		schedule(() => this.#flush(), this.shared.link.faults.delayMs);
	}

	#flush(): void {
		this.#isFlushScheduled = false;
		const frames = this.#outgoing.splice(0);
		if (this.shared.link.faults.reorder) shuffle(frames, this.shared.random);
		this.#buffered = 0;
		this.#waiters.splice(0).forEach((w) => w());
		const peer = this.#peer;
		if (!this.#isOpen || !peer) return;
		peer.#inbox.push(...frames);
		peer.#drainInbox();
	}

	#drainInbox(): void {
		while (this.#isOpen && this.#onMessage && this.#inbox.length) this.#onMessage(this.#inbox.shift()!);
	}
}

interface LoopbackLinkState extends LoopbackLink {
	dropCount: number;
	count(side: 'a' | 'b', bytes: number): void;
}

function shuffle<T>(items: T[], random: () => number): void {
	for (let i = items.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[items[i], items[j]] = [items[j], items[i]];
	}
}

/** Creates two connected loopback ends and the link that controls them. */
export function createLoopbackPair(random: () => number = Math.random): {
	a: LoopbackTransport;
	b: LoopbackTransport;
	link: LoopbackLink;
} {
	const ends: LoopbackTransport[] = [];
	const link: LoopbackLinkState = {
		faults: { dropRate: 0, duplicateRate: 0, reorder: false, delayMs: 0 },
		sent: { a: 0, b: 0, bytesA: 0, bytesB: 0 },
		tap: null,
		dropCount: 0,
		count(side, bytes) {
			if (side === 'a') (this.sent.a += 1), (this.sent.bytesA += bytes);
			else (this.sent.b += 1), (this.sent.bytesB += bytes);
		},
		dropNext(count) {
			this.dropCount += count;
		},
		disconnect() {
			ends[0].close('disconnected');
		},
		get isBusy() {
			return ends.some((e) => e.hasQueued);
		},
		get isClosed() {
			return ends.some((e) => !e.isOpen);
		}
	};
	const shared = { link, random };
	const a = new LoopbackTransport('a', shared);
	const b = new LoopbackTransport('b', shared);
	a.pairWith(b);
	b.pairWith(a);
	ends.push(a, b);
	return { a, b, link };
}
