// What a sync session needs from the device it runs on; SyncNode builds one for all its sessions.
import type { DocId } from '../domain/ids';
import type { DocStore } from '../storage/doc-store';
import type { DocStoreKeys } from '../storage/doc-keys';
import type { Storage } from '../storage/storage';
import type { OriginLog } from './checkpoints';
import type { Intake } from './doc-intake';
import type { SyncLimits, SyncLogger } from './limits';

/** A version clash: this app must be updated, or the peer's app must. */
export type VersionSignal = 'update-app' | 'peer-outdated';

/** The device-side services shared by every session of a SyncNode. */
export interface SessionContext {
	deviceId: string;
	storage: Storage;
	store: DocStore;
	/** The salon and clinical keys now in memory; null when hard-locked (then nothing syncs). */
	keys: () => DocStoreKeys | null;
	limits: SyncLimits;
	log: SyncLogger;
	handshakeKey: CryptoKey;
	origins: OriginLog;
	/** Checks and stores one received doc; the node runs these one at a time. */
	intake(peerId: string, docId: DocId, bytes: Uint8Array): Promise<Intake>;
	onAuthenticated(session: { peerId: string | null; close(reason?: string): void }): void;
	onClosed(session: object): void;
	onVersion(signal: VersionSignal): void;
}
