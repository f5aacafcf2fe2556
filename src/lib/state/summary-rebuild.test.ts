// Summaries of cards changed by peers: rebuilt from the docs, many cards per storage read, and
// from the content a first sync hands over without reading it back.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { importDataKey, randomKeyBytes, sealEnvelope } from '../crypto/envelope';
import type { ClientSummary } from '../domain/client';
import { newId, profileDocId, SALON_DOC_ID, type ClientId, type DeviceId, type DocId, type StaffId } from '../domain/ids';
import { makeClientProfile } from '../domain/synthetic';
import { editProfile } from '../doc/profile-doc';
import { DocStore } from '../storage/doc-store';
import { MemoryStorage } from '../storage/memory-storage';
import type { Storage } from '../storage/storage';
import { captureUpdate, createClient } from './card-service';
import { rebuildSummaries, SummaryQueue } from './summary-rebuild';

const AUTHOR = { staff: 'staff-test' as StaffId, staffName: 'Halina Testowa', device: 'test' as DeviceId };

// Counts the calls that reach `inner`, by method.
function countCalls(inner: Storage): { storage: Storage; calls: Map<string, unknown[][]> } {
	const calls = new Map<string, unknown[][]>();
	const storage = new Proxy(inner, {
		get(target, prop) {
			const value: unknown = Reflect.get(target, prop);
			if (typeof value !== 'function') return value;
			return (...args: unknown[]) => {
				calls.set(String(prop), [...(calls.get(String(prop)) ?? []), args]);
				return (value as (...a: unknown[]) => unknown).apply(target, args);
			};
		}
	});
	return { storage, calls };
}

async function makeDevice() {
	const { storage, calls } = countCalls(new MemoryStorage());
	const keys = { salon: await importDataKey('salon/1', randomKeyBytes()), clinical: await importDataKey('clinical/1', randomKeyBytes()) };
	return { storage, calls, store: new DocStore(storage, keys) };
}

// What a peer's edit leaves here: the update stored, the summary not (summaries never travel).
async function storePeerEdit(store: DocStore, id: ClientId, patch: Parameters<typeof editProfile>[1]): Promise<Uint8Array> {
	const doc = await store.load(profileDocId(id));
	const update = captureUpdate(doc, () => editProfile(doc, patch, { ...AUTHOR, at: new Date().toISOString() }))!;
	await store.append(profileDocId(id), update);
	doc.destroy();
	return update;
}

async function listSummaries(store: DocStore): Promise<Map<string, ClientSummary>> {
	return new Map((await store.loadSummaries()).map((s) => [s.clientId, s.profile as ClientSummary]));
}

describe('rebuilding summaries of cards changed by peers', () => {
	it('rebuilds several cards with one doc read and one summary write, and leaves erased and missing cards alone', async () => {
		const { store, storage, calls } = await makeDevice();
		const ids: ClientId[] = [];
		for (let i = 0; i < 4; i++) ids.push((await createClient(store, makeClientProfile(i), AUTHOR)).id);
		for (const [i, id] of ids.entries()) await storePeerEdit(store, id, { lastName: `Nowakowska-${i}` });
		await store.eraseDoc(profileDocId(ids[3]));
		const notHere = newId<ClientId>();
		calls.clear();

		await rebuildSummaries(store, storage, [...ids, notHere], 'Europe/Warsaw');
		const summaries = await listSummaries(store);
		expect(ids.slice(0, 3).map((id) => summaries.get(id)?.lastName)).toEqual(['Nowakowska-0', 'Nowakowska-1', 'Nowakowska-2']);
		expect(summaries.has(ids[3])).toBe(false);
		expect(summaries.has(notHere)).toBe(false);
		expect(calls.get('readDocs')).toHaveLength(1);
		expect(calls.get('putSummaries')).toHaveLength(1);
		expect(calls.get('readDoc')).toBeUndefined();
	});

	it('builds a card from the doc a first sync hands over instead of reading it back', async () => {
		const { store, storage, calls } = await makeDevice();
		const { id } = await createClient(store, makeClientProfile(7), AUTHOR);
		await storePeerEdit(store, id, { firstName: 'Bożena' });
		const docId = profileDocId(id);
		const built = await store.load(docId);
		calls.clear();

		await rebuildSummaries(store, storage, [id], 'Europe/Warsaw', undefined, undefined, new Map([[docId, built]]));
		expect((await listSummaries(store)).get(id)?.firstName).toBe('Bożena');
		const asked = (calls.get('readDocs') ?? []).flatMap(([docIds]) => docIds as DocId[]);
		expect(asked).not.toContain(docId);
	});

	it('reports a card whose doc does not load and still rebuilds the others', async () => {
		const { store, storage } = await makeDevice();
		const b = (await createClient(store, makeClientProfile(2), AUTHOR)).id;
		await storePeerEdit(store, b, { lastName: 'Wiśniewska' });
		// A card whose data key does not open under this salon's key.
		const a = newId<ClientId>();
		const stranger = await importDataKey('salon/1', randomKeyBytes());
		const wrappedKey = await sealEnvelope(stranger, randomKeyBytes(), { docId: profileDocId(a), kind: 'doc-key' });
		await storage.putRegistryEntry({ docId: profileDocId(a), kind: 'profile', wrappedKey, tombstone: false });
		const failed: ClientId[] = [];
		await rebuildSummaries(store, storage, [a, b], 'Europe/Warsaw', undefined, (id) => failed.push(id));
		expect(failed).toEqual([a]);
		expect((await listSummaries(store)).get(b)?.lastName).toBe('Wiśniewska');
	});
});

describe('the queue of cards waiting for their summaries', () => {
	it('rebuilds the cards changed during a rebuild together in the next one, with only fresh docs', async () => {
		const rebuilt: Array<{ clientIds: ClientId[]; contents: DocId[] }> = [];
		let release = () => {};
		const queue = new SummaryQueue(async (clientIds, contents) => {
			rebuilt.push({ clientIds, contents: [...contents.keys()] });
			if (rebuilt.length === 1) await new Promise<void>((resolve) => (release = resolve));
		});
		const [a, b, c] = [newId<ClientId>(), newId<ClientId>(), newId<ClientId>()];
		const content = () => new Y.Doc();
		queue.add([{ docId: profileDocId(a), doc: content() }]);
		expect(queue.isSettled).toBe(false);
		queue.add([{ docId: profileDocId(b), doc: content() }, { docId: profileDocId(c), doc: content() }]);
		queue.add([{ docId: profileDocId(c) }]); // c changed again: its handed-over doc is stale
		queue.add([{ docId: SALON_DOC_ID }]); // no card: nothing to rebuild
		release();
		await new Promise((resolve) => setTimeout(resolve, 0));
		expect(rebuilt).toEqual([
			{ clientIds: [a], contents: [profileDocId(a)] },
			{ clientIds: [b, c], contents: [profileDocId(b)] }
		]);
		expect(queue.isSettled).toBe(true);
	});
});

