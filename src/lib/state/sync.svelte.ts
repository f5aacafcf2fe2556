// What the UI sees of peer sync, and its lifecycle: started by the session after unlock, stopped
// on hard lock. Guarantees: a demo salon never syncs; stop() closes the relay connection, every
// link and the SyncNode's storage listener; a start() overtaken by stop() or another start()
// tears down what it built instead of leaving a second mesh running.
import { profileSummary } from '../doc/profile-doc';
import { parseDocId, profileDocId, type DocId } from '../domain/ids';
import { SignalingClient } from '../sync/signaling-client';
import { SyncMesh } from '../sync/mesh';
import { ObservedStorage } from '../sync/observed-storage';
import { SyncNode } from '../sync/sync-node';
import { refreshOpenCards } from './card.svelte';
import { clientList } from './clients.svelte';
import type { SalonSession } from './salon-session';

/** Where sync stands: off (locked or demo), paused by the user, or running. */
export type SyncStatus = 'off' | 'paused' | 'running';

/** The relay at this page's origin (ws: or wss: to match the page). */
export function defaultRelayUrl(): string | null {
	const location = globalThis.location;
	if (!location?.host) return null;
	return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/signal`;
}

/** Peer sync of the open salon. */
export class SyncState {
	status = $state<SyncStatus>('off');
	/** Device ids with an open link now. */
	onlinePeers = $state<string[]>([]);
	isRelayConnected = $state(false);
	#parts: { node: SyncNode; signaling: SignalingClient; mesh: SyncMesh } | null = null;
	#generation = 0;
	#reloadTimer: ReturnType<typeof setTimeout> | null = null;
	#summaries: Promise<void> = Promise.resolve();

	/** Starts syncing the salon (after unlock); a later call replaces the earlier run. */
	async start(salon: SalonSession, options: { relayUrl?: string; iceServers?: RTCIceServer[] } = {}): Promise<void> {
		this.stop();
		const url = options.relayUrl ?? defaultRelayUrl();
		if (salon.isDemo || !url || !(salon.storage instanceof ObservedStorage) || typeof RTCPeerConnection === 'undefined') return;
		const generation = this.#generation;
		const node = await SyncNode.create({
			deviceId: salon.deviceId,
			storage: salon.storage,
			store: salon.store,
			keys: () => salon.syncKeys,
			syncSecret: salon.syncSecret,
			onDocStored: (docId) => this.#onDocStored(salon, docId)
		});
		const signaling = await SignalingClient.create({ url, syncSecret: salon.syncSecret });
		if (generation !== this.#generation) {
			node.dispose();
			signaling.close();
			return;
		}
		const mesh = new SyncMesh({ deviceId: salon.deviceId, signaling, iceServers: options.iceServers, connect: (t) => void node.connect(t) });
		mesh.onChange(() => (this.onlinePeers = mesh.onlinePeers));
		signaling.onStatus((isConnected) => (this.isRelayConnected = isConnected));
		this.#parts = { node, signaling, mesh };
		this.isRelayConnected = signaling.isConnected;
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
		if (this.#reloadTimer) clearTimeout(this.#reloadTimer);
		this.#reloadTimer = null;
		const parts = this.#parts;
		this.#parts = null;
		if (parts) {
			parts.mesh.close();
			parts.signaling.close();
			parts.node.dispose();
		}
		this.status = 'off';
		this.onlinePeers = [];
		this.isRelayConnected = false;
	}

	// A profile a peer changed needs its summary rebuilt here (summaries never travel), as a merge does.
	#onDocStored(salon: SalonSession, docId: DocId): void {
		const { kind, clientId } = parseDocId(docId);
		if (kind !== 'profile' || !clientId) return;
		const generation = this.#generation;
		this.#summaries = this.#summaries
			.then(async () => {
				if (generation !== this.#generation) return;
				const doc = await salon.store.load(profileDocId(clientId));
				try {
					// Visit dates come from the clinical doc, which this rebuild does not open: keep the shown ones.
					const previous = clientList.get(clientId);
					const summary = { ...profileSummary(doc, clientId), lastVisit: previous?.lastVisit ?? null, nextVisit: previous?.nextVisit ?? null };
					await salon.store.putSummary(clientId, summary);
				} finally {
					doc.destroy();
				}
				await refreshOpenCards(clientId);
				this.#scheduleListReload(salon);
			})
			.catch((error) => console.warn('summary rebuild failed', error));
	}

	// A first sync stores many docs in a row: the client list is re-read once they settle.
	#scheduleListReload(salon: SalonSession): void {
		if (this.#reloadTimer) clearTimeout(this.#reloadTimer);
		const generation = this.#generation;
		this.#reloadTimer = setTimeout(() => {
			this.#reloadTimer = null;
			if (generation === this.#generation) void clientList.load(salon.store).catch((error) => console.warn('client list reload failed', error));
		}, 150);
	}

	/** Tests and status screens: what the node knows of each connected peer. */
	get peerStatus() {
		return this.#parts?.node.peers ?? [];
	}
}

/** The app's one sync state. */
export const sync = new SyncState();
