// What a sync session needs from the device it runs on; SyncNode builds one for all its sessions.
import type { DocId } from '../domain/ids';
import type { DocStore } from '../storage/doc-store';
import type { DocStoreKeys } from '../storage/doc-keys';
import type { Storage } from '../storage/storage';
import type { OriginLog } from './checkpoints';
import type { Intake } from './doc-intake';
import type { SyncLimits, SyncLogger } from './limits';
import type { KeyringExchange, Presence } from './salon-exchange';

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
	intake(peerId: string, docId: DocId, bytes: Uint8Array, onlyIfHeld?: boolean): Promise<Intake>;
	onAuthenticated(session: { peerId: string | null; close(reason?: string): void }): void;
	onClosed(session: object): void;
	onVersion(signal: VersionSignal): void;
	/** The keyring exchange; without it keyrings are neither sent nor taken. */
	keyring?: KeyringExchange;
	/** This device's presence now (sent to each peer once it is authenticated). */
	presence(): Presence | null;
	/** A peer's presence arrived, or (null) it left. */
	onPresence(peerId: string, presence: Presence | null): void;
	/** A peer's incoming-docs progress changed. */
	onProgress(): void;
	/** A peer said this device now has everything it could send. */
	onSynced(peerId: string): void;
}
