// A device's place in the salon's mesh: one PeerSession per link, all sharing this device's
// storage, keys and change feed. Guarantees: received docs are stored one batch at a time, in
// arrival order (so two peers' copies of a doc never race each other's merge), a batch being the
// docs that arrived while the one before was stored; every change stored here, local or
// received, wakes every session (a local one in the next event-loop turn; received ones at most
// every FORWARD_EVERY_MS, so a first sync does not rescan the change log after every doc), and
// each session skips the peer the change came from; every erasure here is sent to every peer at once; a hard-locked device
// (keys() null) stores nothing and its sessions close; one session per peer (a newer link wins);
// the moment a peer last left this device with nothing pending is kept in storage meta
// (`sync/synced/<peer>`), so a status screen can say when each device last synced, even offline.
import type * as Y from 'yjs';
import type { DocId } from '../domain/ids';
import type { DocStore } from '../storage/doc-store';
import type { DocStoreKeys } from '../storage/doc-keys';
import { OriginLog } from './checkpoints';
import { checkReceivedDocs, storeCheckedDocs, type Checked, type Intake, type IntakeTarget, type Received } from './doc-intake';
import { DEFAULT_LIMITS, silentLogger, type SyncLimits, type SyncLogger } from './limits';
import type { ObservedStorage } from './observed-storage';
import { PeerSession, type IncomingProgress, type SessionStats } from './peer-sync';
import type { KeyringExchange, Presence } from './salon-exchange';
import type { VersionSignal } from './session-context';
import { deriveHandshakeKey } from './sync-crypto';
import type { Transport } from './transport';

/** How a device joins the mesh. */
export interface SyncNodeOptions {
	/** This device's id; peers key their checkpoints by it. */
	deviceId: string;
	/** The same ObservedStorage the DocStore writes to, so every change is seen. */
	storage: ObservedStorage;
	store: DocStore;
	/** The salon and clinical keys now in memory (null when hard-locked). */
	keys: () => DocStoreKeys | null;
	syncSecret: Uint8Array;
	limits?: Partial<SyncLimits>;
	log?: SyncLogger;
	/** Docs changed because of peers (one call per stored batch): rebuild their clients' summaries. */
	onDocsStored?: (docs: StoredFromPeer[]) => void;
	/** A peer speaks another major protocol version. */
	onVersion?: (signal: VersionSignal) => void;
	/** Keyring exchange: new staff and changed passphrases reach every device. */
	keyring?: KeyringExchange;
	/** A peer's presence changed or (null) it left. */
	onPresence?: (peerId: string, presence: Presence | null) => void;
	/** The incoming progress of some link changed (read `progress`). */
	onProgress?: () => void;
	/** A peer left this device with nothing pending, at `at` (ms). */
	onSynced?: (peerId: string, at: number) => void;
}

/** A doc stored because of a peer; `doc`, for one that was new here, is it as stored (built while checked). */
export interface StoredFromPeer {
	docId: DocId;
	doc?: Y.Doc;
}

/** Meta key under which the last moment of being in sync with `peerId` is kept. */
export function syncedAtKey(peerId: string): string {
	return `sync/synced/${peerId}`;
}

/** What a status screen shows of one connected peer. */
export interface PeerStatus {
	peerId: string;
	pendingDocs: number;
	stats: SessionStats;
	incoming: IncomingProgress | null;
}

/** Most docs, and most bytes, stored together in one intake batch. */
const INTAKE_BATCH_DOCS = 200;
const INTAKE_BATCH_BYTES = 16 * 1024 * 1024;

// A received doc waiting to be stored, and who waits for the outcome.
interface Queued extends Received {
	peerId: string;
	settle: (intake: Intake) => void;
}

const nextTurn = (fn: () => void) => (typeof setImmediate === 'function' ? setImmediate(fn) : setTimeout(fn, 0));
/** How often changes received from one peer are offered on to the others, at most. */
const FORWARD_EVERY_MS = 50;

/** Runs the sync protocol with every peer this device is linked to. */
export class SyncNode {
	readonly #options: SyncNodeOptions;
	readonly #limits: SyncLimits;
	readonly #handshakeKey: CryptoKey;
	readonly #sessions = new Set<PeerSession>();
	readonly #origins = new OriginLog();
	readonly #unsubscribe: () => void;
	#intakeQueue: Queued[] = [];
	#isIntakeRunning = false;
	#isWakeScheduled = false;
	#forwardTimer: ReturnType<typeof setTimeout> | null = null;
	#intakeDepth = 0;
	#presence: Presence | null = null;

	private constructor(options: SyncNodeOptions, handshakeKey: CryptoKey) {
		this.#options = options;
		this.#limits = { ...DEFAULT_LIMITS, ...options.limits };
		this.#handshakeKey = handshakeKey;
		this.#unsubscribe = options.storage.subscribe((change) => {
			if (change.type === 'append') {
				if (this.#intakeDepth > 0) this.#scheduleForward();
				else this.#scheduleWake();
			}
			else for (const s of this.#sessions) void s.sendTombstone(change.docId).catch(() => undefined);
		});
	}

	/** Derives the handshake key from the sync secret and makes the node. */
	static async create(options: SyncNodeOptions): Promise<SyncNode> {
		return new SyncNode(options, await deriveHandshakeKey(options.syncSecret));
	}

	/** Starts a session over a new link; it syncs once both sides proved the sync secret. */
	connect(transport: Transport): PeerSession {
		if (!this.#options.keys()) {
			transport.close('locked');
			throw new Error('a hard-locked device does not sync');
		}
		const log = this.#options.log ?? silentLogger;
		const session = new PeerSession(transport, {
			deviceId: this.#options.deviceId,
			storage: this.#options.storage,
			store: this.#options.store,
			keys: this.#options.keys,
			limits: this.#limits,
			log,
			handshakeKey: this.#handshakeKey,
			origins: this.#origins,
			intake: (peerId, docId, bytes, onlyIfHeld) => this.#intake(peerId, docId, bytes, onlyIfHeld),
			onAuthenticated: (s) => this.#onAuthenticated(s as PeerSession),
			onClosed: (s) => this.#sessions.delete(s as PeerSession),
			onVersion: (signal) => this.#options.onVersion?.(signal),
			keyring: this.#options.keyring,
			presence: () => this.#presence,
			onPresence: (peerId, presence) => this.#options.onPresence?.(peerId, presence),
			onProgress: () => this.#options.onProgress?.(),
			onSynced: (peerId) => this.#synced(peerId)
		});
		this.#sessions.add(session);
		session.start();
		return session;
	}

	/** Peers connected and authenticated now. */
	get peers(): PeerStatus[] {
		return [...this.#sessions]
			.filter((s) => s.peerId)
			.map((s) => ({ peerId: s.peerId!, pendingDocs: s.pendingDocs, stats: { ...s.stats }, incoming: s.incoming }));
	}

	/** Docs announced by every peer now sending, and how many arrived; null when none is. */
	get progress(): IncomingProgress | null {
		const all = [...this.#sessions].map((s) => s.incoming).filter((p): p is IncomingProgress => p !== null);
		if (!all.length) return null;
		return all.reduce((sum, p) => ({
			docs: sum.docs + p.docs,
			cards: sum.cards + p.cards,
			docsDone: sum.docsDone + p.docsDone,
			cardsDone: sum.cardsDone + p.cardsDone
		}));
	}

	/** Tells every peer which card this device has open now (null: none, or leaving). */
	setPresence(presence: Presence | null): void {
		this.#presence = presence;
		for (const s of this.#sessions) void s.sendPresence().catch(() => undefined);
	}

	/** The keyring changed here (staff added, passphrase changed): every peer gets it. */
	sendKeyring(): void {
		for (const s of this.#sessions) void s.sendKeyring().catch(() => undefined);
	}

	/** Whether nothing is in flight on any link (tests wait for this). */
	get isIdle(): boolean {
		return !this.#isWakeScheduled && !this.#forwardTimer && [...this.#sessions].every((s) => s.isIdle);
	}

	/** This device can read more (the clinical key is back): peers offer again what was deferred. */
	rescan(): void {
		for (const s of this.#sessions) void s.requestRescan().catch(() => undefined);
	}

	/** Closes every link (hard lock, pause, or leaving the salon). */
	close(reason = 'closed'): void {
		for (const s of [...this.#sessions]) s.close(reason);
	}

	/** Closes every link and stops listening to storage. */
	dispose(): void {
		if (this.#forwardTimer) clearTimeout(this.#forwardTimer);
		this.#forwardTimer = null;
		this.close('disposed');
		this.#unsubscribe();
	}

	#onAuthenticated(session: PeerSession): void {
		for (const other of this.#sessions) {
			if (other !== session && other.peerId === session.peerId) other.close('replaced');
		}
	}

	#synced(peerId: string): void {
		const at = Date.now();
		void this.#options.storage.setMeta(syncedAtKey(peerId), at).catch(() => undefined);
		this.#options.onSynced?.(peerId, at);
	}

	#scheduleForward(): void {
		if (this.#forwardTimer || this.#isWakeScheduled) return;
		this.#forwardTimer = setTimeout(() => {
			this.#forwardTimer = null;
			this.#scheduleWake();
		}, FORWARD_EVERY_MS);
	}

	#scheduleWake(): void {
		if (this.#isWakeScheduled) return;
		this.#isWakeScheduled = true;
		nextTurn(() => {
			this.#isWakeScheduled = false;
			for (const s of this.#sessions) s.notifyChange();
		});
	}

	// Received docs queue up while a batch is stored and go together in the next one: one doc at a
	// time when they trickle in (a live edit waits for nothing), many when a first sync pours in.
	#intake(peerId: string, docId: DocId, bytes: Uint8Array, onlyIfHeld = false): Promise<Intake> {
		return new Promise<Intake>((settle) => {
			this.#intakeQueue.push({ peerId, docId, bytes, onlyIfHeld, settle });
			void this.#runIntake();
		});
	}

	// The checks of a batch (decoding, attestation, decryption) run while the batch before it is
	// being stored; storing stays one batch at a time, in arrival order.
	async #runIntake(): Promise<void> {
		if (this.#isIntakeRunning) return;
		this.#isIntakeRunning = true;
		try {
			let storing: Promise<void> | null = null;
			while (this.#intakeQueue.length || storing) {
				if (!this.#intakeQueue.length) {
					await storing;
					storing = null;
					continue;
				}
				const batch = this.#intakeQueue.splice(0, this.#nextBatchSize());
				this.#intakeDepth += 1;
				const roots = this.#options.keys();
				const target = roots && { storage: this.#options.storage, store: this.#options.store, roots, limits: this.#limits };
				const checks = target ? checkReceivedDocs(target, batch) : null;
				await storing;
				storing = this.#storeBatch(batch, target, checks);
			}
		} finally {
			this.#isIntakeRunning = false;
		}
	}

	#nextBatchSize(): number {
		let bytes = 0;
		let count = 0;
		for (const q of this.#intakeQueue) {
			if (count > 0 && (count >= INTAKE_BATCH_DOCS || bytes + q.bytes.byteLength > INTAKE_BATCH_BYTES)) break;
			bytes += q.bytes.byteLength;
			count += 1;
		}
		return count;
	}

	async #storeBatch(batch: Queued[], target: IntakeTarget | null, checks: Promise<Array<Intake | Checked>> | null): Promise<void> {
		let intakes: Intake[];
		try {
			// Each origin is recorded the moment its seqs exist, so a sender never offers a change back.
			const record = (i: number, intake: Intake) => {
				this.#origins.record(batch[i].peerId, intake.seqs);
				if (intake.isAdopted) this.#origins.recordAdopted(batch[i].peerId, batch[i].docId, intake.seqs);
			};
			intakes = target && checks ? await storeCheckedDocs(target, await checks, record) : batch.map(() => ({ status: 'deferred', seqs: [], detail: 'locked' }));
		} finally {
			this.#intakeDepth -= 1;
		}
		const stored = batch.flatMap((q, i) => (intakes[i].seqs.length > 0 ? [{ docId: q.docId, doc: intakes[i].doc }] : []));
		if (stored.length) {
			try {
				this.#options.onDocsStored?.(stored);
			} catch (e) {
				console.error('onDocsStored failed', e);
			}
		}
		batch.forEach((q, i) => q.settle(intakes[i]));
	}
}
