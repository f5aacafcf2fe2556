// How a backup file can be refused, named so the UI can say what happened and what to do. Every
// problem is an AppError('invalid-input') whose detail starts with the problem code; a wrong
// passphrase ('wrong-passphrase') and a file from a newer app ('newer-version') use their own reasons.
import { AppError, isAppError } from '../domain/errors';

/** Why a file was refused as 'invalid-input'. */
export type BackupProblem = 'not-a-backup' | 'corrupted' | 'truncated' | 'foreign-salon';

const PROBLEMS: readonly BackupProblem[] = ['not-a-backup', 'corrupted', 'truncated', 'foreign-salon'];

/** Makes the AppError for a refused file; `note` is for logs only. */
export function backupError(problem: BackupProblem, note?: string): AppError {
	return new AppError('invalid-input', note ? `${problem}: ${note}` : problem);
}

/** The backup problem an error names, or null if it is not one (the UI picks its message from this). */
export function findBackupProblem(e: unknown): BackupProblem | null {
	if (!isAppError(e, 'invalid-input') || !e.detail) return null;
	const code = e.detail.split(':', 1)[0];
	return PROBLEMS.find((p) => p === code) ?? null;
}
