// Backups from the app's side: making one of the open salon, restoring one onto an empty device
// or merging one into the open salon, and remembering when the last one was made. The file format
// and its checks live in backup/; this module only wires them to the session and the list.
import { listLocalSalons, openSalonStorage, registerLocalSalon } from '../app';
import { findBackupProblem, readBackupInfo, restoreBackup, writeBackup, type BackupInfo, type ByteSource, type RestoreResult } from '../backup/backup';

export type { RestoreResult };
import { AppError, isAppError } from '../domain/errors';
import { profileDocId, type SalonId } from '../domain/ids';
import { profileSummary } from '../doc/profile-doc';
import { t, type MessageKey } from '../i18n/i18n.svelte';
import { describeError } from './notices.svelte';
import type { SalonSession } from './salon-session';

/** Meta key (device storage, not personal) of the last backup's instant. */
export const LAST_BACKUP_META = 'last-backup-at';

/** Streams an encrypted backup of the whole salon; records its time once the last byte is out. */
export async function* backUpSalon(salon: SalonSession, passphrase: string, onProgress?: (docs: number, of: number) => void): AsyncGenerator<Uint8Array> {
	yield* writeBackup(salon.storage, salon.id, passphrase, { onProgress: (p) => onProgress?.(p.docs, p.of) });
	await salon.storage.setMeta(LAST_BACKUP_META, new Date().toISOString());
}

/** The file name of a backup made on `day` (YYYY-MM-DD). */
export function backupFileName(day: string): string {
	return `kartoteka-kopia-${day}.kbak`;
}

/** Whether the owner should be reminded: no backup yet, or one older than the salon's setting. */
export async function isBackupDue(salon: SalonSession, now = Date.now()): Promise<{ isDue: boolean; lastAt: string | null }> {
	const lastAt = (await salon.storage.getMeta<string>(LAST_BACKUP_META)) ?? null;
	const days = salon.settings.backupReminderDays;
	return { isDue: !lastAt || now - Date.parse(lastAt) > days * 86_400_000, lastAt };
}

/** Restores a backup onto a device without a real salon; the user then unlocks as usual. */
export async function restoreOnEmptyDevice(openFile: () => ByteSource, passphrase: string): Promise<RestoreResult> {
	if (listLocalSalons().some((s) => !s.isDemo)) throw new AppError('invalid-input', 'device-not-empty');
	const info: BackupInfo = await readBackupInfo(openFile(), passphrase);
	const id = info.salonId as SalonId;
	const storage = await openSalonStorage(id);
	try {
		const result = await restoreBackup(storage, id, openFile, passphrase);
		registerLocalSalon({ id, isDemo: false });
		return result;
	} finally {
		await storage.close();
	}
}

/** Merges a backup of this salon into the open one: newer edits stay, erased cards stay erased. */
export async function mergeIntoSalon(salon: SalonSession, openFile: () => ByteSource, passphrase: string): Promise<RestoreResult> {
	const result = await restoreBackup(salon.storage, salon.id, openFile, passphrase, { merge: salon.mergeTarget });
	for (const clientId of result.staleSummaries) {
		const doc = await salon.store.load(profileDocId(clientId));
		await salon.store.putSummary(clientId, profileSummary(doc, clientId));
		doc.destroy();
	}
	await salon.reloadKeyring();
	await salon.reload();
	return result;
}


/** The user's message for a failed restore; every one says that nothing was changed. */
export function describeRestoreError(e: unknown): string {
	const problem = findBackupProblem(e);
	if (problem) return t(`restore.problem.${problem}` as MessageKey);
	if (isAppError(e, 'wrong-passphrase')) return t('restore.wrongPassphrase');
	if (isAppError(e, 'newer-version')) return t('restore.newerVersion');
	if (isAppError(e, 'invalid-input') && e.detail === 'device-not-empty') return t('restore.deviceNotEmpty');
	return describeError(e);
}
