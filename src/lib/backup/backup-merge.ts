// Opening a backed-up doc so it can be merged into the same salon. Envelopes are bound to their
// record kind, so a backed-up snapshot cannot be appended to a log as an update: it is opened with
// the doc's key (unwrapped from the backup's own registry entry) and handed to DocStore, which
// re-seals it. Guarantees: which root key unwraps a doc key follows from the doc id, as in
// doc-keys.ts, never from the file; raw key bytes are zeroed once imported; a clinical doc without
// the clinical key in memory is 'locked'; whatever opens must be a Yjs update ('invalid-update');
// an envelope that does not open under this salon's keys is 'decrypt-failed'.
import * as Y from 'yjs';
import { importDataKey, openEnvelope } from '../crypto/envelope';
import { AppError } from '../domain/errors';
import { nameDocKey, type DocStoreKeys } from '../storage/doc-keys';
import type { DocStore } from '../storage/doc-store';
import { readDocIdParts } from '../storage/erasure-rules';
import type { RegistryEntry } from '../storage/storage';
import type { BackedUpDoc } from './backup-records';

/** Opens a backed-up doc into one Yjs update (null when it holds no data), checking every part. */
export async function openBackedUpDoc(keys: DocStoreKeys, entry: RegistryEntry, stored: BackedUpDoc): Promise<Uint8Array | null> {
	const { docId } = entry;
	if (!stored.snapshot && stored.updates.length === 0) return null;
	const wrapping = readDocIdParts(docId).kind === 'clinical' ? keys.clinical : keys.salon;
	if (!wrapping) throw new AppError('locked', `${docId} needs the clinical key`);
	if (!entry.wrappedKey) throw new AppError('decrypt-failed', `${docId} has no key`);
	const raw = await openEnvelope(wrapping, entry.wrappedKey, { docId, kind: 'doc-key' });
	let key;
	try {
		key = await importDataKey(nameDocKey(docId), raw);
	} finally {
		raw.fill(0);
	}
	const parts = await Promise.all([
		...(stored.snapshot ? [openEnvelope(key, stored.snapshot, { docId, kind: 'snapshot' })] : []),
		...stored.updates.map((u) => openEnvelope(key, u, { docId, kind: 'update' }))
	]);
	try {
		for (const p of parts) Y.parseUpdateMeta(p);
		return parts.length === 1 ? parts[0] : Y.mergeUpdates(parts);
	} catch (e) {
		throw new AppError('invalid-update', `${docId}: ${String(e)}`);
	}
}

/** Adds what a backed-up doc holds beyond the stored one through DocStore; Yjs keeps both sides' edits. Returns whether anything was new. */
export async function mergeBackedUpDoc(
	store: DocStore,
	keys: DocStoreKeys,
	entry: RegistryEntry,
	stored: BackedUpDoc
): Promise<boolean> {
	const update = await openBackedUpDoc(keys, entry, stored);
	if (!update) return false;
	// Applied to the doc as stored here, Yjs emits exactly what is new (insertions and deletions),
	// so merging the same file twice appends nothing; the stored state vector would only give a
	// lower bound and miss deletions. One doc at a time, destroyed at once: never all cards in memory.
	const doc = await store.load(entry.docId);
	try {
		const news: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => news.push(u));
		Y.applyUpdate(doc, update);
		if (news.length === 0) return false;
		await store.append(entry.docId, news.length === 1 ? news[0] : Y.mergeUpdates(news));
		return true;
	} finally {
		doc.destroy();
	}
}
