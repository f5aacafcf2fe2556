// Restoring a backup file into a salon's storage. Guarantees:
// - nothing is written until the whole file has been read and checked (a first pass), so a
//   corrupted, truncated, foreign or newer file, or a wrong passphrase, changes nothing; the second
//   pass re-reads the same file (its header hash must match) and applies it;
// - an empty device gets the salon as it was at rest: keyring, registry, sealed docs and summaries,
//   so staff unlock with their usual passphrase or the recovery key;
// - a file of another salon is refused unless the device is empty ('foreign-salon');
// - into the same salon, a merge: docs erased here are never brought back, the file's erasures are
//   applied here, docs this device lacks are added, docs both hold get the file's edits through
//   Yjs, so edits made here after the backup are kept. Every doc the merge touches must open under
//   this salon's keys in the first pass, so a merge adds nothing this salon cannot read;
// - restoring again after an interruption finishes the job: writes are idempotent, and on an empty
//   device the keyring is written last, so a half-restored device cannot be unlocked.
import { AppError } from '../domain/errors';
import type { DocId } from '../domain/ids';
import type { Storage } from '../storage/storage';
import { applyBackup } from './backup-apply';
import { backupError } from './backup-errors';
import { openBackup, type OpenedBackup } from './backup-format';
import { openBackedUpDoc } from './backup-merge';
import { KEYRING_META_KEY, readRecords } from './backup-records';
import type { ByteSource } from './byte-reader';
import type { RestoreMode, RestoreOptions, RestorePlan, RestoreResult, TargetState } from './restore-types';

export type { RestoreMode, RestoreOptions, RestoreProgress, RestoreResult } from './restore-types';

/** Restores a backup into `target`; `openFile` is called twice (check, then apply) and must give the same file. */
export async function restoreBackup(
	target: Storage,
	targetSalonId: string | null,
	openFile: () => ByteSource,
	passphrase: string,
	options: RestoreOptions = {}
): Promise<RestoreResult> {
	const first = await openBackup(openFile(), passphrase);
	let plan: RestorePlan;
	try {
		const state = await readTarget(target);
		const mode = decideMode(state, targetSalonId, first.info.salonId, options);
		if (mode === 'merge') for (const s of await target.listSummaries()) state.summaryIds.add(s.clientId);
		plan = await checkFile(first, state, mode, options);
	} finally {
		await first.close();
	}
	const second = await openBackup(openFile(), first.key);
	try {
		return await applyBackup(second, target, plan, options);
	} finally {
		await second.close();
	}
}

async function readTarget(target: Storage): Promise<TargetState> {
	const keyring = await target.getMeta<unknown>(KEYRING_META_KEY);
	const entries = new Map((await target.listRegistry()).map((e) => [e.docId, e]));
	return { keyring, entries, summaryIds: new Set() };
}

function decideMode(state: TargetState, targetSalonId: string | null, fileSalonId: string, options: RestoreOptions): RestoreMode {
	const hasKeyring = state.keyring !== undefined;
	if (!hasKeyring && state.entries.size === 0) return 'new-device';
	if (targetSalonId !== fileSalonId) throw backupError('foreign-salon', `file of ${fileSalonId}`);
	// Setup stores the keyring before any doc: docs without it are a restore cut short.
	if (!hasKeyring) return 'new-device';
	if (!options.merge) throw new AppError('locked', 'merging into this salon needs it unlocked');
	return 'merge';
}

async function checkFile(opened: OpenedBackup, target: TargetState, mode: RestoreMode, options: RestoreOptions): Promise<RestorePlan> {
	const fail = (what: string): never => {
		throw backupError('corrupted', what);
	};
	let announced: number | null = null;
	let isEnded = false;
	let hasKeyring = false;
	const seen = new Set<DocId>();
	const backupTombstones = new Set<DocId>();
	for await (const record of readRecords(opened.chunks())) {
		if (isEnded) fail('record after the end');
		if (announced === null && record.t !== 'start') fail('no start record');
		switch (record.t) {
			case 'start':
				if (announced !== null) fail('two start records');
				if (record.salonId !== opened.info.salonId) fail('salon id differs from the header');
				announced = record.docs;
				break;
			case 'keyring':
				if (hasKeyring) fail('two keyrings');
				hasKeyring = true;
				break;
			case 'doc': {
				const { docId } = record.entry;
				if (seen.has(docId)) fail(`${docId} twice`);
				seen.add(docId);
				const isErasedHere = target.entries.get(docId)?.tombstone === true;
				if (mode === 'merge' && !isErasedHere) await openBackedUpDoc(options.merge!.keys, record.entry, record.stored);
				options.onProgress?.({ phase: 'checking', docs: seen.size, of: announced ?? 0 });
				break;
			}
			case 'tombstones':
				for (const e of record.entries) backupTombstones.add(e.docId);
				break;
			case 'end':
				if (record.docs !== seen.size || announced !== seen.size) fail('doc count');
				isEnded = true;
				break;
		}
	}
	// The chunk layer already refuses a cut file; these catch a writer that stopped half-way.
	if (!isEnded) fail('no end record');
	if (!hasKeyring) fail('no keyring');
	return { mode, info: opened.info, docs: seen.size, backupTombstones, target };
}
