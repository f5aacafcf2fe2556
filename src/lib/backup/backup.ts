// Backing up a whole salon into one file, and reading what a file says. Guarantees:
// - the file holds the salon exactly as it is at rest: the keyring (ciphertext only), each doc's
//   registry entry with its wrapped key and its sealed snapshot, state vector and updates, the
//   sealed summaries and the tombstones. Making a backup needs no data key, and reading a client
//   out of one needs both the backup passphrase and a staff passphrase or the recovery key;
// - the storage is read lazily, one doc at a time, as the caller pulls the file's parts, so a salon
//   of gigabytes streams to disk without sitting in memory;
// - tombstones are listed last, so a doc erased while the backup ran is erased in the file too.
import { calibrateKdf, type KdfParams } from '../crypto/kdf';
import type { Keyring } from '../crypto/keyring-format';
import { AppError } from '../domain/errors';
import type { Storage } from '../storage/storage';
import { createBackupWriter, openBackup, sealBackup } from './backup-format';
import type { BackupInfo } from './backup-header';
import { encodeRecord, KEYRING_META_KEY } from './backup-records';
import type { ByteSource } from './byte-reader';

export { findBackupProblem, type BackupProblem } from './backup-errors';
export { BACKUP_FORMAT_VERSION, type BackupInfo } from './backup-header';
export type { ByteSource } from './byte-reader';
export { restoreBackup, type RestoreOptions, type RestoreProgress, type RestoreResult } from './backup-restore';

/** How far a backup has got: docs written so far, of how many. */
export interface BackupProgress {
	docs: number;
	of: number;
}

/** Choices for writeBackup; all optional. */
export interface WriteBackupOptions {
	/** Parameters for the backup passphrase; default: calibrated on this device with a fresh salt. */
	kdf?: KdfParams;
	/** Plaintext bytes per chunk (default and maximum 1 MiB). */
	chunkSize?: number;
	createdAt?: string;
	onProgress?: (progress: BackupProgress) => void;
}

// Records of many small items are batched so no record grows with the salon.
const BATCH = 500;

/** Streams one encrypted backup file of the whole salon, part by part; write the parts to the file in order. */
export async function* writeBackup(
	storage: Storage,
	salonId: string,
	passphrase: string,
	options: WriteBackupOptions = {}
): AsyncGenerator<Uint8Array> {
	const keyring = await storage.getMeta<Keyring>(KEYRING_META_KEY);
	// Without its keyring nobody could ever unlock what the file holds.
	if (!keyring) throw new AppError('not-found', 'this salon has no keyring to back up');
	const kdf = options.kdf ?? (await calibrateKdf());
	const writer = await createBackupWriter({ salonId, passphrase, kdf, chunkSize: options.chunkSize, createdAt: options.createdAt });
	yield* sealBackup(writer, emitRecords(storage, salonId, keyring, options.onProgress));
}

async function* emitRecords(
	storage: Storage,
	salonId: string,
	keyring: Keyring,
	onProgress?: (progress: BackupProgress) => void
): AsyncGenerator<Uint8Array> {
	const live = (await storage.listRegistry()).filter((e) => !e.tombstone);
	yield encodeRecord({ t: 'start', salonId, docs: live.length });
	yield encodeRecord({ t: 'keyring', keyring });
	onProgress?.({ docs: 0, of: live.length });
	for (const [i, entry] of live.entries()) {
		const stored = await storage.readDoc(entry.docId);
		const updates = stored.updates.map((u) => u.update);
		yield encodeRecord({ t: 'doc', entry, stored: { snapshot: stored.snapshot, stateVector: stored.stateVector, updates } });
		onProgress?.({ docs: i + 1, of: live.length });
	}
	const summaries = await storage.listSummaries();
	for (let i = 0; i < summaries.length; i += BATCH) {
		yield encodeRecord({ t: 'summaries', summaries: summaries.slice(i, i + BATCH) });
	}
	const tombstones = (await storage.listRegistry()).filter((e) => e.tombstone).map(({ docId, kind }) => ({ docId, kind }));
	for (let i = 0; i < tombstones.length; i += BATCH) {
		yield encodeRecord({ t: 'tombstones', entries: tombstones.slice(i, i + BATCH) });
	}
	yield encodeRecord({ t: 'end', docs: live.length });
}

/** Reads a backup's header and checks the passphrase, without reading the rest ('wrong-passphrase', 'newer-version', 'invalid-input'). */
export async function readBackupInfo(source: ByteSource, passphrase: string): Promise<BackupInfo> {
	const opened = await openBackup(source, passphrase);
	await opened.close();
	return opened.info;
}
