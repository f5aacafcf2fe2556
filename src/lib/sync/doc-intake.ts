// Checking and storing docs received from peers. Guarantees:
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
//   is 'deferred' and the sender keeps offering it until this device can read it;
// - many docs at once (a first sync) cost one registry read and one write for those new here.
import * as Y from 'yjs';
import { openEnvelope, sealEnvelope, type DataKey, type Envelope } from '../crypto/envelope';
import { isAppError } from '../domain/errors';
import type { DocId } from '../domain/ids';
import type { DocStore } from '../storage/doc-store';
import type { DocStoreKeys } from '../storage/doc-keys';
import { readDocIdParts } from '../storage/erasure-rules';
import type { Adoption, RegistryEntry, Storage } from '../storage/storage';
import { CodecError } from './codec';
import { decodePayload, decodeSealedPayload, findWrappingKey, openDocKey, type DocPayload } from './doc-payload';
import type { SyncDropReason, SyncLimits } from './limits';
import type { AckStatus } from './protocol';
import { isEqualBytes, verifyAttestation } from './sync-crypto';

/** What storing a received doc came to: the ack to send, the change-log seqs it made, why not. */
export interface Intake {
	status: AckStatus;
	seqs: number[];
	/** The doc was new here and was stored as received: every update of it is the sender's. */
	isAdopted?: boolean;
	/** An adopted doc this device can read, built while it was checked (no need to read it back). */
	doc?: Y.Doc;
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

/** One received doc: its id, the bytes its doc (or push) messages carried, and whether it was pushed. */
export interface Received {
	docId: DocId;
	bytes: Uint8Array;
	/**
	 * A pushed live edit, which carries only the newest updates: a doc this device does not hold
	 * yet is 'deferred', never adopted from a partial copy; the sender then offers it whole.
	 */
	onlyIfHeld?: boolean;
}

/** A received doc that passed every check and still has to be stored. */
export interface Checked {
	docId: DocId;
	payload: DocPayload;
	here: RegistryEntry | undefined;
	/**
	 * Readable here: the opened updates, the sender's data key and, for a doc new here, the doc
	 * built from them; null when sealed to this device.
	 */
	opened: { parts: Uint8Array[]; key: DataKey; doc: Y.Doc | null; stateVector?: Envelope } | null;
}

// Received docs are stored in two halves, checkReceivedDocs then storeCheckedDocs, one Intake per
// doc, in order. The checks run in parallel; docs new to this device are adopted together (one
// registry read, one write); docs held here are merged one at a time, in order. A doc id may
// repeat (two peers' copies of a new doc): the first copy is adopted, later ones merged into it.

/**
 * The first half: every check, none of which needs what is stored meanwhile (a doc found new here
 * that an earlier batch adopted is merged instead), so it may run while an earlier batch is being
 * stored. Never rejects.
 */
export async function checkReceivedDocs(target: IntakeTarget, received: Received[]): Promise<Array<Intake | Checked>> {
	let entries: Array<RegistryEntry | undefined>;
	try {
		entries = await target.storage.getRegistryEntries(received.map((r) => r.docId));
	} catch (e) {
		return received.map(() => explainFailure(e));
	}
	return Promise.all(received.map((r, i) => check(target, r, entries[i]).catch(explainFailure)));
}

/**
 * The second half: stores what checkReceivedDocs passed. Never rejects.
 * `onStored` hears each doc that stored something as soon as its storage call returned, before
 * anything else can run, so a caller can record where those seqs came from before a sender that
 * reads the change log sees them.
 */
export async function storeCheckedDocs(
	target: IntakeTarget,
	checked: Array<Intake | Checked>,
	onStored: (index: number, intake: Intake) => void = () => {}
): Promise<Intake[]> {
	const results = [...checked];
	const fresh = results.flatMap((r, i) => (isChecked(r) && !r.here ? [i] : []));
	if (fresh.length) {
		let adoptions: Adoption[] | null = null;
		try {
			const docs = fresh.map((i) => {
				const { docId, payload, opened } = results[i] as Checked;
				const entry = { docId, kind: payload.kind, wrappedKey: payload.wrappedKey, tombstone: false };
				return { entry, updates: payload.updates, stateVector: opened?.stateVector };
			});
			adoptions = await target.storage.adoptDocs(docs);
		} catch (e) {
			for (const i of fresh) results[i] = explainFailure(e);
		}
		adoptions?.forEach((adoption, j) => {
			const settled = settleAdoption(target, results[fresh[j]] as Checked, adoption);
			results[fresh[j]] = settled;
			if (!isChecked(settled) && settled.seqs.length) onStored(fresh[j], settled);
		});
	}
	// Held here (or registered meanwhile): merged one at a time, each as it always was.
	for (const [i, r] of results.entries()) {
		if (!isChecked(r)) continue;
		try {
			const here = r.here ?? (await target.storage.getRegistryEntry(r.docId));
			const merged = r.opened ? await mergeReadable(target, r.docId, r.opened.parts) : await mergeSealed(target.storage, r.docId, r.payload, here);
			results[i] = merged;
			if (merged.seqs.length) onStored(i, merged);
		} catch (e) {
			results[i] = explainFailure(e);
		}
	}
	return results as Intake[];
}

const isChecked = (r: Intake | Checked): r is Checked => 'payload' in r;

// Everything that does not need the doc's stored data: shape, attestation, kind, and (readable
// here) that every update opens under the sender's data key and parses as a Yjs update.
async function check(target: IntakeTarget, received: Received, here: RegistryEntry | undefined): Promise<Intake | Checked> {
	const { roots, limits } = target;
	const { docId, bytes, onlyIfHeld } = received;
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
	const wrapping = findWrappingKey(roots, docId);
	if (!wrapping) {
		if (here && (!here.wrappedKey || !isSameEnvelope(here.wrappedKey, payload.wrappedKey))) {
			return { status: 'deferred', seqs: [], detail: 'another data key; needs the clinical key to merge' };
		}
		return { docId, payload, here, opened: null };
	}
	const key = await openDocKey(wrapping, docId, payload.wrappedKey);
	const parts = await Promise.all(payload.updates.map((u) => openEnvelope(key, u, { docId, kind: 'update' })));
	if (parts.length === 0) return { status: 'stored', seqs: [] };
	// Every part must be a Yjs update. A doc new here is checked by building it, which its summary
	// needs anyway; one held here only by parsing, since it is merged into the stored doc.
	let doc: Y.Doc | null = null;
	try {
		if (here) for (const part of parts) Y.parseUpdateMeta(part);
		else doc = buildDoc(docId, parts);
	} catch (e) {
		return refuse('invalid-update', String(e));
	}
	// Stored with an adopted doc, so the next catch-up asks the peer only for what is newer.
	const stateVector = doc ? await sealEnvelope(key, Y.encodeStateVector(doc), { docId, kind: 'state-vector' }) : undefined;
	return { docId, payload, here, opened: { parts, key, doc, stateVector } };
}

function settleAdoption(target: IntakeTarget, checked: Checked, adoption: Adoption): Intake | Checked {
	switch (adoption.status) {
		case 'adopted':
			// The stored entry is the one the key was just unwrapped from: no need to unwrap it again.
			if (checked.opened) target.store.rememberKey(checked.docId, checked.opened.key);
			return { status: 'stored', seqs: adoption.seqs, isAdopted: true, doc: checked.opened?.doc ?? undefined };
		case 'tombstoned':
			return { status: 'erased', seqs: [] };
		case 'orphan-data':
			return checked.opened
				? refuse('invalid-update', 'data without a registry entry')
				: { status: 'deferred', seqs: [], detail: 'data without a registry entry' };
		case 'registered':
			return checked; // registered meanwhile: merged like a doc held here
	}
}

function buildDoc(docId: DocId, parts: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc({ guid: docId });
	try {
		doc.transact(() => parts.forEach((part) => Y.applyUpdate(doc, part)));
		return doc;
	} catch (e) {
		doc.destroy();
		throw e;
	}
}

function explainFailure(e: unknown): Intake {
	if (isAppError(e, 'tombstoned')) return { status: 'erased', seqs: [] };
	if (isAppError(e, 'locked')) return { status: 'deferred', seqs: [], detail: 'locked meanwhile' };
	if (isAppError(e, 'decrypt-failed')) return refuse('forged', e.message);
	if (isAppError(e, 'invalid-update')) return refuse('invalid-update', e.message);
	// Storage failures (quota): not stored, so the sender keeps it and tries again later.
	return { status: 'deferred', seqs: [], detail: String(e) };
}

async function mergeReadable(target: IntakeTarget, docId: DocId, parts: Uint8Array[]): Promise<Intake> {
	const { store } = target;
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
		const seq = await store.append(docId, news.length === 1 ? news[0] : Y.mergeUpdates(news));
		// Kept beside the doc (not awaited: a state vector lagging behind is always safe, the peer
		// then sends more), so the next catch-up asks only for what is newer than this merge.
		store.storeStateVector(docId, Y.encodeStateVector(doc)).catch(() => undefined);
		return { status: 'stored', seqs: [seq] };
	} finally {
		doc.destroy();
	}
}

async function mergeSealed(storage: Storage, docId: DocId, payload: DocPayload, here: RegistryEntry | undefined): Promise<Intake> {
	if (here?.tombstone) return { status: 'erased', seqs: [] };
	if (!here?.wrappedKey || !isSameEnvelope(here.wrappedKey, payload.wrappedKey)) {
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

function isSameEnvelope(a: Envelope, b: Envelope): boolean {
	return a.keyId === b.keyId && isEqualBytes(a.iv, b.iv) && isEqualBytes(a.ciphertext, b.ciphertext);
}
