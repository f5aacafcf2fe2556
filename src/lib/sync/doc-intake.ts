// Checking and storing one doc received from a peer. Guarantees:
// - nothing is stored unless the payload's attestation verifies under this salon's key (a peer
//   holding only the sync secret cannot make one) and, where this device holds the doc's root key,
//   every update also opens under the sender's data key and parses as a Yjs update;
// - an erased doc id is never stored again (Storage refuses it too);
// - a doc this device can read is merged through DocStore: only what is new is appended, sealed
//   under this device's own data key, so a copy that adds nothing changes nothing (which is what
//   ends forwarding) and two devices that created the same doc with different keys still merge;
// - a doc new to this device is stored as received: the sender's registry entry is adopted and its
//   envelopes appended unchanged (a new device gets stored bytes as they are);
// - without the clinical key a clinical doc is stored as received only when its envelopes are
//   under the same data key as what is stored here (same registry entry, or none yet); otherwise it
//   is 'deferred' and the sender keeps offering it until this device can read it.
import * as Y from 'yjs';
import { openEnvelope, type Envelope } from '../crypto/envelope';
import { isAppError } from '../domain/errors';
import type { DocId } from '../domain/ids';
import type { DocStore } from '../storage/doc-store';
import type { DocStoreKeys } from '../storage/doc-keys';
import { readDocIdParts } from '../storage/erasure-rules';
import type { RegistryEntry, Storage } from '../storage/storage';
import { CodecError } from './codec';
import { decodePayload, decodeSealedPayload, findWrappingKey, openDocKey, type DocPayload } from './doc-payload';
import type { SyncDropReason, SyncLimits } from './limits';
import type { AckStatus } from './protocol';
import { isEqualBytes, verifyAttestation } from './sync-crypto';

/** What storing a received doc came to: the ack to send, the change-log seqs it made, why not. */
export interface Intake {
	status: AckStatus;
	seqs: number[];
	reason?: SyncDropReason;
	detail?: string;
}

/** Where received docs go. */
export interface IntakeTarget {
	storage: Storage;
	store: DocStore;
	roots: DocStoreKeys;
	limits: SyncLimits;
}

const refuse = (reason: SyncDropReason, detail: string): Intake => ({ status: 'rejected', seqs: [], reason, detail });

/**
 * Checks a received doc and stores what it adds. `onlyIfHeld` (a pushed live edit, which carries
 * only the newest updates): a doc this device does not hold yet is 'deferred', never adopted from
 * a partial copy; the sender then offers it whole.
 */
export async function storeReceivedDoc(target: IntakeTarget, docId: DocId, bytes: Uint8Array, onlyIfHeld = false): Promise<Intake> {
	const { storage, roots, limits } = target;
	try {
		const here = await storage.getRegistryEntry(docId);
		if (here?.tombstone) return { status: 'erased', seqs: [] };
		if (onlyIfHeld && !here) return { status: 'deferred', seqs: [], detail: 'pushed doc not held here' };
		let sealed, payload: DocPayload;
		try {
			sealed = decodeSealedPayload(bytes, limits);
			payload = decodePayload(sealed.payload, limits);
		} catch (e) {
			return refuse('malformed-message', e instanceof CodecError ? e.message : String(e));
		}
		if (!(await verifyAttestation(roots.salon, docId, sealed.payload, sealed.attestation))) {
			return refuse('forged', 'attestation does not verify under the salon key');
		}
		if (payload.kind !== readDocIdParts(docId).kind) return refuse('malformed-message', 'kind does not match the doc id');
		return findWrappingKey(roots, docId)
			? await storeReadable(target, docId, payload, here)
			: await storeSealed(storage, docId, payload, here);
	} catch (e) {
		if (isAppError(e, 'tombstoned')) return { status: 'erased', seqs: [] };
		if (isAppError(e, 'locked')) return { status: 'deferred', seqs: [], detail: 'locked meanwhile' };
		if (isAppError(e, 'decrypt-failed')) return refuse('forged', e.message);
		if (isAppError(e, 'invalid-update')) return refuse('invalid-update', e.message);
		// Storage failures (quota): not stored, so the sender keeps it and tries again later.
		return { status: 'deferred', seqs: [], detail: String(e) };
	}
}

async function storeReadable(target: IntakeTarget, docId: DocId, payload: DocPayload, here: RegistryEntry | undefined): Promise<Intake> {
	const { storage, store, roots } = target;
	const key = await openDocKey(findWrappingKey(roots, docId)!, docId, payload.wrappedKey);
	const parts = await Promise.all(payload.updates.map((u) => openEnvelope(key, u, { docId, kind: 'update' })));
	try {
		for (const part of parts) Y.parseUpdateMeta(part);
	} catch (e) {
		return refuse('invalid-update', String(e));
	}
	if (parts.length === 0) return { status: 'stored', seqs: [] };
	if (!here) {
		if (await hasData(storage, docId)) return refuse('invalid-update', 'data without a registry entry');
		return adopt(storage, docId, payload, payload.updates);
	}
	const update = parts.length === 1 ? parts[0] : Y.mergeUpdates(parts);
	const doc = await store.load(docId);
	try {
		const news: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => news.push(u));
		Y.applyUpdate(doc, update);
		// Parts waiting for an update this device lacks would be lost with the Y.Doc: keep them all.
		const isWaiting = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
		if (isWaiting) return { status: 'stored', seqs: [await store.append(docId, update)] };
		if (news.length === 0) return { status: 'stored', seqs: [] };
		return { status: 'stored', seqs: [await store.append(docId, news.length === 1 ? news[0] : Y.mergeUpdates(news))] };
	} finally {
		doc.destroy();
	}
}

async function storeSealed(storage: Storage, docId: DocId, payload: DocPayload, here: RegistryEntry | undefined): Promise<Intake> {
	if (!here) {
		if (await hasData(storage, docId)) return { status: 'deferred', seqs: [], detail: 'data without a registry entry' };
		return adopt(storage, docId, payload, payload.updates);
	}
	if (!here.wrappedKey || !isSameEnvelope(here.wrappedKey, payload.wrappedKey)) {
		return { status: 'deferred', seqs: [], detail: 'another data key; needs the clinical key to merge' };
	}
	// Unreadable here, so only byte-identical copies can be recognised and skipped.
	const stored = await storage.readDoc(docId);
	const known = stored.updates.map((u) => u.update.ciphertext);
	const seqs: number[] = [];
	for (const u of payload.updates) {
		if (known.some((k) => isEqualBytes(k, u.ciphertext))) continue;
		seqs.push(await storage.appendUpdate(docId, u));
		known.push(u.ciphertext);
	}
	return { status: 'stored', seqs };
}

// The entry goes first: a crash before the updates leaves an entry the next copy merges into.
async function adopt(storage: Storage, docId: DocId, payload: DocPayload, updates: Envelope[]): Promise<Intake> {
	await storage.putRegistryEntry({ docId, kind: payload.kind, wrappedKey: payload.wrappedKey, tombstone: false });
	const seqs: number[] = [];
	for (const u of updates) seqs.push(await storage.appendUpdate(docId, u));
	return { status: 'stored', seqs };
}

async function hasData(storage: Storage, docId: DocId): Promise<boolean> {
	const stored = await storage.readDoc(docId);
	return stored.snapshot !== null || stored.updates.length > 0;
}

function isSameEnvelope(a: Envelope, b: Envelope): boolean {
	return a.keyId === b.keyId && isEqualBytes(a.iv, b.iv) && isEqualBytes(a.ciphertext, b.ciphertext);
}
