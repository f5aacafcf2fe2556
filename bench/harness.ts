// The in-browser half of `npm run bench`: seeds a real (non-demo) salon through the app's own code
// (createSalon, createClient: DocStore.createDoc + append + putSummary) and times the storage,
// crypto and search paths. scripts/bench.mjs calls these through `window.kartotekaBench`; every
// function returns raw timings (ms) and the Node side computes percentiles and writes the results.
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { createSalon, deviceId, KEYRING_META, openSalonStorage } from '../src/lib/app';
import { calibrateKdf, measureKdfMs } from '../src/lib/crypto/kdf';
import { unlockWithPassphrase, type Keyring } from '../src/lib/crypto/keyring';
import { importDataKey, openEnvelope, type DataKey, type Envelope } from '../src/lib/crypto/envelope';
import type { ClientProfile, ClientSummary } from '../src/lib/domain/client';
import { profileDocId, SALON_DOC_ID, type ClientId, type DocId, type SalonId } from '../src/lib/domain/ids';
import { ClientSearchIndex } from '../src/lib/domain/search';
import { makeClientProfile, makeRandom } from '../src/lib/domain/synthetic';
import { readProfile } from '../src/lib/doc/profile-doc';
import { listStaff } from '../src/lib/doc/salon-doc';
import { createClient, saveProfile, type Author } from '../src/lib/state/card-service';
import { nameDocKey } from '../src/lib/storage/doc-keys';
import { nameSalonDatabase } from '../src/lib/storage/dexie-storage';
import { DocStore } from '../src/lib/storage/doc-store';
import type { Storage } from '../src/lib/storage/storage';

const now = () => performance.now();
const utf8 = new TextEncoder();

// ---------------------------------------------------------------------------------------------
// Synthetic card content: makeClientProfile plus a long note of visit-like lines standing in for
// the visits of the (not yet built) clinical doc, so each profile doc is about 10 KB of Yjs state.

const TREATMENTS = [
	'Peeling kawitacyjny', 'Mezoterapia mikroigłowa', 'Oczyszczanie wodorowe', 'Kwas migdałowy 40%',
	'Masaż twarzy Kobido', 'Henna brwi i rzęs', 'Laminacja brwi', 'Mikrodermabrazja diamentowa',
	'Zabieg nawilżający z kwasem hialuronowym', 'Depilacja woskiem — łydki', 'Manicure hybrydowy',
	'Radiofrekwencja mikroigłowa', 'Peeling enzymatyczny', 'Ampułka z witaminą C'
];
const REACTIONS = [
	'bez reakcji', 'lekki rumień ustąpił po 20 min', 'uczucie ściągnięcia, zalecono krem barierowy',
	'drobne zaczerwienienie w strefie T', 'pieczenie 2/10, zabieg dokończony', 'skóra dobrze zniosła zabieg'
];
const ADVICE = [
	'SPF 50 przez 14 dni', 'bez retinoidów przez 7 dni', 'unikać sauny i basenu 48 h', 'krem łagodzący 2× dziennie',
	'kontrola za 4 tygodnie', 'nie drapać, nie złuszczać', 'nawilżanie, dużo wody', 'kolejny zabieg z serii za 14 dni'
];


/** A deterministic note of visit-like lines, at least `targetBytes` of UTF-8. */
export function makeLongNote(seed: number, targetBytes: number): string {
	const random = makeRandom(seed);
	const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
	const lines: string[] = [];
	let bytes = 0;
	let day = Date.UTC(2019, 0, 1) + Math.floor(random() * 200) * 86_400_000;
	while (bytes < targetBytes) {
		day += (7 + Math.floor(random() * 50)) * 86_400_000;
		const date = new Date(day).toISOString().slice(0, 10);
		const batch = `LOT-${Math.floor(random() * 1e6).toString().padStart(6, '0')}`;
		const line =
			`${date} — ${pick(TREATMENTS)}, partia ${batch}, czas ${20 + Math.floor(random() * 70)} min; ` +
			`reakcja: ${pick(REACTIONS)}. Zalecenia: ${pick(ADVICE)}, ${pick(ADVICE)}. ` +
			`Zadowolenie ${1 + Math.floor(random() * 5)}/5.`;
		lines.push(line);
		bytes += utf8.encode(line).length + 1;
	}
	return lines.join('\n');
}

/** The profile of synthetic card `seed`, with its long note. */
export function makeBenchProfile(seed: number, noteBytes: number): ClientProfile {
	return { ...makeClientProfile(seed), note: makeLongNote(seed, noteBytes) };
}

// ---------------------------------------------------------------------------------------------
// Opening the seeded salon the way the app does after a passphrase unlock.

interface Opened {
	storage: Storage;
	store: DocStore;
	keyring: Keyring;
	keys: { salon: DataKey; clinical: DataKey | null };
}

async function openSalon(salonId: string, passphrase: string, StoreClass: typeof DocStore = DocStore): Promise<Opened> {
	const storage = await openSalonStorage(salonId as SalonId);
	const keyring = await storage.getMeta<Keyring>(KEYRING_META);
	if (!keyring) throw new Error('keyring missing');
	const { keys } = await unlockWithPassphrase(keyring, passphrase);
	const roots = { salon: keys.salon, clinical: keys.clinical };
	return { storage, keyring, keys: roots, store: new StoreClass(storage, roots, { onError: (e) => console.error(e) }) };
}

async function runPool<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			await work(items[i], i);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

// ---------------------------------------------------------------------------------------------

/** Creates a real salon (calibrated KDF) and seeds `count` cards through createClient, `batch` at a time. */
async function seed(opts: { count: number; batch: number; noteBytes: number; passphrase: string }) {
	const t0 = now();
	const kdf = await calibrateKdf();
	const calibrateMs = now() - t0;
	const t1 = now();
	const { salon } = await createSalon({
		salonName: 'Salon Benchmark „Magnolia”',
		timeZone: 'Europe/Warsaw',
		ownerName: 'Beata Testowa',
		passphrase: opts.passphrase,
		pin: '2580',
		kdf
	});
	const createSalonMs = now() - t1;
	const author: Author = salon.author;
	const batchMs: number[] = [];
	const t2 = now();
	for (let start = 0; start < opts.count; start += opts.batch) {
		const b0 = now();
		const seeds = Array.from({ length: Math.min(opts.batch, opts.count - start) }, (_, i) => start + i + 1);
		// Profiles are built before the clock of the batch would matter less than the writes; keep them in.
		await Promise.all(seeds.map((s) => createClient(salon.store, makeBenchProfile(s, opts.noteBytes), author)));
		batchMs.push(now() - b0);
	}
	const seedMs = now() - t2;
	await salon.storage.close();
	return { salonId: salon.id, kdfIterations: kdf.iterations, calibrateMs, createSalonMs, seedMs, batchMs };
}

/** Key derivation with the salon's stored parameters, `runs` times. */
async function measureKdf(opts: { salonId: string; runs: number; calibrations: number }) {
	const storage = await openSalonStorage(opts.salonId as SalonId);
	const keyring = (await storage.getMeta<Keyring>(KEYRING_META))!;
	const runs: number[] = [];
	for (let i = 0; i < opts.runs; i++) runs.push(await measureKdfMs(keyring.kdf));
	await storage.close();
	// How steady calibration is: fresh calibrateKdf() results and what each then costs.
	const calibrations: Array<{ iterations: number; ms: number }> = [];
	for (let i = 0; i < opts.calibrations; i++) {
		const params = await calibrateKdf();
		calibrations.push({ iterations: params.iterations, ms: await measureKdfMs(params) });
	}
	return { iterations: keyring.kdf.iterations, runs, calibrations };
}

/** The steps of an unlock as Session does them, timed one by one (no UI). */
async function measureUnlockParts(opts: { salonId: string; passphrase: string }) {
	const t: Record<string, number> = {};
	let m = now();
	const lap = (name: string) => {
		const n = now();
		t[name] = n - m;
		m = n;
	};
	const storage = await openSalonStorage(opts.salonId as SalonId);
	const keyring = (await storage.getMeta<Keyring>(KEYRING_META))!;
	lap('openStorageAndKeyring');
	const { keys } = await unlockWithPassphrase(keyring, opts.passphrase);
	lap('unlockWithPassphrase');
	const store = new DocStore(storage, { salon: keys.salon, clinical: keys.clinical });
	(await store.load(SALON_DOC_ID)).destroy();
	lap('loadSalonDoc');
	const rows = await store.loadSummaries();
	lap('loadSummaries');
	const index = new ClientSearchIndex(rows.map((r) => r.profile as ClientSummary));
	lap('buildIndex');
	const first = index.search('').slice(0, 200);
	lap('firstSearchWithSort');
	await storage.close();
	return { ...t, summaries: rows.length, shown: first.length };
}

/** Opens `count` random cards one after another with a fresh DocStore (cold key cache, as after unlock). */
async function openCards(opts: { salonId: string; passphrase: string; count: number; seed: number }) {
	const { storage, store } = await openSalon(opts.salonId, opts.passphrase);
	const summaries = await store.loadSummaries();
	const random = makeRandom(opts.seed);
	const ids: ClientId[] = [];
	const used = new Set<number>();
	while (ids.length < Math.min(opts.count, summaries.length)) {
		const i = Math.floor(random() * summaries.length);
		if (used.has(i)) continue;
		used.add(i);
		ids.push(summaries[i].clientId);
	}
	const loadMs: number[] = [];
	const readMs: number[] = [];
	for (const id of ids) {
		const t0 = now();
		const doc = await store.load(profileDocId(id));
		const t1 = now();
		const profile = readProfile(doc);
		const t2 = now();
		if (!profile.lastName) throw new Error(`card ${id} has no last name`);
		loadMs.push(t1 - t0);
		readMs.push(t2 - t0);
		doc.destroy();
	}
	await storage.close();
	return { loadMs, totalMs: readMs };
}

/** ClientSearchIndex.search for every prefix of `queries`, `rounds` times. */
async function searchPure(opts: { salonId: string; passphrase: string; queries: string[]; rounds: number }) {
	const { storage, store } = await openSalon(opts.salonId, opts.passphrase);
	const rows = await store.loadSummaries();
	await storage.close();
	const t0 = now();
	const index = new ClientSearchIndex(rows.map((r) => r.profile as ClientSummary));
	const buildMs = now() - t0;
	const t1 = now();
	index.search('');
	const firstSortMs = now() - t1;
	const keystrokeMs: number[] = [];
	const hits: Record<string, number> = {};
	for (let r = 0; r < opts.rounds; r++) {
		for (const q of opts.queries) {
			for (let i = 1; i <= q.length; i++) {
				const prefix = q.slice(0, i);
				const s = now();
				const result = index.search(prefix);
				keystrokeMs.push(now() - s);
				if (i === q.length) hits[q] = result.length;
			}
		}
	}
	return { size: index.size, buildMs, firstSortMs, keystrokeMs, hits };
}

interface RawRecord {
	[key: string]: unknown;
}

function readAllRaw(dbName: string): Promise<Record<string, RawRecord[]>> {
	return new Promise((resolve, reject) => {
		const req = indexedDB.open(dbName);
		req.onerror = () => reject(req.error);
		req.onsuccess = () => {
			const db = req.result;
			const names = [...db.objectStoreNames];
			const tx = db.transaction(names, 'readonly');
			const out: Record<string, RawRecord[]> = {};
			for (const name of names) {
				const r = tx.objectStore(name).getAll();
				r.onsuccess = () => (out[name] = r.result as RawRecord[]);
			}
			tx.oncomplete = () => {
				db.close();
				resolve(out);
			};
			tx.onerror = () => reject(tx.error);
		};
	});
}

function envelopeBytes(e: unknown): { sealed: number; ciphertext: number } {
	if (!e || typeof e !== 'object') return { sealed: 0, ciphertext: 0 };
	const env = e as Envelope;
	const ct = env.ciphertext.byteLength;
	return { sealed: ct + env.iv.byteLength + utf8.encode(env.keyId).length, ciphertext: ct };
}

// Per-doc Yjs bytes kept between calls, so the y-indexeddb baseline writes exactly the same docs.
let plainDocs: Array<{ docId: DocId; update: Uint8Array }> | null = null;

/**
 * Reads every stored record of the salon in bulk (raw IndexedDB getAll), unwraps every doc key from
 * the registry and decrypts every profile-doc update: what a new device or a full rebuild would do.
 * Then sums stored envelope bytes per card and compares with Y.encodeStateAsUpdate of each card.
 */
async function bulkReadAndBytes(opts: { salonId: string; passphrase: string }) {
	const { storage, keys } = await openSalon(opts.salonId, opts.passphrase);
	await storage.close();
	const t0 = now();
	const raw = await readAllRaw(nameSalonDatabase(opts.salonId));
	const readMs = now() - t0;
	const t1 = now();
	const registry = raw.registry as unknown as Array<{ docId: DocId; kind: string; wrappedKey: Envelope | null }>;
	const docKeys = new Map<DocId, DataKey>();
	await Promise.all(
		registry.map(async (entry) => {
			if (!entry.wrappedKey) return;
			const wrapping = entry.kind === 'clinical' ? keys.clinical! : keys.salon;
			const rawKey = await openEnvelope(wrapping, entry.wrappedKey, { docId: entry.docId, kind: 'doc-key' });
			docKeys.set(entry.docId, await importDataKey(nameDocKey(entry.docId), rawKey));
			rawKey.fill(0);
		})
	);
	const unwrapMs = now() - t1;
	const t2 = now();
	const updates = raw.updates as unknown as Array<{ seq: number; docId: DocId; update: Envelope }>;
	const byDoc = new Map<DocId, Uint8Array[]>();
	const opened = await Promise.all(
		updates.map((u) => openEnvelope(docKeys.get(u.docId)!, u.update, { docId: u.docId, kind: 'update' }))
	);
	updates.forEach((u, i) => {
		const list = byDoc.get(u.docId) ?? [];
		list.push(opened[i]);
		byDoc.set(u.docId, list);
	});
	const decryptMs = now() - t2;
	const bulkMs = now() - t0;

	// Plain Yjs size of every card: applied into a Y.Doc and re-encoded, one at a time.
	const t3 = now();
	const docs: Array<{ docId: DocId; update: Uint8Array }> = [];
	let yjsBytes = 0;
	for (const [docId, parts] of byDoc) {
		if (!docId.startsWith('client:')) continue;
		const doc = new Y.Doc();
		doc.transact(() => parts.forEach((p) => Y.applyUpdate(doc, p)));
		const update = Y.encodeStateAsUpdate(doc);
		doc.destroy();
		yjsBytes += update.byteLength;
		docs.push({ docId, update });
	}
	const applyAllMs = now() - t3;
	plainDocs = docs;

	// Stored bytes per card: every record that belongs to a client (both docs, keys, summary).
	const isClientDoc = (id: unknown) => typeof id === 'string' && id !== SALON_DOC_ID;
	const sum = { updates: 0, snapshots: 0, stateVectors: 0, docKeys: 0, summaries: 0, ciphertextOfUpdates: 0 };
	for (const u of updates) {
		if (!isClientDoc(u.docId)) continue;
		const b = envelopeBytes(u.update);
		sum.updates += b.sealed;
		sum.ciphertextOfUpdates += b.ciphertext;
	}
	for (const d of raw.docs as unknown as Array<{ docId: string; snapshot: unknown; stateVector: unknown }>) {
		if (!isClientDoc(d.docId)) continue;
		sum.snapshots += envelopeBytes(d.snapshot).sealed;
		sum.stateVectors += envelopeBytes(d.stateVector).sealed;
	}
	for (const r of registry) if (isClientDoc(r.docId)) sum.docKeys += envelopeBytes(r.wrappedKey).sealed;
	for (const s of raw.summaries as unknown as Array<{ profile: unknown; clinical: unknown }>) {
		sum.summaries += envelopeBytes(s.profile).sealed + envelopeBytes(s.clinical).sealed;
	}
	const cards = docs.length;
	const storedTotal = sum.updates + sum.snapshots + sum.stateVectors + sum.docKeys + sum.summaries;
	const estimate = await navigator.storage.estimate();
	return {
		cards,
		records: Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.length])),
		readMs,
		unwrapMs,
		decryptMs,
		bulkMs,
		applyAllMs,
		yjsBytesPerCard: yjsBytes / cards,
		storedBytesPerCard: storedTotal / cards,
		storedBreakdownPerCard: Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, v / cards])),
		originUsageBytes: estimate.usage ?? null
	};
}

/** DocStore.load of every profile doc, `concurrency` at a time, with a fresh DocStore. */
async function docStoreLoadAll(opts: { salonId: string; passphrase: string; concurrency: number }) {
	const { storage, store } = await openSalon(opts.salonId, opts.passphrase);
	const ids = (await storage.listRegistry()).filter((e) => e.kind === 'profile' && !e.tombstone).map((e) => e.docId);
	const t0 = now();
	let bytes = 0;
	await runPool(ids, opts.concurrency, async (docId) => {
		const doc = await store.load(docId);
		bytes += doc.share.size; // touch the doc; the bytes are counted in bulkReadAndBytes
		doc.destroy();
	});
	const ms = now() - t0;
	await storage.close();
	return { docs: ids.length, ms, touched: bytes };
}

/** Wraps DocStore so a save can tell when its update (not yet its summary) is stored. */
class TimedDocStore extends DocStore {
	appendDoneAt = 0;
	override async append(docId: DocId, update: Uint8Array): Promise<number> {
		const seq = await super.append(docId, update);
		this.appendDoneAt = now();
		return seq;
	}
}

/** `count` saves spread over `cards` open cards: address changes and a line added to the note. */
async function edits(opts: { salonId: string; passphrase: string; count: number; cards: number }) {
	const { storage, store } = await openSalon(opts.salonId, opts.passphrase, TimedDocStore);
	const timed = store as TimedDocStore;
	const summaries = (await store.loadSummaries()).slice(0, opts.cards);
	const salonDoc = await store.load(SALON_DOC_ID);
	const owner = listStaff(salonDoc).find((s) => s.role === 'owner')!;
	salonDoc.destroy();
	const author: Author = { staff: owner.id, staffName: owner.name, device: deviceId() };
	const open = await Promise.all(
		summaries.map(async (s) => {
			const doc = await store.load(profileDocId(s.clientId));
			return { id: s.clientId, doc, current: readProfile(doc) };
		})
	);
	const toAppendMs: number[] = [];
	const toSummaryMs: number[] = [];
	for (let e = 0; e < opts.count; e++) {
		const card = open[e % open.length];
		const patch: Partial<ClientProfile> =
			e % 2 === 0
				? { address: `ul. Ogrodowa ${1 + (e % 97)}, Kraków` }
				: { note: `${card.current.note}\n${new Date().toISOString().slice(0, 10)} — kontrola po zabiegu ${e}, bez uwag.` };
		const t0 = now();
		const { fields } = await saveProfile(store, card.id, card.doc, patch, author, card.current);
		const t1 = now();
		if (fields.length === 0) throw new Error('edit changed nothing');
		toAppendMs.push(timed.appendDoneAt - t0);
		toSummaryMs.push(t1 - t0);
		card.current = readProfile(card.doc);
	}
	await store.waitForCompactions();
	for (const c of open) c.doc.destroy();
	await storage.close();
	return { toAppendMs, toSummaryMs };
}

function whenSynced(p: IndexeddbPersistence): Promise<void> {
	return new Promise((resolve) => {
		if (p.synced) resolve();
		else p.once('synced', () => resolve());
	});
}

/** The y-indexeddb baseline: the same cards' Yjs bytes, one database per doc, written then loaded. */
async function yIndexeddbBaseline(opts: { concurrency: number; prefix: string }) {
	if (!plainDocs) throw new Error('run bulkReadAndBytes first');
	const docs = plainDocs;
	const before = (await navigator.storage.estimate()).usage ?? 0;
	const t0 = now();
	await runPool(docs, opts.concurrency, async ({ update }, i) => {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, update);
		const p = new IndexeddbPersistence(`${opts.prefix}${i}`, doc);
		await whenSynced(p);
		await p.destroy();
		doc.destroy();
	});
	const writeMs = now() - t0;
	const after = (await navigator.storage.estimate()).usage ?? 0;
	const t1 = now();
	let mismatches = 0;
	await runPool(docs, opts.concurrency, async ({ update }, i) => {
		const doc = new Y.Doc();
		const p = new IndexeddbPersistence(`${opts.prefix}${i}`, doc);
		await whenSynced(p);
		if (i % 500 === 0 && Y.encodeStateAsUpdate(doc).byteLength !== update.byteLength) mismatches++;
		await p.destroy();
		doc.destroy();
	});
	const loadMs = now() - t1;
	return { docs: docs.length, writeMs, loadMs, usageDeltaBytes: after - before, mismatches };
}

async function info() {
	return {
		userAgent: navigator.userAgent,
		hardwareConcurrency: navigator.hardwareConcurrency,
		deviceMemory: (navigator as { deviceMemory?: number }).deviceMemory ?? null,
		crossOriginIsolated: globalThis.crossOriginIsolated,
		timerResolutionMs: measureTimerResolution()
	};
}

function measureTimerResolution(): number {
	let smallest = Infinity;
	for (let i = 0; i < 200; i++) {
		const a = performance.now();
		let b = performance.now();
		while (b === a) b = performance.now();
		smallest = Math.min(smallest, b - a);
	}
	return smallest;
}

const api = { info, seed, measureKdf, measureUnlockParts, openCards, searchPure, bulkReadAndBytes, docStoreLoadAll, edits, yIndexeddbBaseline };

declare global {
	interface Window {
		kartotekaBench: typeof api;
	}
}

window.kartotekaBench = api;
document.getElementById('status')!.textContent = 'bench harness ready';
