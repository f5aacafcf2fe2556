// The sync wire format. Every message starts with the protocol version (major, minor) and its
// type; every doc-carrying item names its doc. Guarantees: decoding never trusts a length or a
// count beyond the limits; a doc id that is not one this app knows, a truncated body or trailing
// junk is 'malformed-message'; an unknown type is 'unknown-message'; a newer major version is
// 'newer-version' and is never read further (the app says "update the app" instead of misreading).
// A newer minor version may append fields at the end of a body: they are ignored.
import type { Envelope } from '../crypto/envelope';
import { parseDocId, type DocId } from '../domain/ids';
import { ByteReader, ByteWriter, CodecError, LimitError } from './codec';
import type { SyncLimits } from './limits';

/** The protocol this app speaks; a peer with another major version cannot be understood. */
export const PROTOCOL_VERSION = { major: 1, minor: 1 } as const;

/** What the receiver of an offer already holds of a doc, so the sender knows what to send. */
export type Holding =
	| { have: 'none' } // no entry and no data: send the stored bytes as they are
	| { have: 'sv'; stateVector: Envelope } // readable here: send what this (sealed) state vector lacks
	| { have: 'sealed' } // stored here but not readable without the clinical key: send everything
	| { have: 'erased' }; // tombstoned here: send nothing, ever

/** What became of a doc the receiver was sent. */
export type AckStatus = 'stored' | 'erased' | 'deferred' | 'rejected';

/** A sync message, as the protocol layer sees it. */
export type SyncMessage =
	| { type: 'hello'; deviceId: string; nonce: Uint8Array }
	| { type: 'proof'; mac: Uint8Array }
	| { type: 'tombstones'; items: Array<{ docId: DocId; proof: Envelope }> }
	| { type: 'offer'; batch: number; docIds: DocId[] }
	| { type: 'want'; batch: number; items: Array<{ docId: DocId } & Holding> }
	| { type: 'doc'; batch: number; docId: DocId; index: number; count: number; chunk: Uint8Array }
	| { type: 'ack'; batch: number; items: Array<{ docId: DocId; status: AckStatus }> }
	| { type: 'rescan' }
	// The salon's keyring, sealed under the salon key (so new staff and changed passphrases travel).
	| { type: 'keyring'; sealed: Envelope }
	// "I am about to offer you this many docs (of them this many cards)"; zero: "you have everything".
	| { type: 'pending'; docs: number; cards: number }
	// Which card this device has open, sealed under the salon key.
	| { type: 'presence'; sealed: Envelope }
	// A live edit for a doc the peer already holds up to its checkpoint: the new updates only, with
	// no offer and want before it (one message; acknowledged like a doc, 'deferred' if not held).
	| { type: 'push'; batch: number; docId: DocId; chunk: Uint8Array };

/** The result of decoding: a message, or why it was refused. */
export type Decoded =
	| { ok: true; message: SyncMessage; minor: number }
	| { ok: false; reason: 'malformed-message' | 'batch-too-large' | 'unknown-message' | 'newer-version' | 'older-version'; detail: string };

const TYPES = ['hello', 'proof', 'tombstones', 'offer', 'want', 'doc', 'ack', 'rescan', 'keyring', 'pending', 'presence', 'push'] as const;
const HAVES = ['none', 'sv', 'sealed', 'erased'] as const;
const STATUSES: readonly AckStatus[] = ['stored', 'erased', 'deferred', 'rejected'];
const MAX_ID_BYTES = 128;
const MAX_STATE_VECTOR_BYTES = 1024 * 1024;
const MAX_SMALL_BYTES = 4096;
const MAX_KEYRING_BYTES = 256 * 1024;
const MAX_PENDING = 10_000_000;

/** Writes an envelope's three fields. */
export function writeEnvelope(w: ByteWriter, env: Envelope): ByteWriter {
	return w.string(env.keyId).bytes(env.iv).bytes(env.ciphertext);
}

/** Reads an envelope of at most `maxBytes` ciphertext. */
export function readEnvelope(r: ByteReader, maxBytes: number): Envelope {
	return { keyId: r.string(MAX_ID_BYTES), iv: r.bytes(64), ciphertext: r.bytes(maxBytes) };
}

/** Reads a doc id, refusing any id this app does not know how to store. */
export function readDocId(r: ByteReader): DocId {
	const id = r.string(MAX_ID_BYTES);
	try {
		parseDocId(id);
	} catch {
		throw new CodecError('unknown doc id');
	}
	return id as DocId;
}

/** Encodes a message with this app's protocol version. */
export function encodeMessage(m: SyncMessage): Uint8Array {
	const capacity = m.type === 'doc' || m.type === 'push' ? m.chunk.byteLength + 256 : 256;
	const w = new ByteWriter(capacity).u8(PROTOCOL_VERSION.major).u8(PROTOCOL_VERSION.minor).u8(TYPES.indexOf(m.type));
	switch (m.type) {
		case 'hello':
			return w.string(m.deviceId).bytes(m.nonce).finish();
		case 'proof':
			return w.bytes(m.mac).finish();
		case 'tombstones':
			w.uint(m.items.length);
			for (const t of m.items) writeEnvelope(w.string(t.docId), t.proof);
			return w.finish();
		case 'offer':
			w.uint(m.batch).uint(m.docIds.length);
			for (const id of m.docIds) w.string(id);
			return w.finish();
		case 'want':
			w.uint(m.batch).uint(m.items.length);
			for (const item of m.items) {
				w.string(item.docId).u8(HAVES.indexOf(item.have));
				if (item.have === 'sv') writeEnvelope(w, item.stateVector);
			}
			return w.finish();
		case 'doc':
			return w.uint(m.batch).string(m.docId).uint(m.index).uint(m.count).bytes(m.chunk).finish();
		case 'ack':
			w.uint(m.batch).uint(m.items.length);
			for (const item of m.items) w.string(item.docId).u8(STATUSES.indexOf(item.status));
			return w.finish();
		case 'rescan':
			return w.finish();
		case 'keyring':
		case 'presence':
			return writeEnvelope(w, m.sealed).finish();
		case 'pending':
			return w.uint(m.docs).uint(m.cards).finish();
		case 'push':
			return w.uint(m.batch).string(m.docId).bytes(m.chunk).finish();
	}
}

/** Decodes a message, refusing anything beyond `limits` or not of this protocol. */
export function decodeMessage(bytes: Uint8Array, limits: SyncLimits): Decoded {
	const r = new ByteReader(bytes);
	try {
		const major = r.u8();
		const minor = r.u8();
		if (major > PROTOCOL_VERSION.major) return { ok: false, reason: 'newer-version', detail: `${major}.${minor}` };
		if (major < PROTOCOL_VERSION.major) return { ok: false, reason: 'older-version', detail: `${major}.${minor}` };
		const typeCode = r.u8();
		const type = TYPES[typeCode];
		if (!type) return { ok: false, reason: 'unknown-message', detail: `type ${typeCode}` };
		const message = readBody(type, r, limits);
		// Trailing bytes are a newer minor version's fields; in our own minor they are junk.
		if (minor <= PROTOCOL_VERSION.minor && r.remaining > 0) throw new CodecError('trailing bytes');
		return { ok: true, message, minor };
	} catch (e) {
		if (e instanceof LimitError) return { ok: false, reason: 'batch-too-large', detail: e.message };
		return { ok: false, reason: 'malformed-message', detail: e instanceof CodecError ? e.message : String(e) };
	}
}

function readCount(r: ByteReader, limits: SyncLimits): number {
	const count = r.uint();
	if (count > limits.maxBatch) throw new LimitError(`batch of ${count} above ${limits.maxBatch}`);
	return count;
}

function readBody(type: (typeof TYPES)[number], r: ByteReader, limits: SyncLimits): SyncMessage {
	switch (type) {
		case 'hello':
			return { type, deviceId: r.string(MAX_ID_BYTES), nonce: r.bytes(64) };
		case 'proof':
			return { type, mac: r.bytes(64) };
		case 'tombstones': {
			const count = readCount(r, limits);
			const items = Array.from({ length: count }, () => ({ docId: readDocId(r), proof: readEnvelope(r, MAX_SMALL_BYTES) }));
			return { type, items };
		}
		case 'offer': {
			const batch = r.uint();
			const count = readCount(r, limits);
			return { type, batch, docIds: Array.from({ length: count }, () => readDocId(r)) };
		}
		case 'want': {
			const batch = r.uint();
			const count = readCount(r, limits);
			const items = Array.from({ length: count }, () => readHolding(r));
			return { type, batch, items };
		}
		case 'doc': {
			const batch = r.uint();
			const docId = readDocId(r);
			const maxCount = Math.ceil(limits.maxDocBytes / 1024);
			const index = r.uint(maxCount);
			const count = r.uint(maxCount);
			if (count === 0 || index >= count) throw new CodecError(`part ${index} of ${count}`);
			// A view: the chunk is nearly all of the message, and is only decoded, never kept.
			return { type, batch, docId, index, count, chunk: r.bytesView(limits.maxMessageBytes) };
		}
		case 'ack': {
			const batch = r.uint();
			const count = readCount(r, limits);
			const items = Array.from({ length: count }, () => {
				const docId = readDocId(r);
				const status = STATUSES[r.u8()];
				if (!status) throw new CodecError('unknown ack status');
				return { docId, status };
			});
			return { type, batch, items };
		}
		case 'rescan':
			return { type };
		case 'keyring':
			return { type, sealed: readEnvelope(r, MAX_KEYRING_BYTES) };
		case 'presence':
			return { type, sealed: readEnvelope(r, MAX_SMALL_BYTES) };
		case 'pending': {
			const docs = r.uint(MAX_PENDING);
			const cards = r.uint(MAX_PENDING);
			if (cards > docs) throw new CodecError(`${cards} cards of ${docs} docs`);
			return { type, docs, cards };
		}
		case 'push':
			return { type, batch: r.uint(), docId: readDocId(r), chunk: r.bytesView(limits.maxMessageBytes) };
	}
}

function readHolding(r: ByteReader): { docId: DocId } & Holding {
	const docId = readDocId(r);
	const have = HAVES[r.u8()];
	if (!have) throw new CodecError('unknown holding');
	if (have === 'sv') return { docId, have, stateVector: readEnvelope(r, MAX_STATE_VECTOR_BYTES) };
	return { docId, have };
}
