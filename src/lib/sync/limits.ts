// What a peer may send, and how a dropped message is reported. Every limit here caps untrusted
// input (a peer holding only the sync secret can send anything); none of them refuses a large
// card: a doc bigger than one message travels as several messages (see peer-sync.ts).

/** Caps on what a peer may send; every sync component takes them, tests shrink them. */
export interface SyncLimits {
	/** Largest frame on the wire, header included; small enough for every browser's data channel. */
	maxFrameBytes: number;
	/** Largest reassembled message; a doc payload above it is split into several messages. */
	maxMessageBytes: number;
	/** Most docs named in one offer, want, ack or tombstone message. */
	maxBatch: number;
	/** Largest doc payload reassembled from its messages: a memory guard far above any card. */
	maxDocBytes: number;
	/** Bytes of partly received messages kept at once; beyond it the oldest is dropped. */
	maxBufferedBytes: number;
	/** How long a request (handshake, want, ack) may wait before the link counts as broken. */
	replyTimeoutMs: number;
	/**
	 * Paces this device's own sending: beyond this many bytes sent and not yet acknowledged, no
	 * further batch is offered (one always may be), so a peer never queues more than about this.
	 */
	maxUnackedBytes: number;
}

/** The limits of a real salon: 16 KiB frames (DESIGN), 8 MiB messages, 200 docs per batch, 24 MiB unacknowledged. */
export const DEFAULT_LIMITS: SyncLimits = {
	maxFrameBytes: 16 * 1024,
	maxMessageBytes: 8 * 1024 * 1024,
	maxBatch: 200,
	maxDocBytes: 512 * 1024 * 1024,
	maxBufferedBytes: 24 * 1024 * 1024,
	replyTimeoutMs: 30_000,
	maxUnackedBytes: 24 * 1024 * 1024
};

/** Why something a peer sent was dropped, or why a link was closed. */
export type SyncDropReason =
	| 'malformed-frame'
	| 'frame-too-large'
	| 'message-too-large'
	| 'buffer-full'
	| 'malformed-message'
	| 'unknown-message'
	| 'newer-version'
	| 'older-version'
	| 'handshake-failed'
	| 'not-authenticated'
	| 'batch-too-large'
	| 'unsolicited'
	| 'forged'
	| 'invalid-update'
	| 'timeout';

/** One log line of the sync layer; `detail` never holds personal data (only ids and sizes). */
export interface SyncLogEntry {
	level: 'info' | 'warn';
	reason: SyncDropReason | 'stored' | 'deferred' | 'erased' | 'closed';
	peer?: string;
	docId?: string;
	detail?: string;
}

/** Receives the sync layer's log lines; injected so tests can assert on dropped messages. */
export type SyncLogger = (entry: SyncLogEntry) => void;

/** Drops everything: the default when nobody listens. */
export const silentLogger: SyncLogger = () => {};
