// What travels for one doc, and how the sending device builds it from stored bytes. A payload is
// the sender's registry entry (kind and wrapped data key, sealed under the salon or clinical key)
// plus 'update' envelopes under that data key, bound to the doc id: exactly the records kept at
// rest, so the sync secret alone opens nothing. An attestation (sync-crypto.ts) under the salon
// key covers the payload, so a device without the clinical key can still tell a salon device's
// clinical payload from a forgery. Guarantees of buildPayload: what it sends covers everything
// the receiver lacks (beyond that, only what the lag of the receiver's stored state vector adds);
// it never builds a Y.Doc (it merges and diffs stored bytes); deletions always travel, because a
// diff carries the whole delete set; without the doc's root key it forwards its log unchanged.
import * as Y from 'yjs';
import { importDataKey, openEnvelope, sealEnvelope, type DataKey, type Envelope } from '../crypto/envelope';
import type { DocId, DocKind } from '../domain/ids';
import { nameDocKey, type DocStoreKeys } from '../storage/doc-keys';
import { readDocIdParts } from '../storage/erasure-rules';
import type { RegistryEntry, Storage, StoredDoc } from '../storage/storage';
import { ByteReader, ByteWriter, CodecError } from './codec';
import type { SyncLimits } from './limits';
import { readEnvelope, writeEnvelope, type Holding } from './protocol';
import { attestPayload } from './sync-crypto';

/** One doc as it travels: the sender's registry entry and updates sealed under its data key. */
export interface DocPayload {
	kind: DocKind;
	wrappedKey: Envelope;
	updates: Envelope[];
}

/** What the sender could make of a request for a doc. */
export type Built =
	| { status: 'payload'; bytes: Uint8Array }
	| { status: 'erased' } // tombstoned here: the receiver gets our tombstone instead
	| { status: 'empty' } // registered but holding no data: nothing to send
	| { status: 'unavailable' } // only a compacted snapshot this device cannot read: retry later
	| { status: 'whole' }; // asked for what follows a seq, but the peer has none of the doc: offer it whole

const KINDS: readonly DocKind[] = ['profile', 'clinical', 'salon'];

/** Encodes a payload; the attestation is made over exactly these bytes. */
export function encodePayload(p: DocPayload): Uint8Array {
	const size = [p.wrappedKey, ...p.updates].reduce((sum, e) => sum + e.iv.byteLength + e.ciphertext.byteLength + e.keyId.length + 16, 16);
	const w = new ByteWriter(size).u8(KINDS.indexOf(p.kind));
	writeEnvelope(w, p.wrappedKey).uint(p.updates.length);
	for (const u of p.updates) writeEnvelope(w, u);
	return w.finish(); // sized to fit: a view of (nearly) all of its buffer, never stored or cloned
}

/** Decodes a payload; throws CodecError on anything malformed. */
export function decodePayload(bytes: Uint8Array, limits: SyncLimits): DocPayload {
	const r = new ByteReader(bytes);
	const kind = KINDS[r.u8()];
	if (!kind) throw new CodecError('unknown doc kind');
	const wrappedKey = readEnvelope(r, 1024);
	const count = r.uint(Math.ceil(limits.maxDocBytes / 32));
	const updates: Envelope[] = [];
	for (let i = 0; i < count; i++) updates.push(readEnvelope(r, limits.maxDocBytes));
	if (r.remaining > 0) throw new CodecError('trailing bytes');
	return { kind, wrappedKey, updates };
}

/** Joins a payload and its attestation into what the doc messages carry. */
export function encodeSealedPayload(payload: Uint8Array, attestation: Envelope): Uint8Array {
	return writeEnvelope(new ByteWriter(payload.byteLength + 256).bytes(payload), attestation).finish();
}

/** Splits what the doc messages carried into the payload bytes and the attestation. */
export function decodeSealedPayload(bytes: Uint8Array, limits: SyncLimits): { payload: Uint8Array; attestation: Envelope } {
	const r = new ByteReader(bytes);
	const payload = r.bytesView(limits.maxDocBytes); // only read (attestation, decoding), never kept
	const attestation = readEnvelope(r, 256);
	if (r.remaining > 0) throw new CodecError('trailing bytes');
	return { payload, attestation };
}

/** The root key that wraps `docId`'s data key, or null when it is not in memory (no clinical key). */
export function findWrappingKey(roots: DocStoreKeys, docId: DocId): DataKey | null {
	return readDocIdParts(docId).kind === 'clinical' ? roots.clinical : roots.salon;
}

/** Unwraps a data key from a (possibly received) wrapped key; throws 'decrypt-failed' on a forgery. */
export async function openDocKey(wrapping: DataKey, docId: DocId, wrappedKey: Envelope): Promise<DataKey> {
	const raw = await openEnvelope(wrapping, wrappedKey, { docId, kind: 'doc-key' });
	try {
		return await importDataKey(nameDocKey(docId), raw);
	} finally {
		raw.fill(0);
	}
}

// A state vector travels sealed under the root key (not the doc key, which may differ between
// devices), bound to the doc: it tells a sync-secret holder nothing, not even how much was edited.
/** Seals a state vector for a want message. */
export function sealStateVector(wrapping: DataKey, docId: DocId, stateVector: Uint8Array): Promise<Envelope> {
	return sealEnvelope(wrapping, stateVector, { docId, kind: 'state-vector' });
}

/** Opens every stored part of a doc, snapshot first, in log order. */
export function openStored(key: DataKey, docId: DocId, stored: StoredDoc): Promise<Uint8Array[]> {
	const snapshot = stored.snapshot ? [openEnvelope(key, stored.snapshot, { docId, kind: 'snapshot' })] : [];
	return Promise.all([...snapshot, ...stored.updates.map((u) => openEnvelope(key, u.update, { docId, kind: 'update' }))]);
}

/** What the sender knows the peer holds without asking: every update of this device up to `seq`. */
export type KnownHolding = { have: 'since'; seq: number };

/** Builds what a peer holding `holding` lacks of `docId`, sealed and attested. */
export async function buildPayload(storage: Storage, roots: DocStoreKeys, docId: DocId, holding: Holding | KnownHolding): Promise<Built> {
	const entry = await storage.getRegistryEntry(docId);
	if (entry?.tombstone) return { status: 'erased' };
	if (!entry?.wrappedKey) return { status: 'empty' };
	return buildPayloadFrom(roots, docId, entry, await storage.readDoc(docId), holding);
}

/** buildPayload from a registry entry and stored doc already read (the same read for a batch of docs). */
export async function buildPayloadFrom(
	roots: DocStoreKeys,
	docId: DocId,
	entry: RegistryEntry | undefined,
	stored: StoredDoc,
	holding: Holding | KnownHolding
): Promise<Built> {
	if (entry?.tombstone) return { status: 'erased' };
	if (!entry?.wrappedKey) return { status: 'empty' };
	if (!stored.snapshot && stored.updates.length === 0) return { status: 'empty' };
	const wrapping = findWrappingKey(roots, docId);
	let updates: Envelope[];
	if (holding.have === 'since' && (!stored.snapshot || stored.snapshotSeq <= holding.seq)) {
		// A live edit: the peer has every stored update up to `seq`, so the later ones are all it lacks.
		if (!stored.snapshot && stored.updates.every((u) => u.seq > holding.seq)) return { status: 'whole' };
		updates = stored.updates.filter((u) => u.seq > holding.seq).map((u) => u.update);
		if (updates.length === 0) return { status: 'empty' };
	} else if (!wrapping) {
		// Without the key this device forwards its log as it is; a snapshot it cannot re-seal stays.
		if (stored.snapshot) return { status: 'unavailable' };
		updates = stored.updates.map((u) => u.update);
	} else {
		const key = await openDocKey(wrapping, docId, entry.wrappedKey);
		updates = await sealWhatIsLacking(key, docId, stored, holding.have === 'since' ? null : await openHolding(wrapping, docId, holding));
	}
	const payload = encodePayload({ kind: entry.kind, wrappedKey: entry.wrappedKey, updates });
	return { status: 'payload', bytes: encodeSealedPayload(payload, await attestPayload(roots.salon, docId, payload)) };
}

// A state vector that does not open (or parse) counts as none: the peer then gets everything.
async function openHolding(wrapping: DataKey, docId: DocId, holding: Holding): Promise<Uint8Array | null> {
	if (holding.have !== 'sv') return null;
	try {
		const stateVector = await openEnvelope(wrapping, holding.stateVector, { docId, kind: 'state-vector' });
		Y.decodeStateVector(stateVector);
		return stateVector;
	} catch {
		return null;
	}
}

async function sealWhatIsLacking(key: DataKey, docId: DocId, stored: StoredDoc, stateVector: Uint8Array | null): Promise<Envelope[]> {
	const binding = { docId, kind: 'update' as const };
	if (stateVector) {
		const parts = await openStored(key, docId, stored);
		const merged = parts.length === 1 ? parts[0] : Y.mergeUpdates(parts);
		// diffUpdate keeps the whole delete set: a deletion travels even when the state vectors match.
		return [await sealEnvelope(key, Y.diffUpdate(merged, stateVector), binding)];
	}
	// A new device (or one that cannot read the doc) gets the stored bytes as they are; only a
	// snapshot is re-sealed, as an update, because an envelope's record kind is bound into it.
	const logged = stored.updates.map((u) => u.update);
	if (!stored.snapshot) return logged;
	const snapshot = await openEnvelope(key, stored.snapshot, { docId, kind: 'snapshot' });
	return [await sealEnvelope(key, snapshot, binding), ...logged];
}
