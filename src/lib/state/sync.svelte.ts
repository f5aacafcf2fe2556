// What the UI sees of peer sync, and its lifecycle: started by the session after unlock (or, on a
// device that just joined, with the keys alone until the salon's data is here), stopped on hard
// lock. Guarantees: a demo salon never syncs; stop() closes the relay connection, every link and
// the SyncNode's storage listener; a start() overtaken by stop() or another start() tears down
// what it built instead of leaving a second mesh running; every doc a peer changed gets its
// client's summaries rebuilt here (summaries never travel), many cards at a time, the clinical part too
// when this device holds the clinical key; a changed salon doc is re-read by the session.
import type { Keyring } from '../crypto/keyring';
import { DEFAULT_TIME_ZONE } from '../domain/dates';
import type { IceServerSetting, NetworkSettings } from '../domain/device';
import { parseDocId, SALON_DOC_ID, type ClientId, type DocId } from '../domain/ids';
import type { DocStore } from '../storage/doc-store';
import type { DocStoreKeys } from '../storage/doc-keys';
import type { Storage } from '../storage/storage';
import { readCheckpoint } from '../sync/checkpoints';
import { SignalingClient } from '../sync/signaling-client';
import { SyncMesh } from '../sync/mesh';
import { ObservedStorage } from '../sync/observed-storage';
import type { IncomingProgress } from '../sync/peer-sync';
import type { Presence } from '../sync/salon-exchange';
import { SyncNode, syncedAtKey, type StoredFromPeer } from '../sync/sync-node';
import { refreshOpenCards } from './card.svelte';
import { rebuildSummaries, SummaryQueue } from './summary-rebuild';
import { clientList } from './clients.svelte';

/** Where sync stands: off (locked or demo), paused by the user, or running. */
export type SyncStatus = 'off' | 'paused' | 'running';

/** What sync needs of an unlocked salon (SalonSession), or of a device still joining (JoiningSalon). */
export interface SyncHost {
	readonly isDemo: boolean;
	readonly storage: Storage;
	readonly store: DocStore;
	readonly deviceId: string;
	readonly syncKeys: DocStoreKeys | null;
	readonly syncSecret: Uint8Array;
	/** The salon's relay and ICE servers, once its salon doc is here. */
	readonly network?: NetworkSettings;
	/** Where a joined device meets the others before its salon doc arrives. */
	readonly info?: { relayUrl: string };
	readonly keyring?: Keyring;
	mergeKeyring?(received: Keyring): Promise<void>;
	onKeyringSaved?(listener: () => void): () => void;
	readonly profile?: { timeZone: string };
	readonly staff?: { name: string };
	readonly thisDevice?: { name: string } | null;
}

/** The relay at this page's origin (ws: or wss: to match the page). */
export function defaultRelayUrl(): string | null {
	const location = globalThis.location;
	if (!location?.host) return null;
	return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/signal`;
}

/** The relay a host uses: the salon's setting, else the invite's, else the one beside the app. */
export function relayUrlOf(host: Pick<SyncHost, 'network' | 'info'>): string | null {
	return host.network?.relayUrl || host.info?.relayUrl || defaultRelayUrl();
}

function toIceServers(servers: IceServerSetting[]): RTCIceServer[] {
	return servers.map((s) => (s.username ? { urls: s.url, username: s.username, credential: s.credential } : { urls: s.url }));
}

const PROGRESS_EVERY_MS = 100;

/** Peer sync of the open salon. */
export class SyncState {
	status = $state<SyncStatus>('off');
	/** Device ids with an open link now. */
	onlinePeers = $state<string[]>([]);
	isRelayConnected = $state(false);
	/** Docs and cards peers announced and how many arrived (the first-sync progress bar); null when none. */
	progress = $state<IncomingProgress | null>(null);
	/** Which card each linked device has open, by device id. */
	presences = $state<Record<string, Presence>>({});
	/** When each device last left this one with nothing pending (ms), by device id. */
	lastSynced = $state<Record<string, number>>({});
	/** Set when a peer's salon doc change was stored: the session re-reads staff, settings, devices. */
	onSalonChanged: (() => void) | null = null;
	#parts: { node: SyncNode; signaling: SignalingClient; mesh: SyncMesh; host: SyncHost; stopKeyring: () => void } | null = null;
	#generation = 0;
	#reloadTimer: ReturnType<typeof setTimeout> | null = null;
	#salonTimer: ReturnType<typeof setTimeout> | null = null;
	#progressTimer: ReturnType<typeof setTimeout> | null = null;
	/** Cards peers changed, waiting for their summaries; one per start(). */
	#summaryQueue: SummaryQueue | null = null;
	#openClientId: string | null = null;

	/** Starts syncing (after unlock); a later call replaces the earlier run. */
	async start(host: SyncHost, options: { relayUrl?: string; iceServers?: RTCIceServer[] } = {}): Promise<void> {
		this.stop();
		const url = options.relayUrl ?? relayUrlOf(host);
		if (host.isDemo || !url || !(host.storage instanceof ObservedStorage) || typeof RTCPeerConnection === 'undefined') return;
		const storage = host.storage;
		const generation = this.#generation;
		const node = await SyncNode.create({
			deviceId: host.deviceId,
			storage,
			store: host.store,
			keys: () => host.syncKeys,
			syncSecret: host.syncSecret,
			onDocsStored: (docs) => this.#onDocsStored(host, storage, docs),
			keyring: host.mergeKeyring && host.keyring ? { read: async () => host.keyring ?? null, merge: (k) => host.mergeKeyring!(k) } : undefined,
			onPresence: (peerId, presence) => this.#onPresence(peerId, presence),
			onProgress: () => this.#scheduleProgress(),
			onSynced: (peerId, at) => (this.lastSynced = { ...this.lastSynced, [peerId]: at })
		});
		const signaling = await SignalingClient.create({ url, syncSecret: host.syncSecret });
		if (generation !== this.#generation) {
			node.dispose();
			signaling.close();
			return;
		}
		const iceServers = options.iceServers ?? toIceServers(host.network?.iceServers ?? []);
		const mesh = new SyncMesh({ deviceId: host.deviceId, signaling, iceServers, connect: (t) => void node.connect(t) });
		mesh.onChange(() => (this.onlinePeers = mesh.onlinePeers));
		signaling.onStatus((isConnected) => (this.isRelayConnected = isConnected));
		const stopKeyring = host.onKeyringSaved?.(() => node.sendKeyring()) ?? (() => {});
		this.#parts = { node, signaling, mesh, host, stopKeyring };
		this.isRelayConnected = signaling.isConnected;
		this.#sendPresence();
		mesh.resume();
		this.status = 'running';
	}

	/** Cuts every link and stops linking until resume() (for "apart and back"). */
	pause(): void {
		if (!this.#parts || this.status !== 'running') return;
		this.#parts.mesh.pause();
		this.status = 'paused';
	}

	/** Links to peers again after pause(). */
	resume(): void {
		if (!this.#parts || this.status !== 'paused') return;
		this.#parts.mesh.resume();
		this.status = 'running';
	}

	/** Stops syncing (hard lock, leaving the salon). */
	stop(): void {
		this.#generation += 1;
		for (const timer of [this.#reloadTimer, this.#salonTimer, this.#progressTimer]) if (timer) clearTimeout(timer);
		this.#reloadTimer = this.#salonTimer = this.#progressTimer = null;
		this.#summaryQueue?.clear();
		this.#summaryQueue = null;
		const parts = this.#parts;
		this.#parts = null;
		if (parts) {
			parts.stopKeyring();
			parts.mesh.close();
			// The mesh's "leave" is sealed asynchronously: let it go out, or peers keep dialling this device.
			void parts.signaling.flush().finally(() => parts.signaling.close());
			parts.node.dispose();
		}
		this.status = 'off';
		this.onlinePeers = [];
		this.isRelayConnected = false;
		this.progress = null;
		this.presences = {};
	}

	/** This device can read more now (the clinical key is back): peers offer what it deferred. */
	rescan(): void {
		this.#parts?.node.rescan();
	}

	/** Tells the other devices which card is open here (null: none). */
	setOpenCard(clientId: string | null): void {
		this.#openClientId = clientId;
		this.#sendPresence();
	}

	/** Sends presence again (the signed-in staff member or this device's name changed). */
	refreshPresence(): void {
		this.#sendPresence();
	}

	/** Whether the summaries of every doc received so far are rebuilt (a joining device waits for this). */
	get isSettled(): boolean {
		return (this.#summaryQueue?.isSettled ?? true) && !this.#reloadTimer;
	}

	/** When each device last synced with this one, read from storage (also for devices offline now). */
	async loadLastSynced(storage: { getMeta<T>(key: string): Promise<T | undefined> }, deviceIds: string[]): Promise<void> {
		const entries = await Promise.all(deviceIds.map(async (id) => [id, await storage.getMeta<number>(syncedAtKey(id))] as const));
		const known = Object.fromEntries(entries.filter((e): e is readonly [string, number] => typeof e[1] === 'number'));
		this.lastSynced = { ...known, ...this.lastSynced };
	}

	/** How many docs changed here since each device last stored this device's changes. */
	async pendingFor(storage: Storage, deviceIds: string[]): Promise<Record<string, number>> {
		const result: Record<string, number> = {};
		for (const id of deviceIds) {
			const checkpoint = await readCheckpoint(storage, id);
			const changed = new Set<string>((await storage.changedSince(checkpoint.seq)).map((c) => c.docId));
			for (const docId of checkpoint.pending) changed.add(docId);
			result[id] = changed.size;
		}
		return result;
	}

	/** Tests and status screens: what the node knows of each connected peer. */
	get peerStatus() {
		return this.#parts?.node.peers ?? [];
	}

	#sendPresence(): void {
		const host = this.#parts?.host;
		if (!host?.staff) return;
		this.#parts!.node.setPresence({ deviceName: host.thisDevice?.name ?? '', staffName: host.staff.name, clientId: this.#openClientId });
	}

	#onPresence(peerId: string, presence: Presence | null): void {
		const next = { ...this.presences };
		if (presence) next[peerId] = presence;
		else delete next[peerId];
		this.presences = next;
	}

	#scheduleProgress(): void {
		if (this.#progressTimer) return;
		const generation = this.#generation;
		this.#progressTimer = setTimeout(() => {
			this.#progressTimer = null;
			if (generation === this.#generation) this.progress = this.#parts?.node.progress ?? null;
		}, PROGRESS_EVERY_MS);
	}

	#onDocsStored(host: SyncHost, storage: ObservedStorage, docs: StoredFromPeer[]): void {
		const generation = this.#generation;
		if (docs.some((d) => d.docId === SALON_DOC_ID)) {
			if (this.#salonTimer) clearTimeout(this.#salonTimer);
			this.#salonTimer = setTimeout(() => {
				this.#salonTimer = null;
				if (generation === this.#generation) this.onSalonChanged?.();
			}, 150);
		}
		this.#summaryQueue ??= new SummaryQueue(async (clientIds, contents) => {
			if (generation !== this.#generation) return;
			const timeZone = host.profile?.timeZone ?? DEFAULT_TIME_ZONE;
			const report = (id: ClientId, error: unknown) => console.warn('summary rebuild failed', id, error);
			await rebuildSummaries(host.store, storage, clientIds, timeZone, (id) => clientList.get(id), report, contents).catch((error) => console.warn('summary rebuild failed', error));
			for (const id of clientIds) await refreshOpenCards(id).catch((error) => report(id, error));
			if (generation === this.#generation) this.#scheduleListReload(host.store);
		});
		this.#summaryQueue.add(docs);
	}

	// A first sync stores many docs in a row: the client list is re-read once they settle.
	#scheduleListReload(store: DocStore): void {
		if (this.#reloadTimer) clearTimeout(this.#reloadTimer);
		const generation = this.#generation;
		this.#reloadTimer = setTimeout(() => {
			this.#reloadTimer = null;
			if (generation === this.#generation && clientList.isLoaded) void clientList.load(store).catch((error) => console.warn('client list reload failed', error));
		}, 150);
	}
}

/** The app's one sync state. */
export const sync = new SyncState();
