// The in-browser half of the peer-sync benchmark (issue 5). scripts/bench-sync.mjs opens this page
// in two separate Chromium instances (device A with the seeded salon, device B a new device of the
// same salon) and calls these through `window.kartotekaBench`. A device is wired as
// src/lib/state/sync.svelte.ts wires one: ObservedStorage under the DocStore, SyncNode.create
// ({deviceId, storage, store, keys, syncSecret, onDocsStored}), SignalingClient.create against the
// relay at /signal, and a SyncMesh whose links go to node.connect; a card doc stored from a peer
// gets its summaries rebuilt, as the app does. Left out: the UI parts (client list, open cards,
// progress, presence) and the keyring exchange (the bench's keyring never changes).
//
// Also here: a plain RTCPeerConnection with one reliable data channel between the same two
// browsers, the baseline "raw data-channel time for the same bytes". Times are epoch milliseconds
// (performance.timeOrigin + performance.now()), so the Node side can compare the two browsers;
// rawClockOffset measures how far apart their clocks are.
import type * as Y from 'yjs';
import { KEYRING_META, deviceId as appDeviceId, openSalonStorage } from '../src/lib/app';
import { unlockWithPassphrase, type Keyring } from '../src/lib/crypto/keyring';
import type { ClientProfile } from '../src/lib/domain/client';
import { parseDocId, profileDocId, SALON_DOC_ID, type ClientId, type DocId, type SalonId } from '../src/lib/domain/ids';
import { DEFAULT_TIME_ZONE } from '../src/lib/domain/dates';
import { readProfile } from '../src/lib/doc/profile-doc';
import { listStaff } from '../src/lib/doc/salon-doc';
import { rebuildSummaries, SummaryQueue } from '../src/lib/state/summary-rebuild';
import { saveProfile, type Author } from '../src/lib/state/card-service';
import { nameSalonDatabase } from '../src/lib/storage/dexie-storage';
import type { DocStoreKeys } from '../src/lib/storage/doc-keys';
import { DocStore } from '../src/lib/storage/doc-store';
import { SyncMesh } from '../src/lib/sync/mesh';
import { ObservedStorage } from '../src/lib/sync/observed-storage';
import { SignalingClient } from '../src/lib/sync/signaling-client';
import { SyncNode } from '../src/lib/sync/sync-node';
import type { Transport } from '../src/lib/sync/transport';
import type { Storage } from '../src/lib/storage/storage';
import { envelopeBytes, readAllRaw } from './raw-db';

/** Wall-clock milliseconds with performance.now()'s resolution, comparable across browsers. */
const epoch = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Every RTCPeerConnection the sync layer makes is kept, so its data-channel byte counts and the
// selected candidate pair (which addresses carried the traffic) can be read from getStats().
// The wrapper only records; the connection behaves as the browser's own.

const NativePeerConnection = window.RTCPeerConnection;
const trackedConnections: Array<{ pc: RTCPeerConnection; config: RTCConfiguration | undefined; createdAt: number }> = [];

/** State changes of the sync layer's connections (bounded), to see why a link did not open. */
const connectionLog: Array<{ t: number; pc: number; event: string; state: string }> = [];

class TrackedPeerConnection extends NativePeerConnection {
	constructor(config?: RTCConfiguration) {
		super(config);
		const index = trackedConnections.length;
		trackedConnections.push({ pc: this, config, createdAt: epoch() });
		const note = (event: string, state: string) => {
			if (connectionLog.length < 2000) connectionLog.push({ t: epoch(), pc: index, event, state });
		};
		note('created', '');
		this.addEventListener('signalingstatechange', () => note('signaling', this.signalingState));
		this.addEventListener('iceconnectionstatechange', () => note('ice', this.iceConnectionState));
		this.addEventListener('icegatheringstatechange', () => note('gathering', this.iceGatheringState));
		this.addEventListener('connectionstatechange', () => note('connection', this.connectionState));
		this.addEventListener('icecandidate', (e) => note('candidate', e.candidate ? `${e.candidate.address ?? '?'} ${e.candidate.protocol ?? ''} ${e.candidate.type ?? ''}` : 'end'));
	}
}
window.RTCPeerConnection = TrackedPeerConnection;

interface ChannelStats {
	connections: number;
	/** ICE servers configured on any connection (must stay 0: no STUN/TURN). */
	iceServers: number;
	open: number;
	dataChannelBytesSent: number;
	dataChannelBytesReceived: number;
	dataChannelMessagesSent: number;
	dataChannelMessagesReceived: number;
	/** Transport bytes of the selected candidate pairs (DTLS/SCTP/UDP payload incl. overhead). */
	pairBytesSent: number;
	pairBytesReceived: number;
	/** Addresses of the selected candidate pairs, e.g. "127.0.0.1 host udp ↔ 127.0.0.1 host udp". */
	pairs: string[];
}

async function readChannelStats(connections: RTCPeerConnection[]): Promise<ChannelStats> {
	const out: ChannelStats = {
		connections: connections.length,
		iceServers: trackedConnections.reduce((n, c) => n + (c.config?.iceServers?.length ?? 0), 0),
		open: 0,
		dataChannelBytesSent: 0,
		dataChannelBytesReceived: 0,
		dataChannelMessagesSent: 0,
		dataChannelMessagesReceived: 0,
		pairBytesSent: 0,
		pairBytesReceived: 0,
		pairs: []
	};
	for (const pc of connections) {
		if (pc.connectionState !== 'connected') continue;
		out.open++;
		const report = await pc.getStats();
		const byId = new Map<string, Record<string, unknown>>();
		report.forEach((s: Record<string, unknown>) => byId.set(s.id as string, s));
		for (const s of byId.values()) {
			if (s.type === 'data-channel') {
				out.dataChannelBytesSent += Number(s.bytesSent ?? 0);
				out.dataChannelBytesReceived += Number(s.bytesReceived ?? 0);
				out.dataChannelMessagesSent += Number(s.messagesSent ?? 0);
				out.dataChannelMessagesReceived += Number(s.messagesReceived ?? 0);
			}
			if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') {
				const pair = byId.get(s.selectedCandidatePairId);
				if (!pair) continue;
				out.pairBytesSent += Number(pair.bytesSent ?? 0);
				out.pairBytesReceived += Number(pair.bytesReceived ?? 0);
				const describe = (id: unknown) => {
					const c = byId.get(id as string);
					return c ? `${c.address ?? c.ip ?? '?'} ${c.candidateType ?? '?'} ${c.protocol ?? '?'}` : '?';
				};
				out.pairs.push(`${describe(pair.localCandidateId)} ↔ ${describe(pair.remoteCandidateId)}`);
			}
		}
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Diagnostics (BENCH_SYNC_TRACE only, never in the reported figures): how long every Storage call
// and every WebCrypto call took from call to settled, and every frame on the sync link, so the
// Node side can tell where a sync spends its time. Wrappers only time; they change no result.

interface CallTime {
	count: number;
	totalMs: number;
	maxMs: number;
}

const callTimes: Record<string, CallTime> = {};
const frames: Array<[t: number, dir: 0 | 1, bytes: number]> = [];

function recordCall(name: string, ms: number): void {
	const c = (callTimes[name] ??= { count: 0, totalMs: 0, maxMs: 0 });
	c.count++;
	c.totalMs += ms;
	c.maxMs = Math.max(c.maxMs, ms);
}

function timed<T>(name: string, run: () => T): T {
	const t0 = performance.now();
	const result = run();
	if (result instanceof Promise) return result.finally(() => recordCall(name, performance.now() - t0)) as T;
	recordCall(name, performance.now() - t0);
	return result;
}

function traceStorage(inner: Storage): Storage {
	return new Proxy(inner, {
		get(target, prop) {
			const value = Reflect.get(target, prop, target) as unknown;
			if (typeof value !== 'function') return value;
			return (...args: unknown[]) => timed(`storage.${String(prop)}`, () => (value as (...a: unknown[]) => unknown).apply(target, args));
		}
	});
}

let isCryptoTraced = false;
function traceCrypto(): void {
	if (isCryptoTraced) return;
	isCryptoTraced = true;
	const proto = SubtleCrypto.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
	for (const name of ['encrypt', 'decrypt', 'importKey', 'sign', 'verify', 'deriveKey', 'deriveBits', 'digest']) {
		const original = proto[name];
		proto[name] = function (this: SubtleCrypto, ...args: unknown[]) {
			return timed(`crypto.${name}`, () => original.apply(this, args));
		};
	}
}

function traceTransport(transport: Transport): Transport {
	return {
		send(bytes) {
			frames.push([epoch(), 0, bytes.byteLength]);
			transport.send(bytes);
		},
		whenWritable: () => timed('transport.whenWritable', () => transport.whenWritable()),
		onMessage(handler) {
			transport.onMessage((bytes) => {
				frames.push([epoch(), 1, bytes.byteLength]);
				handler(bytes);
			});
		},
		onClose: (handler) => transport.onClose(handler),
		close: (reason) => transport.close(reason),
		get isOpen() {
			return transport.isOpen;
		}
	};
}

/** Diagnostics since the last call: call times and the frames of the sync link (t, 0 sent / 1 received, bytes). */
function syncTrace() {
	const out = { calls: { ...callTimes }, frames: frames.splice(0) };
	for (const k of Object.keys(callTimes)) delete callTimes[k];
	return out;
}

// ---------------------------------------------------------------------------------------------
// Keyring transfer: a new device of the salon gets the keyring (ciphertext only) and nothing else.

/** JSON with Uint8Array values as {$u8: base64}. */
function encodeJson(value: unknown): string {
	return JSON.stringify(value, (_k, v: unknown) => {
		if (v instanceof Uint8Array) {
			let s = '';
			for (const b of v) s += String.fromCharCode(b);
			return { $u8: btoa(s) };
		}
		return v;
	});
}

function decodeJson<T>(text: string): T {
	return JSON.parse(text, (_k, v: unknown) => {
		if (v && typeof v === 'object' && typeof (v as { $u8?: unknown }).$u8 === 'string') {
			const s = atob((v as { $u8: string }).$u8);
			return Uint8Array.from(s, (c) => c.charCodeAt(0));
		}
		return v;
	}) as T;
}

/** Device A: the salon's keyring, serialised for another device. */
async function syncExportKeyring(opts: { salonId: string }): Promise<string> {
	const storage = await openSalonStorage(opts.salonId as SalonId);
	const keyring = await storage.getMeta<Keyring>(KEYRING_META);
	await storage.close();
	if (!keyring) throw new Error('keyring missing');
	return encodeJson(keyring);
}

/** Device B: writes the salon's keyring into an empty database of the same salon id. */
async function syncPrepareDevice(opts: { salonId: string; keyring: string }): Promise<{ records: Record<string, number> }> {
	const storage = new ObservedStorage(await openSalonStorage(opts.salonId as SalonId));
	const existing = await storage.listRegistry();
	if (existing.length > 0) throw new Error(`device B already holds ${existing.length} docs`);
	await storage.setMeta(KEYRING_META, decodeJson<Keyring>(opts.keyring));
	await storage.close();
	const raw = await readAllRaw(nameSalonDatabase(opts.salonId));
	return { records: Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.length])) };
}

// ---------------------------------------------------------------------------------------------
// One syncing device per page.

interface EditCard {
	id: ClientId;
	doc: Y.Doc;
	current: ClientProfile;
}

interface Device {
	salonId: string;
	deviceId: string;
	storage: ObservedStorage;
	store: DocStore;
	roots: DocStoreKeys | null;
	node: SyncNode;
	signaling: SignalingClient;
	mesh: SyncMesh;
	/** Every doc stored here because of a peer (onDocsStored), in order, with its time. */
	events: Array<{ docId: DocId; t: number }>;
	/** Every append to storage (local or from a peer), with its time. */
	appends: Array<{ docId: DocId; seq: number; t: number }>;
	/** Link changes: time and the peers online after it. */
	linkEvents: Array<{ t: number; peers: string[] }>;
	/** What the mesh and its links logged (the app passes no logger; this one only records). */
	meshLog: Array<{ t: number; reason: string; detail?: string }>;
	waiters: Set<() => void>;
	summaries: SummaryQueue;
	summariesDoneAt: number;
	summaryFailures: number;
	resumedAt: number;
	author: Author | null;
	editCards: EditCard[];
	logs: Record<string, number>;
}

let device: Device | null = null;

function requireDevice(): Device {
	if (!device) throw new Error('sync not started on this page');
	return device;
}

function notify(d: Device): void {
	for (const w of [...d.waiters]) w();
}

/** Resolves once `check` returns a value (checked now and at every stored doc), or rejects after timeoutMs. */
function waitUntil<T>(d: Device, check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
	return new Promise((resolve, reject) => {
		const first = check();
		if (first !== undefined) return resolve(first);
		const timer = setTimeout(() => {
			d.waiters.delete(waiter);
			reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
		}, timeoutMs);
		const waiter = () => {
			const value = check();
			if (value === undefined) return;
			clearTimeout(timer);
			d.waiters.delete(waiter);
			resolve(value);
		};
		d.waiters.add(waiter);
	});
}

/**
 * Starts syncing the salon on this page as the app does after an unlock, and waits until the relay
 * connection is open. With `resume` the mesh starts linking at once; otherwise syncResume() does.
 */
async function syncStart(opts: { salonId: string; passphrase: string; relayUrl: string; resume: boolean; deviceId?: string; rebuildSummaries?: boolean; trace?: boolean }) {
	if (device) throw new Error('sync already started on this page');
	const t0 = performance.now();
	const inner = await openSalonStorage(opts.salonId as SalonId);
	const storage = new ObservedStorage(opts.trace ? traceStorage(inner) : inner);
	const keyring = await storage.getMeta<Keyring>(KEYRING_META);
	if (!keyring) throw new Error('keyring missing');
	const { keys } = await unlockWithPassphrase(keyring, opts.passphrase);
	if (opts.trace) traceCrypto();
	const unlockMs = performance.now() - t0;
	const roots: DocStoreKeys = { salon: keys.salon, clinical: keys.clinical };
	const store = new DocStore(storage, roots, { onError: (e) => console.error('DocStore', e) });
	const id = opts.deviceId ?? appDeviceId();
	const logs: Record<string, number> = {};
	const d = {
		salonId: opts.salonId,
		deviceId: id,
		storage,
		store,
		roots,
		events: [],
		appends: [],
		linkEvents: [],
		meshLog: [],
		waiters: new Set(),
		summariesDoneAt: 0,
		summaryFailures: 0,
		resumedAt: 0,
		author: null,
		editCards: [],
		logs
	} as unknown as Device;
	d.summaries = makeSummaryQueue(d);
	storage.subscribe((change) => {
		if (change.type === 'append') d.appends.push({ docId: change.docId, seq: change.seq, t: epoch() });
	});
	const node = await SyncNode.create({
		deviceId: id,
		storage,
		store,
		// As SalonSession.syncKeys: null once stopped (hard lock).
		keys: () => (d.roots ? { salon: d.roots.salon, clinical: store.hasClinicalKey ? d.roots.clinical : null } : null),
		syncSecret: keys.syncSecret,
		log: (entry) => {
			const key = `${entry.level}:${entry.reason}`;
			logs[key] = (logs[key] ?? 0) + 1;
			if (entry.level === 'warn') console.warn('sync', entry.reason, entry.detail ?? '');
		},
		onDocsStored: (docs) => {
			const t = epoch();
			for (const { docId } of docs) d.events.push({ docId, t });
			if (opts.rebuildSummaries !== false) d.summaries.add(docs);
			notify(d);
		}
	});
	const signaling = await SignalingClient.create({ url: opts.relayUrl, syncSecret: keys.syncSecret });
	const connect = opts.trace ? (t: Transport) => void node.connect(traceTransport(t)) : (t: Transport) => void node.connect(t);
	// Signaling payloads this device received (kind, addressing, description type; never the SDP).
	signaling.onPayload((p) => {
		const description = p.description as { type?: string } | undefined;
		const what = description ? `description ${description.type}` : p.candidate ? 'candidate' : '';
		if (d.meshLog.length < 500) d.meshLog.push({ t: epoch(), reason: `payload ${String(p.kind)}`, detail: `from ${String(p.from).slice(0, 8)} to ${String(p.to ?? '').slice(0, 8)} conn ${String(p.conn ?? '')} toConn ${String(p.toConn ?? '')} ${what}` });
	});
	const meshLog = (reason: string, detail?: string) => {
		if (d.meshLog.length < 500) d.meshLog.push({ t: epoch(), reason, detail });
	};
	const mesh = new SyncMesh({ deviceId: id, signaling, iceServers: [], connect, log: meshLog });
	mesh.onChange(() => {
		d.linkEvents.push({ t: epoch(), peers: mesh.onlinePeers });
		notify(d);
	});
	Object.assign(d, { node, signaling, mesh });
	device = d;
	const deadline = performance.now() + 15_000;
	while (!signaling.isConnected) {
		if (performance.now() > deadline) throw new Error('relay not reachable');
		await sleep(5);
	}
	if (opts.resume) syncResume();
	return { deviceId: id, unlockMs, relayMs: performance.now() - t0 - unlockMs };
}

// What SyncState#onDocsStored does (src/lib/state/sync.svelte.ts), minus the client list, open
// cards and the salon-doc callback: the cards of docs stored from a peer get their summaries
// rebuilt by the app's own SummaryQueue and rebuildSummaries, many cards at a time.
function makeSummaryQueue(d: Device): SummaryQueue {
	return new SummaryQueue(async (clientIds, contents) => {
		const onError = (_: ClientId, error: Error) => {
			d.summaryFailures++;
			console.warn('summary rebuild failed', error);
		};
		await rebuildSummaries(d.store, d.storage, clientIds, DEFAULT_TIME_ZONE, undefined, onError, contents).catch((error) => {
			d.summaryFailures += clientIds.length;
			console.warn('summary rebuild failed', error);
		});
		d.summariesDoneAt = epoch();
	});
}

/** Starts linking (mesh.resume); returns the epoch time just before. */
function syncResume(): number {
	const d = requireDevice();
	d.resumedAt = epoch();
	d.mesh.resume();
	return d.resumedAt;
}

/** Cuts every link and stops linking (mesh.pause); returns the epoch time. */
function syncPause(): number {
	const d = requireDevice();
	d.mesh.pause();
	return epoch();
}

/** Stops syncing and closes the database. */
async function syncStop(): Promise<void> {
	const d = device;
	if (!d) return;
	device = null;
	// The app's SyncState.stop() closes the signaling client right after the mesh, which drops the
	// mesh's 'leave' (published asynchronously), so peers keep retrying a gone device. Between
	// measurements the bench lets the leave go out first, so device A does not.
	d.mesh.pause();
	await sleep(300);
	d.mesh.close();
	d.signaling.close();
	d.node.dispose();
	d.roots = null;
	while (!d.summaries.isSettled) await sleep(5);
	await d.store.waitForCompactions();
	for (const c of d.editCards) c.doc.destroy();
	await d.storage.close();
}

/** Device A: every doc id that holds data, i.e. what a new device must end up storing. */
async function syncExpectedDocs(opts: { salonId: string }): Promise<DocId[]> {
	const raw = await readAllRaw(nameSalonDatabase(opts.salonId));
	const withData = new Set<string>();
	for (const u of raw.updates) withData.add(u.docId as string);
	for (const doc of raw.docs) if (doc.snapshot) withData.add(doc.docId as string);
	return (raw.registry as Array<{ docId: DocId; tombstone: boolean }>).filter((e) => !e.tombstone && withData.has(e.docId)).map((e) => e.docId);
}

/**
 * Waits until every doc of `docIds` was stored here from a peer after `since` (epoch ms); returns
 * the time of the first and of the last of them.
 */
async function syncWaitStored(opts: { docIds: DocId[]; since: number; timeoutMs: number }) {
	const d = requireDevice();
	const want = new Set(opts.docIds);
	const seen = new Map<DocId, number>();
	let scanned = 0;
	return waitUntil(
		d,
		() => {
			for (; scanned < d.events.length; scanned++) {
				const e = d.events[scanned];
				if (e.t >= opts.since && want.has(e.docId) && !seen.has(e.docId)) seen.set(e.docId, e.t);
			}
			if (seen.size < want.size) return undefined;
			const times = [...seen.values()];
			return { count: seen.size, firstAt: Math.min(...times), lastAt: Math.max(...times), events: d.events.length };
		},
		opts.timeoutMs,
		`${want.size} docs (stored so far: ${seen.size})`
	).catch((e: Error) => {
		throw new Error(`${e.message}; stored ${seen.size} of ${want.size}, logs ${JSON.stringify(d.logs)}`);
	});
}

/** The first doc stored here from a peer at or after event index `from` for `docId`. */
async function syncWaitEvent(opts: { docId: DocId; from: number; timeoutMs: number }) {
	const d = requireDevice();
	return waitUntil(
		d,
		() => {
			for (let i = opts.from; i < d.events.length; i++) if (d.events[i].docId === opts.docId) return { index: i, t: d.events[i].t };
			return undefined;
		},
		opts.timeoutMs,
		`doc ${opts.docId}`
	);
}

/** How many docs were stored here from peers so far. */
function syncEventCount(): number {
	return requireDevice().events.length;
}

/** Resolves once `count` peers are online (open links); returns the epoch time. */
async function syncWaitPeers(opts: { count: number; timeoutMs: number }): Promise<number> {
	const d = requireDevice();
	return waitUntil(d, () => (d.mesh.onlinePeers.length === opts.count ? epoch() : undefined), opts.timeoutMs, `${opts.count} peers online`);
}

/** Polls node.isIdle; resolves with the epoch time it became idle once it stayed idle for `stableMs`. */
async function syncWaitIdle(opts: { stableMs: number; timeoutMs: number }): Promise<number> {
	const d = requireDevice();
	const deadline = performance.now() + opts.timeoutMs;
	let idleSince = 0;
	for (;;) {
		const t = epoch();
		if (d.node.isIdle && d.node.peers.length > 0) {
			if (!idleSince) idleSince = t;
			if (t - idleSince >= opts.stableMs) return idleSince;
		} else idleSince = 0;
		if (performance.now() > deadline) throw new Error(`not idle within ${opts.timeoutMs} ms (peers ${d.node.peers.length})`);
		await sleep(2);
	}
}

/** Waits until every summary rebuild queued so far is done; returns when the last one finished. */
async function syncWaitSummaries(): Promise<{ doneAt: number; failures: number }> {
	const d = requireDevice();
	while (!d.summaries.isSettled) await sleep(5);
	return { doneAt: d.summariesDoneAt, failures: d.summaryFailures };
}

/** What the node, the mesh and the browser's WebRTC stats say now. */
async function syncStats() {
	const d = requireDevice();
	const open = trackedConnections.map((c) => c.pc);
	return {
		deviceId: d.deviceId,
		peers: d.node.peers,
		onlinePeers: d.mesh.onlinePeers,
		isIdle: d.node.isIdle,
		events: d.events.length,
		appends: d.appends.length,
		linkEvents: d.linkEvents,
		meshLog: d.meshLog,
		connectionLog,
		logs: d.logs,
		channel: await readChannelStats(open)
	};
}

/** Stored bytes of the salon's database on this device (sealed envelopes by store) and record counts. */
async function syncStoredBytes(opts: { salonId: string }) {
	const raw = await readAllRaw(nameSalonDatabase(opts.salonId));
	const sum = { updates: 0, snapshots: 0, stateVectors: 0, docKeys: 0, summaries: 0 };
	for (const u of raw.updates) sum.updates += envelopeBytes(u.update).sealed;
	for (const doc of raw.docs) {
		sum.snapshots += envelopeBytes(doc.snapshot).sealed;
		sum.stateVectors += envelopeBytes(doc.stateVector).sealed;
	}
	for (const r of raw.registry) sum.docKeys += envelopeBytes(r.wrappedKey).sealed;
	for (const s of raw.summaries) sum.summaries += envelopeBytes(s.profile).sealed + envelopeBytes(s.clinical).sealed;
	const estimate = await navigator.storage.estimate();
	return {
		total: Object.values(sum).reduce((a, b) => a + b, 0),
		breakdown: sum,
		records: Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.length])),
		originUsageBytes: estimate.usage ?? null
	};
}

// ---------------------------------------------------------------------------------------------
// Edits on device A.

async function ensureAuthor(d: Device): Promise<Author> {
	if (d.author) return d.author;
	const salonDoc = await d.store.load(SALON_DOC_ID);
	const owner = listStaff(salonDoc).find((s) => s.role === 'owner')!;
	salonDoc.destroy();
	d.author = { staff: owner.id, staffName: owner.name, device: d.deviceId as Author['device'] };
	return d.author;
}

/** Opens the first `count` cards for syncEdit, as open cards in the app. */
async function syncOpenEditCards(opts: { count: number }): Promise<string[]> {
	const d = requireDevice();
	await ensureAuthor(d);
	const summaries = (await d.store.loadSummaries()).slice(0, opts.count);
	d.editCards = await Promise.all(
		summaries.map(async (s) => {
			const doc = await d.store.load(profileDocId(s.clientId));
			return { id: s.clientId, doc, current: readProfile(doc) };
		})
	);
	return d.editCards.map((c) => profileDocId(c.id));
}

/**
 * Edit `e` (saveProfile of one field, as the harness's `edits`: an address change or a line added to
 * the note) on one of the open cards, once the node is idle; returns when it started, when its
 * update was appended here and when the whole save (summary too) resolved.
 */
async function syncEdit(opts: { e: number; idleTimeoutMs: number }) {
	const d = requireDevice();
	const deadline = performance.now() + opts.idleTimeoutMs;
	while (!d.node.isIdle && performance.now() < deadline) await sleep(1);
	const wasIdle = d.node.isIdle;
	const card = d.editCards[opts.e % d.editCards.length];
	const patch: Partial<ClientProfile> =
		opts.e % 2 === 0
			? { address: `ul. Ogrodowa ${1 + (opts.e % 97)}/${opts.e + 1}, Kraków` } // never a seeded address (those have no '/')
			: { note: `${card.current.note}\n${new Date().toISOString().slice(0, 10)} — kontrola po zabiegu ${opts.e}, bez uwag.` };
	const docId = profileDocId(card.id);
	const appendsBefore = d.appends.length;
	const t0 = epoch();
	const { fields } = await saveProfile(d.store, card.id, card.doc, patch, d.author!, card.current);
	const savedAt = epoch();
	if (fields.length === 0) throw new Error('edit changed nothing');
	card.current = readProfile(card.doc);
	const appended = d.appends.slice(appendsBefore).find((a) => a.docId === docId);
	return { docId, t0, appendedAt: appended?.t ?? NaN, savedAt, wasIdle };
}

/** Changes one field (address, or a line added to the note) on each of `count` cards from card `offset`; returns their doc ids. */
async function syncEditMany(opts: { count: number; offset: number }) {
	const d = requireDevice();
	const author = await ensureAuthor(d);
	const summaries = (await d.store.loadSummaries()).slice(opts.offset, opts.offset + opts.count);
	if (summaries.length < opts.count) throw new Error(`only ${summaries.length} cards from ${opts.offset}`);
	const t0 = performance.now();
	const docIds: DocId[] = [];
	for (const [i, s] of summaries.entries()) {
		const doc = await d.store.load(profileDocId(s.clientId));
		try {
			const current = readProfile(doc);
			// Values the card cannot hold already (seeded addresses have no '/').
			const patch: Partial<ClientProfile> =
				i % 2 === 0 ? { address: `ul. Długa ${1 + (i % 120)}/${i + 1}, Gdańsk` } : { note: `${current.note}\nTelefon: przełożenie wizyty (${i}).` };
			const { fields } = await saveProfile(d.store, s.clientId, doc, patch, author, current);
			if (fields.length === 0) throw new Error('edit changed nothing');
			docIds.push(profileDocId(s.clientId));
		} finally {
			doc.destroy();
		}
	}
	return { docIds, ms: performance.now() - t0 };
}

// ---------------------------------------------------------------------------------------------
// The raw data-channel baseline: one RTCPeerConnection, one reliable ordered channel configured as
// the sync transport's (negotiated, id 0), 16 KiB binary messages with the transport's
// bufferedAmount backpressure (pause above 1 MiB, resume at bufferedamountlow = 256 KiB).

const RAW_HIGH_WATER = 1024 * 1024;
const RAW_LOW_WATER = 256 * 1024;

interface RawLink {
	pc: RTCPeerConnection;
	channel: RTCDataChannel;
	opened: Promise<void>;
	expect: number;
	received: number;
	messages: number;
	firstAt: number;
	done: Promise<number> | null;
	resolveDone: ((t: number) => void) | null;
	pongs: Array<(text: string) => void>;
}

let raw: RawLink | null = null;

function makeRawLink(): RawLink {
	rawClose();
	const pc = new NativePeerConnection({ iceServers: [] });
	const channel = pc.createDataChannel('bench-raw', { negotiated: true, id: 0, ordered: true });
	channel.binaryType = 'arraybuffer';
	channel.bufferedAmountLowThreshold = RAW_LOW_WATER;
	const link: RawLink = {
		pc,
		channel,
		opened: new Promise((resolve, reject) => {
			channel.onopen = () => resolve();
			channel.onerror = () => reject(new Error('raw channel error'));
		}),
		expect: 0,
		received: 0,
		messages: 0,
		firstAt: 0,
		done: null,
		resolveDone: null,
		pongs: []
	};
	channel.onmessage = (event: MessageEvent) => {
		if (typeof event.data === 'string') {
			const text = event.data;
			if (text.startsWith('p:')) channel.send(`q:${text.slice(2)}:${epoch()}`);
			else if (text.startsWith('q:')) link.pongs.shift()?.(text);
			return;
		}
		if (link.received === 0) link.firstAt = epoch();
		link.received += (event.data as ArrayBuffer).byteLength;
		link.messages++;
		if (link.expect > 0 && link.received >= link.expect && link.resolveDone) {
			link.resolveDone(epoch());
			link.resolveDone = null;
		}
	};
	raw = link;
	return link;
}

async function localDescriptionWhenGathered(pc: RTCPeerConnection): Promise<string> {
	await pc.setLocalDescription();
	if (pc.iceGatheringState !== 'complete') {
		await new Promise<void>((resolve) => {
			const timer = setTimeout(resolve, 5000);
			pc.addEventListener('icegatheringstatechange', () => {
				if (pc.iceGatheringState === 'complete') {
					clearTimeout(timer);
					resolve();
				}
			});
		});
	}
	return pc.localDescription!.sdp;
}

/** Offering side: a new raw link; returns its offer with every candidate in it. */
async function rawOffer(): Promise<string> {
	const link = makeRawLink();
	return localDescriptionWhenGathered(link.pc);
}

/** Answering side: a new raw link for `sdp`; returns the answer. */
async function rawAnswer(opts: { sdp: string }): Promise<string> {
	const link = makeRawLink();
	await link.pc.setRemoteDescription({ type: 'offer', sdp: opts.sdp });
	return localDescriptionWhenGathered(link.pc);
}

/** Offering side: takes the answer. */
async function rawAccept(opts: { sdp: string }): Promise<void> {
	await raw!.pc.setRemoteDescription({ type: 'answer', sdp: opts.sdp });
}

/** Resolves once the raw channel is open. */
async function rawWaitOpen(): Promise<void> {
	await raw!.opened;
}

/** The raw link's getStats: bytes and the selected candidate pair. */
function rawStats(): Promise<ChannelStats> {
	return readChannelStats([raw!.pc]);
}

/** Receiving side: expect `bytes` from now on. */
function rawExpect(opts: { bytes: number }): void {
	const link = raw!;
	link.expect = opts.bytes;
	link.received = 0;
	link.messages = 0;
	link.firstAt = 0;
	link.done = new Promise((resolve) => (link.resolveDone = resolve));
}

/** Receiving side: when the last expected byte arrived (epoch ms). */
async function rawResult(opts: { timeoutMs: number }) {
	const link = raw!;
	const doneAt = await Promise.race([link.done!, sleep(opts.timeoutMs).then(() => NaN)]);
	return { doneAt, firstAt: link.firstAt, received: link.received, messages: link.messages };
}

/** Sending side: `bytes` in `messageBytes` messages with backpressure; returns when it started. */
async function rawSend(opts: { bytes: number; messageBytes: number }) {
	const { channel } = raw!;
	const message = crypto.getRandomValues(new Uint8Array(opts.messageBytes));
	const startAt = epoch();
	let sent = 0;
	let waits = 0;
	while (sent < opts.bytes) {
		if (channel.bufferedAmount > RAW_HIGH_WATER) {
			waits++;
			await new Promise<void>((resolve) => channel.addEventListener('bufferedamountlow', () => resolve(), { once: true }));
		}
		const n = Math.min(opts.messageBytes, opts.bytes - sent);
		channel.send(n === message.byteLength ? message : message.subarray(0, n));
		sent += n;
	}
	return { startAt, queuedAt: epoch(), waits };
}

/**
 * Sending side: NTP-style clock comparison over the raw channel. Each round sends this page's time
 * t1, the other page answers with its time t2, the answer arrives at t3; the other clock is ahead
 * by t2 - (t1 + t3) / 2, within half the round trip. Returns the estimate of the shortest round.
 */
async function rawClockOffset(opts: { rounds: number }) {
	const link = raw!;
	const samples: Array<{ offset: number; rtt: number }> = [];
	for (let i = 0; i < opts.rounds; i++) {
		const answer = new Promise<string>((resolve) => link.pongs.push(resolve));
		const t1 = epoch();
		link.channel.send(`p:${t1}`);
		const text = await Promise.race([answer, sleep(2000).then(() => '')]);
		const t3 = epoch();
		const parts = text.split(':');
		if (parts.length !== 3) continue;
		const t2 = Number(parts[2]);
		samples.push({ offset: t2 - (t1 + t3) / 2, rtt: t3 - t1 });
		await sleep(5);
	}
	samples.sort((a, b) => a.rtt - b.rtt);
	return { best: samples[0] ?? null, samples };
}

/** Closes the raw link. */
function rawClose(): void {
	if (!raw) return;
	try {
		raw.channel.close();
		raw.pc.close();
	} catch {
		// already closed
	}
	raw = null;
}

export const syncApi = {
	syncExportKeyring,
	syncPrepareDevice,
	syncStart,
	syncResume,
	syncPause,
	syncStop,
	syncExpectedDocs,
	syncWaitStored,
	syncWaitEvent,
	syncEventCount,
	syncWaitPeers,
	syncWaitIdle,
	syncWaitSummaries,
	syncStats,
	syncStoredBytes,
	syncTrace,
	syncOpenEditCards,
	syncEdit,
	syncEditMany,
	rawOffer,
	rawAnswer,
	rawAccept,
	rawWaitOpen,
	rawStats,
	rawExpect,
	rawResult,
	rawSend,
	rawClockOffset,
	rawClose
};
