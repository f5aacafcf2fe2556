// Test data for the backup suites: a small synthetic salon (keys, keyring, docs, summaries), a dump
// of everything a storage holds, and helpers to cut, reorder and damage backup files. Synthetic only.
import * as Y from 'yjs';
import type { KdfParams } from '../crypto/kdf';
import { createKeyring, createSalonKeys, type Keyring, type SalonKeys } from '../crypto/keyring';
import { clinicalDocId, newId, profileDocId, SALON_DOC_ID, type ClientId, type DocId, type SalonId } from '../domain/ids';
import { DocStore } from '../storage/doc-store';
import { MemoryStorage } from '../storage/memory-storage';
import type { Storage } from '../storage/storage';
import { recordUpdates } from '../storage/storage-fixtures';

/** The owner's staff passphrase in test salons. */
export const OWNER_PASSPHRASE = 'Magnolia przy Kwiatowej 12';
/** The backup passphrase used by the tests. */
export const BACKUP_PASSPHRASE = 'kopia zapasowa salonu Magnolia';

const NAMES = ['Anna Nowak', 'Katarzyna Wiśniewska', 'Zofia Wójcik', 'Maria Kowalczyk', 'Agnieszka Kamińska', 'Ewa Lewandowska'];

/** Small key-derivation params with a fresh salt, so tests stay fast. */
export function fastKdf(): KdfParams {
	return { algorithm: 'PBKDF2-SHA-256', iterations: 1000, salt: crypto.getRandomValues(new Uint8Array(16)) };
}

/** A salon on one device: its storage, unlocked keys and doc store. */
export interface TestSalon {
	salonId: SalonId;
	storage: Storage;
	keys: SalonKeys;
	store: DocStore;
	keyring: Keyring;
	recoveryKey: string;
	clients: ClientId[];
}

/** Sets a salon up like app.ts does (keyring first, then the salon doc) and adds `clientCount` clients. */
export async function makeTestSalon(clientCount = 3, storage: Storage = new MemoryStorage(), salonId = newId<SalonId>()): Promise<TestSalon> {
	const { keys, raw } = await createSalonKeys();
	const { keyring, recoveryKey } = await createKeyring(raw, { passphrase: OWNER_PASSPHRASE, role: 'owner' }, fastKdf());
	await storage.setMeta('keyring', keyring);
	const store = new DocStore(storage, keys, { onError: (e) => { throw e; } });
	await store.createDoc(SALON_DOC_ID, 'salon');
	await editDoc(store, SALON_DOC_ID, { name: 'Salon Magnolia', timeZone: 'Europe/Warsaw' });
	const salon: TestSalon = { salonId, storage, keys, store, keyring, recoveryKey, clients: [] };
	for (let i = 0; i < clientCount; i++) salon.clients.push(await addClient(store, NAMES[i % NAMES.length]));
	return salon;
}

/** Adds a client with a profile doc, a clinical doc and a summary; the profile gets a compacted snapshot. */
export async function addClient(store: DocStore, name: string): Promise<ClientId> {
	const id = newId<ClientId>();
	await store.createDoc(profileDocId(id), 'profile');
	await store.createDoc(clinicalDocId(id), 'clinical');
	await editDoc(store, profileDocId(id), { name, phone: '+48 600 100 200' });
	await store.compact(profileDocId(id));
	await editDoc(store, profileDocId(id), { email: `${id.slice(0, 8)}@example.pl` });
	await editDoc(store, clinicalDocId(id), { allergies: 'lateks' });
	await store.putSummary(id, { name }, { allergies: ['lateks'] });
	return id;
}

/** Sets fields on map 'm' of a doc in one transaction and appends the update. */
export async function editDoc(store: DocStore, docId: DocId, fields: Record<string, unknown>): Promise<void> {
	const doc = await store.load(docId);
	const updates = recordUpdates(doc);
	doc.transact(() => {
		for (const [k, v] of Object.entries(fields)) doc.getMap('m').set(k, v);
	});
	for (const u of updates) await store.append(docId, u);
	doc.destroy();
}

/** What a doc says, as JSON. */
export async function readContent(store: DocStore, docId: DocId): Promise<unknown> {
	const doc: Y.Doc = await store.load(docId);
	const json = doc.getMap('m').toJSON();
	doc.destroy();
	return json;
}

/** Everything a storage holds; `withSeq` false leaves out local sequence numbers (they differ between devices). */
export async function dumpStorage(storage: Storage, withSeq = true): Promise<Record<string, unknown>> {
	const byId = (a: { docId: string }, b: { docId: string }) => (a.docId < b.docId ? -1 : 1);
	const registry = (await storage.listRegistry()).sort(byId);
	const docs: Record<string, unknown> = {};
	for (const { docId } of registry) {
		const d = await storage.readDoc(docId);
		docs[docId] = withSeq ? d : { snapshot: d.snapshot, stateVector: d.stateVector, updates: d.updates.map((u) => u.update) };
	}
	const summaries = (await storage.listSummaries()).sort((a, b) => (a.clientId < b.clientId ? -1 : 1));
	const dump: Record<string, unknown> = { keyring: await storage.getMeta('keyring'), registry, docs, summaries };
	if (withSeq) dump.lastSeq = await storage.lastSeq();
	return dump;
}

/** Collects every part a generator yields. */
export async function collect(parts: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
	const out: Uint8Array[] = [];
	for await (const p of parts) out.push(p);
	return out;
}

/** Joins parts into one file. */
export function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}

/** A file opener giving the bytes in parts of `partSize` (copies), as a browser stream would. */
export function openBytes(bytes: Uint8Array, partSize = 1000): () => AsyncIterable<Uint8Array> {
	return async function* () {
		for (let at = 0; at < bytes.length; at += partSize) yield bytes.slice(at, at + partSize);
	};
}

/** Splits a backup file into its header and its chunk frames. */
export function splitFile(bytes: Uint8Array): { header: Uint8Array; frames: Uint8Array[] } {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const headerLength = 24 + view.getUint32(20) + 32;
	const frames: Uint8Array[] = [];
	for (let at = headerLength; at < bytes.length; ) {
		const end = at + 17 + view.getUint32(at);
		frames.push(bytes.slice(at, end));
		at = end;
	}
	return { header: bytes.slice(0, headerLength), frames };
}

/** A copy of `bytes` with one bit flipped at `offset`. */
export function flipBit(bytes: Uint8Array, offset: number): Uint8Array {
	const out = bytes.slice();
	out[offset] ^= 0x10;
	return out;
}
