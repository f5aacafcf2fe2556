// The shapes a restore works with, shared by its checking pass (backup-restore.ts) and its
// applying pass (backup-apply.ts) without either importing the other.
import type { SalonKeys } from '../crypto/keyring-format';
import type { ClientId, DocId } from '../domain/ids';
import type { DocStore } from '../storage/doc-store';
import type { RegistryEntry } from '../storage/storage';
import type { BackupInfo } from './backup-header';

/** 'new-device': the target was empty and gets the salon as it is; 'merge': the same salon, merged. */
export type RestoreMode = 'new-device' | 'merge';

/** How far a restore has got: checking the whole file first, then restoring; docs n of N. */
export interface RestoreProgress {
	phase: 'checking' | 'restoring';
	docs: number;
	of: number;
}

/** Choices for restoreBackup. */
export interface RestoreOptions {
	/** Needed to merge into the same salon: its unlocked DocStore and keys (OpenSalon.store and .keys). */
	merge?: { store: DocStore; keys: SalonKeys };
	onProgress?: (progress: RestoreProgress) => void;
}

/** What a restore did. */
export interface RestoreResult {
	mode: RestoreMode;
	info: BackupInfo;
	docsAdded: number;
	/** Docs both held, merged through Yjs. */
	docsMerged: number;
	/** Docs erased on this device, so never brought back. */
	docsSkipped: number;
	/** Erasures from the file applied here. */
	tombstonesApplied: number;
	summariesAdded: number;
	/** Clients whose docs gained edits while this device kept its summary: re-derive their summaries. */
	staleSummaries: ClientId[];
	/** Whether the stored keyring is now the one from the file or a merge with it. */
	isKeyringWritten: boolean;
}

/** The target as it was before restoring. */
export interface TargetState {
	keyring: unknown;
	entries: Map<DocId, RegistryEntry>;
	/** Clients with a stored summary (read for a merge only). */
	summaryIds: Set<string>;
}

/** What the checking pass learned, for the applying pass. */
export interface RestorePlan {
	mode: RestoreMode;
	info: BackupInfo;
	docs: number;
	/** Docs the file itself erased (it lists them last, so the applying pass needs them up front). */
	backupTombstones: Set<DocId>;
	target: TargetState;
}
