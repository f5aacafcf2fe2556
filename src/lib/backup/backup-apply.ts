// The applying pass of a restore, run only after the checking pass read the whole file. Guarantees:
// - a doc erased on this device is never written, whatever the file holds;
// - on an empty device each doc's data is written before its registry entry and the keyring goes
//   last, so a restore cut short leaves a device nobody can unlock, and restoring again completes it;
// - a merge goes through the salon's DocStore (it re-seals under the doc's key and keeps its
//   caches right); a doc erased here by a peer while the merge runs is skipped, not an error.
import { mergeKeyrings } from '../crypto/keyring-merge';
import type { Keyring } from '../crypto/keyring-format';
import { isAppError } from '../domain/errors';
import type { ClientId } from '../domain/ids';
import { findSummaryDocIds, readDocIdParts } from '../storage/erasure-rules';
import type { RegistryEntry, Storage, StoredDoc, StoredSummary } from '../storage/storage';
import type { OpenedBackup } from './backup-format';
import { mergeBackedUpDoc } from './backup-merge';
import { KEYRING_META_KEY, readRecords, type BackedUpDoc, type BackupRecord } from './backup-records';
import type { RestoreOptions, RestorePlan, RestoreResult } from './restore-types';

/** Applies a checked backup to `target` as `plan` says. */
export async function applyBackup(opened: OpenedBackup, target: Storage, plan: RestorePlan, options: RestoreOptions): Promise<RestoreResult> {
	const result: RestoreResult = {
		mode: plan.mode,
		info: plan.info,
		docsAdded: 0,
		docsMerged: 0,
		docsSkipped: 0,
		tombstonesApplied: 0,
		summariesAdded: 0,
		staleSummaries: [],
		isKeyringWritten: false
	};
	const stale = new Set<ClientId>();
	let keyring: unknown;
	let done = 0;
	for await (const record of readRecords(opened.chunks())) {
		if (record.t === 'keyring') keyring = record.keyring;
		if (record.t === 'doc') {
			await skipIfErased(() => applyDoc(record, target, plan, options, result, stale), result);
			options.onProgress?.({ phase: 'restoring', docs: ++done, of: plan.docs });
		}
		if (record.t === 'summaries') await applySummaries(record.summaries, target, plan, result);
		if (record.t === 'tombstones') await applyTombstones(record.entries, target, plan, options, result);
	}
	result.isKeyringWritten = await writeKeyring(keyring, target, plan, options);
	for (const docId of plan.backupTombstones) {
		const { clientId, kind } = readDocIdParts(docId);
		if (clientId && kind === 'profile') stale.delete(clientId);
	}
	result.staleSummaries = [...stale];
	return result;
}

async function skipIfErased(write: () => Promise<void>, result: RestoreResult): Promise<void> {
	try {
		await write();
	} catch (e) {
		if (!isAppError(e, 'tombstoned')) throw e;
		result.docsSkipped += 1;
	}
}

type DocRecord = Extract<BackupRecord, { t: 'doc' }>;

async function applyDoc(
	{ entry, stored }: DocRecord,
	target: Storage,
	plan: RestorePlan,
	options: RestoreOptions,
	result: RestoreResult,
	stale: Set<ClientId>
): Promise<void> {
	const { docId } = entry;
	// Erased in the file itself (while the backup ran): its tombstone comes later and wins.
	if (plan.backupTombstones.has(docId)) return;
	const here = plan.target.entries.get(docId);
	if (here?.tombstone) {
		result.docsSkipped += 1;
		return;
	}
	if (plan.mode === 'new-device') {
		// An entry here means an earlier, interrupted restore already wrote this doc completely.
		if (here) return;
		await writeAsStored(target, entry, stored);
		result.docsAdded += 1;
		return;
	}
	const { store, keys } = options.merge!;
	const { clientId } = readDocIdParts(docId);
	let isChanged: boolean;
	if (here) {
		isChanged = await mergeBackedUpDoc(store, keys, entry, stored);
		result.docsMerged += 1;
	} else {
		// Data without an entry (it came before its entry): a snapshot written as is would be ignored.
		if (hasData(await target.readDoc(docId))) {
			await target.putRegistryEntry(entry);
			await mergeBackedUpDoc(store, keys, entry, stored);
		} else await writeAsStored(target, entry, stored);
		isChanged = true;
		result.docsAdded += 1;
	}
	if (isChanged && clientId && plan.target.summaryIds.has(clientId)) stale.add(clientId);
}

function hasData(stored: StoredDoc): boolean {
	return stored.snapshot !== null || stored.updates.length > 0;
}

async function writeAsStored(target: Storage, entry: RegistryEntry, stored: BackedUpDoc): Promise<void> {
	const { docId } = entry;
	// upToSeq 0 folds no update in: every update from the file is appended after the snapshot.
	if (stored.snapshot && stored.stateVector) await target.replaceSnapshot(docId, stored.snapshot, stored.stateVector, 0);
	else if (stored.stateVector) await target.putStateVector(docId, stored.stateVector);
	for (const update of stored.updates) await target.appendUpdate(docId, update);
	// The entry goes last: a restore cut short before it writes this doc again next time.
	await target.putRegistryEntry(entry);
}

async function applySummaries(summaries: StoredSummary[], target: Storage, plan: RestorePlan, result: RestoreResult): Promise<void> {
	for (const summary of summaries) {
		const { profile } = findSummaryDocIds(summary.clientId);
		if (plan.target.entries.get(profile)?.tombstone || plan.backupTombstones.has(profile)) continue;
		// A merge keeps this device's summary: it is derived from docs that may be newer here.
		if (plan.mode === 'merge' && plan.target.summaryIds.has(summary.clientId)) continue;
		try {
			await target.putSummary(summary);
			result.summariesAdded += 1;
		} catch (e) {
			if (!isAppError(e, 'tombstoned')) throw e;
		}
	}
}

async function applyTombstones(
	entries: Extract<BackupRecord, { t: 'tombstones' }>['entries'],
	target: Storage,
	plan: RestorePlan,
	options: RestoreOptions,
	result: RestoreResult
): Promise<void> {
	for (const { docId, kind } of entries) {
		if (plan.target.entries.get(docId)?.tombstone) continue;
		// Through DocStore when merging, so it also drops the doc's key from memory.
		if (plan.mode === 'merge') await options.merge!.store.eraseDoc(docId);
		else await target.putRegistryEntry({ docId, kind, wrappedKey: null, tombstone: true });
		result.tombstonesApplied += 1;
	}
}

async function writeKeyring(fromFile: unknown, target: Storage, plan: RestorePlan, options: RestoreOptions): Promise<boolean> {
	if (plan.mode === 'new-device') {
		await target.setMeta(KEYRING_META_KEY, fromFile);
		return true;
	}
	// Read again: staff may have been added here (or synced in) while the restore ran.
	const current = await target.getMeta<unknown>(KEYRING_META_KEY);
	try {
		const merged = await mergeKeyrings(current as Keyring, fromFile, options.merge!.keys);
		await target.setMeta(KEYRING_META_KEY, merged);
		return true;
	} catch (e) {
		// A file keyring that does not verify under this salon's key (or other KDF params) adds no one.
		if (isAppError(e, 'decrypt-failed') || isAppError(e, 'invalid-update') || isAppError(e, 'invalid-input')) return false;
		throw e;
	}
}
