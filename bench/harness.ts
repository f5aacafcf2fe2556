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
import { clinicalDocId, profileDocId, SALON_DOC_ID, type ClientId, type DocId, type SalonId } from '../src/lib/domain/ids';
import { ClientSearchIndex } from '../src/lib/domain/search';
import { makeClientProfile, makeRandom } from '../src/lib/domain/synthetic';
import { readProfile } from '../src/lib/doc/profile-doc';
import { listStaff } from '../src/lib/doc/salon-doc';
import { createClient, saveProfile, type Author } from '../src/lib/state/card-service';
import { nameDocKey } from '../src/lib/storage/doc-keys';
import { nameSalonDatabase } from '../src/lib/storage/dexie-storage';
import { DocStore } from '../src/lib/storage/doc-store';
import type { Storage } from '../src/lib/storage/storage';
import { ALLERGENS, type AllergenId } from '../src/lib/domain/clinical/allergens';
import { productsOf, type Product, type Treatment } from '../src/lib/domain/clinical/catalogue';
import type { ConsentKind, Signature } from '../src/lib/domain/clinical/consent';
import type { ProductId, TreatmentId, VisitId } from '../src/lib/domain/clinical/ids';
import { CONDITIONS, MEDICATION_FLAGS, PROCEDURE_KINDS, type ConditionId, type HealthInterview, type Medication, type PastProcedure, type PatchTest } from '../src/lib/domain/clinical/interview';
import { evaluateFromSummary, evaluateRules } from '../src/lib/domain/clinical/rules';
import { SEED_PRODUCTS, SEED_TREATMENTS } from '../src/lib/domain/clinical/seed-catalogue';
import { summariseClinical, type ClinicalSummary } from '../src/lib/domain/clinical/summary';
import { emptyCheck, type PreTreatmentCheck, type Visit } from '../src/lib/domain/clinical/visit';
import type { ChangeAuthor } from '../src/lib/doc/profile-doc';
import {
	addInterview,
	completeVisit,
	listInterviews,
	listLifestyle,
	listPatchTests,
	listSkinAssessments,
	listVisits,
	startVisit,
	type InterviewInput
} from '../src/lib/doc/clinical-doc';
import { listConsents } from '../src/lib/doc/consents-doc';
import { hasBlocking } from '../src/lib/domain/clinical/warning';
import { CardDocs } from '../src/lib/state/card-docs';
import { captureUpdate } from '../src/lib/state/card-service';
import { envelopeBytes, readAllRaw } from './raw-db';
import { syncApi } from './sync-harness';

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

/** Adds the cards of seeds `from`..`to` (inclusive) to a seeded salon, `batch` at a time (the peer-sync bench grows its salon). */
async function seedMore(opts: { salonId: string; passphrase: string; from: number; to: number; batch: number; noteBytes: number }) {
	const { storage, store } = await openSalon(opts.salonId, opts.passphrase);
	const salonDoc = await store.load(SALON_DOC_ID);
	const owner = listStaff(salonDoc).find((s) => s.role === 'owner')!;
	salonDoc.destroy();
	const author: Author = { staff: owner.id, staffName: owner.name, device: deviceId() };
	const t0 = now();
	for (let start = opts.from; start <= opts.to; start += opts.batch) {
		const seeds = Array.from({ length: Math.min(opts.batch, opts.to - start + 1) }, (_, i) => start + i);
		await Promise.all(seeds.map((s) => createClient(store, makeBenchProfile(s, opts.noteBytes), author)));
	}
	const seedMs = now() - t0;
	await storage.close();
	return { seedMs };
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

// ---------------------------------------------------------------------------------------------
// Issue 6: clinical cards (interviews and visits written through the real doc functions) and the
// rule engine over a whole salon's clinical summaries.

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const MEDICATIONS: Array<{ name: string; flags: Medication['flags'] }> = [
	{ name: 'Izotretynoina (Aknenormin)', flags: ['oral-retinoid'] },
	{ name: 'Acenokumarol', flags: ['anticoagulant'] },
	{ name: 'Doksycyklina', flags: ['antibiotic', 'photosensitising'] },
	{ name: 'Ibuprofen', flags: ['nsaid'] },
	{ name: 'Retinol 0,5% krem', flags: ['topical-acid-retinol'] },
	{ name: 'Euthyrox', flags: [] },
	{ name: 'Witamina D3', flags: [] }
];
const AREAS = ['twarz', 'twarz i szyja', 'szyja i dekolt', 'okolice oczu', 'łydki', 'pachy', 'dłonie'];

function makeSignature(random: () => number): Signature {
	const strokes: Signature['strokes'] = [];
	for (let s = 0, n = 3 + Math.floor(random() * 3); s < n; s++) {
		let x = 20 + random() * 200;
		let y = 40 + random() * 60;
		const stroke: Array<[number, number]> = [];
		for (let i = 0, m = 30 + Math.floor(random() * 30); i < m; i++) {
			x += random() * 6 - 1;
			y += random() * 8 - 4;
			stroke.push([Math.round(x), Math.round(y)]);
		}
		strokes.push(stroke as Signature['strokes'][number]);
	}
	const sha256 = Array.from({ length: 64 }, () => Math.floor(random() * 16).toString(16)).join('');
	return { strokes, sha256 };
}

/** A signed interview's content with a few conditions, allergies, medications and procedures. */
function makeInterviewContent(random: () => number, atMs: number): Omit<InterviewInput, 'signature' | 'statementConfirmed'> {
	const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
	const conditions = CONDITIONS.filter((c) => random() < (c === 'pregnancy-breastfeeding' ? 0.03 : 0.06)) as ConditionId[];
	const allergies = random() < 0.3
		? Array.from({ length: 1 + Math.floor(random() * 2) }, () => {
				const a = pick(ALLERGENS);
				return { allergen: a.id as AllergenId, text: a.label.pl, reaction: 'wysypka, świąd', severity: pick(['mild', 'moderate', 'severe', null] as const) };
			})
		: [];
	const medications: Medication[] = random() < 0.4
		? Array.from({ length: 1 + Math.floor(random() * 2) }, () => {
				const m = pick(MEDICATIONS);
				const r = random();
				const lastTaken = r < 0.4 ? 'ongoing' : r < 0.85 ? isoDay(atMs - Math.floor(random() * 500) * DAY_MS) : null;
				return { name: m.name, flags: [...m.flags], since: random() < 0.7 ? isoDay(atMs - 600 * DAY_MS) : null, lastTaken };
			})
		: [];
	const procedures: PastProcedure[] = Array.from({ length: Math.floor(random() * 3) }, () => ({
		kind: pick(PROCEDURE_KINDS),
		date: random() < 0.8 ? isoDay(atMs - Math.floor(random() * 400) * DAY_MS) : null,
		where: 'elsewhere' as const,
		note: 'w innym gabinecie'
	}));
	return { conditions, allergies, medications, procedures, notes: random() < 0.5 ? 'Skóra wrażliwa, skłonność do rumienia po zabiegach kwasowych.' : '' };
}

function makeCheck(random: () => number, atMs: number): PreTreatmentCheck {
	const tan = random() < 0.1;
	return {
		...emptyCheck(),
		newMedication: false,
		pregnancy: false,
		tanOrSun: tan,
		tanDate: tan ? isoDay(atMs - Math.floor(random() * 20) * DAY_MS) : null,
		herpesNow: random() < 0.02,
		procedureElsewhere: false,
		note: random() < 0.3 ? 'Bez zmian od ostatniej wizyty.' : ''
	};
}

/**
 * Writes `interviews` signed interviews and `visits` started-then-completed visits into the clinical
 * docs of the last `clients` cards, each save its own update appended as the app does (CardDocs:
 * load, captureUpdate, DocStore.append), warnings from evaluateRules kept with each visit (an
 * override reason when they block); then re-seals each card's summaries.
 */
async function seedClinicalCards(opts: { salonId: string; passphrase: string; clients: number; visits: number; interviews: number; concurrency: number }) {
	const { storage, store } = await openSalon(opts.salonId, opts.passphrase);
	const summaries = (await store.loadSummaries()).slice(-opts.clients);
	const salonDoc = await store.load(SALON_DOC_ID);
	const owner = listStaff(salonDoc).find((s) => s.role === 'owner')!;
	salonDoc.destroy();
	const author: Author = { staff: owner.id, staffName: owner.name, device: deviceId() };
	const tz = 'Europe/Warsaw';
	const products = SEED_PRODUCTS as Product[];
	let appends = 0;
	const t0 = now();
	await runPool(summaries, opts.concurrency, async (s, ci) => {
		const random = makeRandom(60_000 + ci);
		const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
		const docs = new CardDocs(store, s.clientId, tz);
		const profile = readProfile(await docs.loadProfile());
		const doc = await docs.loadClinical();
		const docId = clinicalDocId(s.clientId);
		const write = async (atMs: number, edit: (change: ChangeAuthor) => void) => {
			const update = captureUpdate(doc, () => edit({ ...author, at: new Date(atMs).toISOString() }));
			if (update) {
				await store.append(docId, update);
				appends++;
			}
		};
		const every = Math.ceil(opts.visits / opts.interviews);
		let t = Date.now() - (opts.visits * 28 + 30) * DAY_MS;
		let latest: HealthInterview | null = null;
		const patchTests: PatchTest[] = [];
		for (let v = 0; v < opts.visits; v++) {
			if (v % every === 0) {
				const content = makeInterviewContent(random, t);
				await write(t, (c) => void addInterview(doc, { ...content, statementConfirmed: true, signature: makeSignature(random) }, c));
				latest = listInterviews(doc)[0] ?? null;
				t += 20 * 60_000;
			}
			const treatment = pick(SEED_TREATMENTS) as Treatment;
			const used = productsOf(treatment, products);
			const check = makeCheck(random, t);
			const warnings = evaluateRules({
				treatment,
				products: used,
				today: isoDay(t),
				birthDate: profile.birthDate,
				check,
				interview: latest,
				patchTests,
				visits: listVisits(doc),
				consents: listConsents(docs.profile),
				timeZone: tz
			});
			let id!: VisitId;
			await write(t, (c) => {
				id = startVisit(
					doc,
					{
						staff: owner.id,
						treatmentId: treatment.id as TreatmentId,
						treatmentName: treatment.name.pl,
						procedureKind: treatment.procedureKind,
						check,
						warnings,
						overrideReason: hasBlocking(warnings) ? 'Konsultacja z lekarzem prowadzącym, klientka poinformowana o ryzyku i wyraża zgodę.' : null
					},
					c
				);
			});
			await write(t + (40 + Math.floor(random() * 50)) * 60_000, (c) => {
				completeVisit(
					doc,
					id,
					{
						area: pick(AREAS),
						products: used.map((p) => ({ productId: p.id as ProductId, name: p.name, batch: `LOT-${Math.floor(random() * 1e6).toString().padStart(6, '0')}`, expiry: isoDay(t + 400 * DAY_MS) })),
						parameters: { 'czas ekspozycji': `${3 + Math.floor(random() * 8)} min`, 'głębokość igieł': `${(0.25 + random()).toFixed(2)} mm` },
						notes: 'Zabieg bez powikłań, skóra dobrze przygotowana. Klientka zrelaksowana.',
						reaction: pick(REACTIONS),
						satisfaction: 1 + Math.floor(random() * 5),
						recommendations: `${pick(ADVICE)}, ${pick(ADVICE)}`,
						nextVisit: isoDay(t + 28 * DAY_MS)
					},
					c
				);
			});
			t += (14 + Math.floor(random() * 28)) * DAY_MS;
		}
		const sums = docs.summaries(s.profile as ClientSummary);
		await store.putSummary(s.clientId, sums.profile, sums.clinical);
		docs.close();
	});
	const seedMs = now() - t0;
	await store.waitForCompactions();
	await storage.close();
	return { clientIds: summaries.map((s) => s.clientId), appends, seedMs };
}

/**
 * Opens each clinical card as the card page does, with a fresh DocStore per round (cold key cache
 * as after unlock): DocStore.load of the profile doc + readProfile + listConsents, then DocStore.load
 * of the clinical doc + every section (listInterviews, listVisits, patch tests, skin, lifestyle).
 */
async function openClinicalCards(opts: { salonId: string; passphrase: string; clientIds: ClientId[]; rounds: number; visits: number; interviews: number }) {
	const totalMs: number[] = [];
	const clinicalMs: number[] = [];
	const clinicalLoadMs: number[] = [];
	for (let r = 0; r < opts.rounds; r++) {
		const { storage, store } = await openSalon(opts.salonId, opts.passphrase);
		for (const id of opts.clientIds) {
			const t0 = now();
			const profileDoc = await store.load(profileDocId(id));
			const profile = readProfile(profileDoc);
			listConsents(profileDoc);
			const t1 = now();
			const doc = await store.load(clinicalDocId(id));
			const t2 = now();
			const visits = listVisits(doc);
			const interviews = listInterviews(doc);
			listPatchTests(doc);
			listSkinAssessments(doc);
			listLifestyle(doc);
			const t3 = now();
			if (!profile.lastName || visits.length !== opts.visits || interviews.length !== opts.interviews) {
				throw new Error(`card ${id}: ${visits.length} visits, ${interviews.length} interviews`);
			}
			totalMs.push(t3 - t0);
			clinicalMs.push(t3 - t1);
			clinicalLoadMs.push(t2 - t1);
			profileDoc.destroy();
			doc.destroy();
		}
		await storage.close();
	}
	// Size of one such card's clinical doc, for the record.
	const { storage, store } = await openSalon(opts.salonId, opts.passphrase);
	const doc = await store.load(clinicalDocId(opts.clientIds[0]));
	const clinicalYjsBytes = Y.encodeStateAsUpdate(doc).byteLength;
	doc.destroy();
	await storage.close();
	return { cards: opts.clientIds.length, rounds: opts.rounds, totalMs, clinicalMs, clinicalLoadMs, clinicalYjsBytes };
}

interface RuleClient {
	summary: ClinicalSummary | null;
	birthDate: string | null;
	activeConsents: ConsentKind[];
}

/** A synthetic client's clinical summary, derived by summariseClinical from varied synthetic records. */
function makeRuleClient(seed: number, todayMs: number): RuleClient {
	const random = makeRandom(seed);
	const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
	let birthDate = makeClientProfile(seed).birthDate;
	if (random() < 0.03) birthDate = isoDay(todayMs - (14 + Math.floor(random() * 4)) * 365 * DAY_MS);
	const activeConsents: ConsentKind[] = ['treatment', 'health-data'];
	if (random() < 0.5) activeConsents.push('parent-for-minor');
	if (random() < 0.1) return { summary: null, birthDate, activeConsents };
	const interviews: HealthInterview[] = [];
	if (random() < 0.9) {
		const at = todayMs - Math.floor(random() * 400) * DAY_MS;
		interviews.push({ id: `iv-${seed}` as HealthInterview['id'], at: new Date(at).toISOString(), staff: 'staff-bench' as HealthInterview['staff'], ...makeInterviewContent(random, at), statementConfirmed: true, signature: { strokes: [[[1, 2]]], sha256: 'a'.repeat(64) } });
	}
	const visits: Visit[] = Array.from({ length: Math.floor(random() * 12) }, (_, i) => {
		const t = pick(SEED_TREATMENTS);
		const at = todayMs - Math.floor(random() * 700) * DAY_MS;
		return {
			id: `v-${seed}-${i}` as VisitId,
			started: { at: new Date(at).toISOString(), staff: 'staff-bench' as Visit['started']['staff'], treatmentId: t.id as TreatmentId, treatmentName: t.name.pl, procedureKind: t.procedureKind, check: makeCheck(random, at), warnings: [], overrideReason: null },
			completed: null
		};
	});
	const patchTests: PatchTest[] = SEED_PRODUCTS.filter(() => random() < 0.15).map((p) => ({
		id: `pt-${seed}-${p.id}` as PatchTest['id'],
		productId: p.id as ProductId,
		productName: p.name,
		date: isoDay(todayMs - Math.floor(random() * 300) * DAY_MS),
		result: pick(['passed', 'passed', 'passed', 'failed', 'not-read'] as const),
		staff: 'staff-bench' as PatchTest['staff'],
		notes: ''
	}));
	return { summary: summariseClinical({ interviews, visits, patchTests, timeZone: 'Europe/Warsaw' }), birthDate, activeConsents };
}

/** evaluateFromSummary of every seed treatment for every one of `clients` synthetic summaries, `runs` times. */
async function evaluateAllRules(opts: { clients: number; runs: number }) {
	const todayMs = Date.now();
	const today = isoDay(todayMs);
	const tb = now();
	const clients = Array.from({ length: opts.clients }, (_, i) => makeRuleClient(i + 1, todayMs));
	const buildMs = now() - tb;
	const treatments = SEED_TREATMENTS.map((treatment) => ({ treatment, products: productsOf(treatment, SEED_PRODUCTS as Product[]) }));
	const rules = treatments.reduce((n, t) => n + t.treatment.rules.length, 0);
	const runMs: number[] = [];
	let warnings = 0;
	let blockingPairs = 0;
	for (let r = 0; r < opts.runs; r++) {
		warnings = 0;
		blockingPairs = 0;
		const t0 = now();
		for (const c of clients) {
			for (const { treatment, products } of treatments) {
				const w = evaluateFromSummary(c.summary, { treatment, products, today, birthDate: c.birthDate, activeConsents: c.activeConsents });
				warnings += w.length;
				if (hasBlocking(w)) blockingPairs++;
			}
		}
		runMs.push(now() - t0);
	}
	return { clients: clients.length, treatments: treatments.length, rules, buildMs, runMs, warnings, blockingPairs, summaryBytes: utf8.encode(JSON.stringify(clients.map((c) => c.summary))).length / clients.length };
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

const api = {
	info,
	seed,
	seedMore,
	measureKdf,
	measureUnlockParts,
	openCards,
	searchPure,
	bulkReadAndBytes,
	docStoreLoadAll,
	edits,
	yIndexeddbBaseline,
	seedClinicalCards,
	openClinicalCards,
	evaluateAllRules,
	...syncApi
};

declare global {
	interface Window {
		kartotekaBench: typeof api;
	}
}

window.kartotekaBench = api;
document.getElementById('status')!.textContent = 'bench harness ready';
