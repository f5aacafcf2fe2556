import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AppError } from '../domain/errors';
import { newId, type ClientId, type DocId } from '../domain/ids';
import type { Envelope } from '../crypto/envelope';
import { DocStore, type DocStoreKeys, type DocStoreOptions } from './doc-store';
import { MemoryStorage } from './memory-storage';
import type { Storage } from './storage';
import { expectReason, makeKeyEdits, makeTestDocId, makeTestKeys, recordUpdates } from './storage-fixtures';

// Synthetic, distinctive and long enough that it cannot appear in ciphertext by chance.
const SECRET = 'Grażyna Brzęczyszczykiewicz, alergia na lateks, tel. +48600100200';

async function setUp(options: DocStoreOptions = {}, keys?: DocStoreKeys) {
	const storage = new MemoryStorage();
	const k = keys ?? (await makeTestKeys());
	const errors: AppError[] = [];
	const store = new DocStore(storage, k, { onError: (e) => errors.push(e), ...options });
	return { storage, keys: k, store, errors };
}

async function appendAll(store: DocStore, docId: DocId, updates: Uint8Array[]): Promise<void> {
	for (const u of updates.splice(0)) await store.append(docId, u);
}

async function collectEnvelopes(storage: Storage): Promise<Envelope[]> {
	const envelopes: Envelope[] = [];
	for (const entry of await storage.listRegistry()) {
		if (entry.wrappedKey) envelopes.push(entry.wrappedKey);
		const stored = await storage.readDoc(entry.docId);
		const records = [stored.snapshot, stored.stateVector, ...stored.updates.map((u) => u.update)];
		for (const e of records) if (e) envelopes.push(e);
	}
	for (const s of await storage.listSummaries()) envelopes.push(s.profile, ...(s.clinical ? [s.clinical] : []));
	return envelopes;
}

function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
	outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
		for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
		return true;
	}
	return false;
}

describe('DocStore', () => {
	it('stores no plaintext: a distinctive string appears in no stored byte', async () => {
		const { storage, store } = await setUp({ compactAfterUpdates: 3 });
		const clientId = newId<ClientId>();
		const [profile, clinical] = [makeTestDocId('client', clientId), makeTestDocId('clinical', clientId)];
		await store.createDoc(profile, 'profile');
		await store.createDoc(clinical, 'clinical');
		for (const docId of [profile, clinical]) {
			const doc = new Y.Doc();
			const updates = recordUpdates(doc);
			doc.getText('note').insert(0, SECRET);
			doc.getMap('m').set('name', SECRET);
			for (let i = 0; i < 4; i++) doc.getMap('m').set(`k${i}`, SECRET);
			const needle = new TextEncoder().encode(SECRET);
			expect(updates.some((u) => containsBytes(u, needle))).toBe(true); // the search would see plaintext
			await appendAll(store, docId, updates);
		}
		await store.waitForCompactions();
		await store.putSummary(clientId, { name: SECRET }, { allergies: SECRET });

		const envelopes = await collectEnvelopes(storage);
		expect(envelopes.length).toBeGreaterThan(6);
		const needle = new TextEncoder().encode(SECRET.slice(0, 16));
		for (const e of envelopes) {
			expect(containsBytes(e.ciphertext, needle)).toBe(false);
			expect(e.keyId).not.toContain('Grażyna');
		}
		expect((await store.load(clinical)).getText('note').toString()).toBe(SECRET);
	});

	it('refuses to open a clinical doc without the clinical key', async () => {
		const { storage, keys, store } = await setUp();
		const docId = makeTestDocId('clinical');
		const profileId = makeTestDocId('client');
		await store.createDoc(docId, 'clinical');
		await store.createDoc(profileId, 'profile');
		await store.append(docId, makeKeyEdits(1, 'x').updates[0]);

		const reception = new DocStore(storage, { salon: keys.salon, clinical: null });
		await expectReason(reception.load(docId), 'locked');
		await expectReason(reception.append(docId, makeKeyEdits(1, 'y').updates[0]), 'locked');
		await expectReason(reception.createDoc(makeTestDocId('clinical'), 'clinical'), 'locked');
		await expect(reception.load(profileId)).resolves.toBeInstanceOf(Y.Doc);

		// The same store, once a role without clinical access takes over, drops its cached doc key too.
		store.forgetClinical();
		await expectReason(store.load(docId), 'locked');
		await expect(store.load(profileId)).resolves.toBeInstanceOf(Y.Doc);
		store.forget();
		await expectReason(store.load(profileId), 'locked');
	});

	it("fails with decrypt-failed when an envelope is moved into another doc's log or record", async () => {
		const { storage, store } = await setUp();
		const [a, b] = [makeTestDocId('client'), makeTestDocId('client')];
		await store.createDoc(a, 'profile');
		await store.createDoc(b, 'profile');
		await store.append(a, makeKeyEdits(1, 'a').updates[0]);
		const [moved] = (await storage.readDoc(a)).updates;
		await storage.appendUpdate(b, moved.update);
		await expectReason(store.load(b), 'decrypt-failed');

		// Same doc, same key, another record kind: the binding still refuses it.
		await storage.replaceSnapshot(a, moved.update, moved.update, 0);
		await expectReason(store.load(a), 'decrypt-failed');
	});

	it("skips and reports a summary moved to another client, keeping the rest of the list", async () => {
		const { storage, store, errors } = await setUp();
		const [x, y] = [newId<ClientId>(), newId<ClientId>()];
		await store.putSummary(x, { name: 'Anna Nowak' }, { allergies: ['lateks'] });
		const [sx] = await storage.listSummaries();
		await storage.putSummary({ clientId: y, profile: sx.profile, clinical: null });
		const opened = await store.loadSummaries();
		expect(opened).toEqual([{ clientId: x, profile: { name: 'Anna Nowak' }, clinical: { allergies: ['lateks'] } }]);
		expect(errors.map((e) => e.reason)).toEqual(['decrypt-failed']);
	});

	it('compacts at the update threshold, leaving fewer stored updates and the same doc', async () => {
		const { storage, keys, store } = await setUp({ compactAfterUpdates: 10, compactMinUpdates: 1000 });
		const docId = makeTestDocId('client');
		await store.createDoc(docId, 'profile');
		const { doc, updates } = makeKeyEdits(25, 'k');
		await appendAll(store, docId, updates.slice(0, 9));
		await store.waitForCompactions();
		expect((await storage.readDoc(docId)).updates).toHaveLength(9);

		await appendAll(store, docId, updates.slice(9, 10));
		await store.waitForCompactions();
		const compacted = await storage.readDoc(docId);
		expect(compacted.updates).toHaveLength(0);
		expect(compacted.snapshot).not.toBeNull();

		await appendAll(store, docId, updates.slice(10));
		await store.waitForCompactions();
		expect((await storage.readDoc(docId)).updates).toHaveLength(5);
		const loaded = await new DocStore(storage, keys).load(docId);
		expect(loaded.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
	});

	it('compacts early when the log outweighs the snapshot', async () => {
		const { storage, store } = await setUp({ compactAfterUpdates: 1000, compactMinUpdates: 4 });
		const docId = makeTestDocId('client');
		await store.createDoc(docId, 'profile');
		const { updates } = makeKeyEdits(4, 'k');
		await appendAll(store, docId, updates);
		await store.waitForCompactions();
		expect((await storage.readDoc(docId)).updates).toHaveLength(0);
	});

	it('keeps the stored state vector equal to the doc after compaction', async () => {
		const { store } = await setUp({ compactAfterUpdates: 1000 });
		const docId = makeTestDocId('client');
		await store.createDoc(docId, 'profile');
		expect(await store.stateVector(docId)).toEqual(Y.encodeStateVector(new Y.Doc()));
		const { doc, updates } = makeKeyEdits(5, 'k');
		await appendAll(store, docId, updates);
		await store.compact(docId);
		expect(await store.stateVector(docId)).toEqual(Y.encodeStateVector(doc));
	});

	it('creates a doc key once: creating an existing doc again keeps its data readable', async () => {
		const { store, storage, keys } = await setUp();
		const docId = makeTestDocId('client');
		await store.createDoc(docId, 'profile');
		const { doc, updates } = makeKeyEdits(2, 'k');
		await appendAll(store, docId, updates);
		await new DocStore(storage, keys).createDoc(docId, 'profile');
		expect((await new DocStore(storage, keys).load(docId)).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
		expect((await storage.getRegistryEntry(docId))?.wrappedKey?.keyId).toBe('salon/1');
	});

	it('refuses a doc kind that does not match the doc id', async () => {
		const { store } = await setUp();
		await expectReason(store.createDoc(makeTestDocId('clinical'), 'profile'), 'invalid-input');
		await expectReason(store.createDoc('nonsense' as DocId, 'profile'), 'invalid-input');
	});

	it('keeps the clinical summary part when reception rebuilds the profile part', async () => {
		const { storage, keys, store } = await setUp();
		const clientId = newId<ClientId>();
		await store.putSummary(clientId, { name: 'Ewa Kowalska' }, { allergies: ['nikiel'] });

		const reception = new DocStore(storage, { salon: keys.salon, clinical: null });
		expect(await reception.loadSummaries()).toEqual([{ clientId, profile: { name: 'Ewa Kowalska' }, clinical: null }]);
		await reception.putSummary(clientId, { name: 'Ewa Kowalska-Nowak' });
		await expectReason(reception.putSummary(clientId, { name: 'x' }, { allergies: [] }), 'locked');

		expect(await new DocStore(storage, keys).loadSummaries()).toEqual([
			{ clientId, profile: { name: 'Ewa Kowalska-Nowak' }, clinical: { allergies: ['nikiel'] } }
		]);
	});

	it('erases a client: its docs are refused and its summary is gone', async () => {
		const { storage, store } = await setUp();
		const clientId = newId<ClientId>();
		const [profile, clinical] = [makeTestDocId('client', clientId), makeTestDocId('clinical', clientId)];
		await store.createDoc(profile, 'profile');
		await store.createDoc(clinical, 'clinical');
		await store.append(profile, makeKeyEdits(1, 'k').updates[0]);
		await store.putSummary(clientId, { name: 'Jan Wiśniewski' }, { allergies: [] });
		await store.eraseDoc(clinical);
		await store.eraseDoc(profile);
		await expectReason(store.load(profile), 'tombstoned');
		await expectReason(store.append(clinical, makeKeyEdits(1, 'k').updates[0]), 'tombstoned');
		await expectReason(store.createDoc(profile, 'profile'), 'tombstoned');
		expect(await store.loadSummaries()).toEqual([]);
		expect((await storage.listRegistry()).every((e) => e.tombstone && e.wrappedKey === null)).toBe(true);
	});

	it('refuses bytes that are not a Yjs update, so the doc stays loadable', async () => {
		const { storage, store } = await setUp();
		const docId = makeTestDocId('client');
		await store.createDoc(docId, 'profile');
		await expectReason(store.append(docId, new Uint8Array([250, 251, 252, 253, 254, 255, 1, 2])), 'invalid-update');
		expect((await storage.readDoc(docId)).updates).toEqual([]);
		await expect(store.load(docId)).resolves.toBeInstanceOf(Y.Doc);
	});

	it('says not-found for a doc that was never created', async () => {
		const { store } = await setUp();
		await expectReason(store.load(makeTestDocId('client')), 'not-found');
	});
});
