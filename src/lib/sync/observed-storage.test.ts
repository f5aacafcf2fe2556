// The decorator the app and sync write through keeps every promise of the Storage contract, its
// registry memory included (Dexie on fake-indexeddb underneath, as in a salon's browser).
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DexieStorage } from '../storage/dexie-storage';
import { MemoryStorage } from '../storage/memory-storage';
import { runStorageContract } from '../storage/storage-contract';
import type { DocId } from '../domain/ids';
import type { RegistryEntry, Storage } from '../storage/storage';
import { expectReason, makeFakeEnvelope, makeTestDocId } from '../storage/storage-fixtures';
import { ObservedStorage, type StorageChange } from './observed-storage';

const openDexie = (salonId: string) => DexieStorage.open(salonId, { indexedDB, IDBKeyRange });

runStorageContract('ObservedStorage over MemoryStorage', async () => new ObservedStorage(new MemoryStorage()));
const salonOf = new WeakMap<object, string>();
const openObserved = async (salonId: string) => {
	const storage = new ObservedStorage(await openDexie(salonId));
	salonOf.set(storage, salonId);
	return storage;
};
runStorageContract('ObservedStorage over DexieStorage', () => openObserved(crypto.randomUUID()), {
	async reopen(storage) {
		await storage.close();
		return openObserved(salonOf.get(storage)!);
	}
});

// A live registry entry of `docId`, its wrapped key told apart by `tag`.
function makeEntry(docId: DocId, tag = 1): RegistryEntry {
	const kind = docId.startsWith('clinical:') ? 'clinical' : 'profile';
	return { docId, kind, wrappedKey: makeFakeEnvelope(tag), tombstone: false };
}

// Records every call that reaches `inner`, so a test can tell a remembered answer from a storage read.
function recordCalls(inner: Storage): { storage: Storage; calls: Array<{ method: string; args: unknown[] }> } {
	const calls: Array<{ method: string; args: unknown[] }> = [];
	const storage = new Proxy(inner, {
		get(target, prop, receiver) {
			const value = Reflect.get(target, prop, receiver);
			if (typeof value !== 'function') return value;
			return (...args: unknown[]) => {
				calls.push({ method: String(prop), args });
				return value.apply(target, args);
			};
		}
	});
	return { storage, calls };
}

function countCalls(calls: Array<{ method: string }>, method: string): number {
	return calls.filter((c) => c.method === method).length;
}

describe('ObservedStorage registry memory', () => {
	it('answers a repeated registry read from memory, and follows writes and erasures', async () => {
		const { storage: counting, calls } = recordCalls(new MemoryStorage());
		const storage = new ObservedStorage(counting);
		const reads = () => countCalls(calls, 'getRegistryEntry');
		const docId = makeTestDocId('client');
		expect(await storage.getRegistryEntry(docId)).toBeUndefined();
		expect(await storage.getRegistryEntry(docId)).toBeUndefined();
		expect(reads()).toBe(1);
		await storage.putRegistryEntry({ docId, kind: 'profile', wrappedKey: makeFakeEnvelope(1), tombstone: false });
		expect((await storage.getRegistryEntry(docId))?.wrappedKey).toEqual(makeFakeEnvelope(1));
		expect(reads()).toBe(1);
		await storage.tombstone(docId);
		expect((await storage.getRegistryEntry(docId))?.tombstone).toBe(true);
		expect(reads()).toBe(2);
	});

	it('lists the whole registry once for a bulk read of many unknown ids, then answers every read from memory until an erasure', async () => {
		const inner = new MemoryStorage();
		const stored = Array.from({ length: 40 }, () => makeTestDocId('client'));
		for (const [i, docId] of stored.entries()) await inner.putRegistryEntry(makeEntry(docId, i));
		const { storage: counting, calls } = recordCalls(inner);
		const storage = new ObservedStorage(counting);
		const fresh = Array.from({ length: 10 }, () => makeTestDocId('clinical'));
		const first = await storage.getRegistryEntries([...stored, ...fresh]);
		expect(first.slice(0, 40).map((e) => e?.wrappedKey)).toEqual(stored.map((_, i) => makeFakeEnvelope(i)));
		expect(first.slice(40)).toEqual(fresh.map(() => undefined));
		expect(countCalls(calls, 'listRegistry')).toBe(1);
		first[0]!.wrappedKey!.ciphertext[0] ^= 0xff; // the caller's copy, not the remembered entry
		calls.length = 0;
		// Ids it never saw are known absent: nothing reaches storage.
		expect(await storage.getRegistryEntry(makeTestDocId('client'))).toBeUndefined();
		expect(await storage.getRegistryEntries([makeTestDocId('client'), stored[3], stored[0]])).toEqual([undefined, makeEntry(stored[3], 3), makeEntry(stored[0], 0)]);
		expect(calls.filter((c) => c.method.startsWith('get') || c.method === 'listRegistry')).toEqual([]);
		await storage.tombstone(stored[0]);
		calls.length = 0;
		expect((await storage.getRegistryEntry(stored[0]))?.tombstone).toBe(true);
		expect(await storage.getRegistryEntry(fresh[0])).toBeUndefined();
		expect(countCalls(calls, 'getRegistryEntry')).toBe(2);
	});

	it('asks storage in one bulk read for only the registry entries it does not know', async () => {
		const inner = new MemoryStorage();
		const [known, absent, unknown] = [makeTestDocId('client'), makeTestDocId('client'), makeTestDocId('clinical')];
		await inner.putRegistryEntry(makeEntry(unknown, 3));
		const { storage: counting, calls } = recordCalls(inner);
		const storage = new ObservedStorage(counting);
		await storage.putRegistryEntry(makeEntry(known, 1));
		expect(await storage.getRegistryEntry(absent)).toBeUndefined();
		calls.length = 0;

		expect(await storage.getRegistryEntries([known, unknown, absent, known])).toEqual([
			makeEntry(known, 1),
			makeEntry(unknown, 3),
			undefined,
			makeEntry(known, 1)
		]);
		expect(calls).toEqual([{ method: 'getRegistryEntries', args: [[unknown]] }]);
		calls.length = 0;
		expect(await storage.getRegistryEntries([absent, unknown, known])).toEqual([
			undefined,
			makeEntry(unknown, 3),
			makeEntry(known, 1)
		]);
		expect(await storage.getRegistryEntry(unknown)).toEqual(makeEntry(unknown, 3));
		expect(calls).toEqual([]);
	});

	it('does not remember a bulk registry read that raced a write or an adoption', async () => {
		const inner = new MemoryStorage();
		let release = () => {};
		// Reads at once, answers when released: the answer is older than a write made meanwhile.
		const slow = new Proxy(inner, {
			get(target, prop, receiver) {
				if (prop === 'getRegistryEntries') {
					return async (docIds: DocId[]) => {
						const gate = new Promise<void>((resolve) => (release = resolve));
						const entries = await target.getRegistryEntries(docIds);
						await gate;
						return entries;
					};
				}
				const value = Reflect.get(target, prop, receiver);
				return typeof value === 'function' ? value.bind(target) : value;
			}
		});
		const storage = new ObservedStorage(slow);
		const writes = [
			(docId: DocId) => storage.putRegistryEntry(makeEntry(docId)),
			(docId: DocId) => storage.adoptDocs([{ entry: makeEntry(docId), updates: [] }])
		];
		for (const write of writes) {
			const docId = makeTestDocId('client');
			const reading = storage.getRegistryEntries([docId]);
			await write(docId);
			release();
			expect(await reading).toEqual([undefined]);
			expect(await storage.getRegistryEntries([docId])).toEqual([makeEntry(docId)]);
		}
	});

	it('serves adopted entries from memory and forgets the ones of docs it did not adopt', async () => {
		const inner = new MemoryStorage();
		const [fresh, registered, erased, orphan] = [
			makeTestDocId('client'),
			makeTestDocId('client'),
			makeTestDocId('clinical'),
			makeTestDocId('client')
		];
		await inner.appendUpdate(orphan, makeFakeEnvelope(1));
		const { storage: counting, calls } = recordCalls(inner);
		const storage = new ObservedStorage(counting);
		await storage.tombstone(erased);
		await storage.putRegistryEntry(makeEntry(registered, 2));
		const remembered = await storage.getRegistryEntries([erased, orphan, registered]);

		const adoptions = await storage.adoptDocs(
			[fresh, registered, erased, orphan].map((docId) => ({ entry: makeEntry(docId, 9), updates: [] }))
		);
		expect(adoptions.map((a) => a.status)).toEqual(['adopted', 'registered', 'tombstoned', 'orphan-data']);
		calls.length = 0;
		expect(await storage.getRegistryEntry(fresh)).toEqual(makeEntry(fresh, 9));
		expect(calls).toEqual([]);
		// The same answers as before the adoption, but read from storage again.
		expect(await storage.getRegistryEntries([registered, erased, orphan])).toEqual([
			remembered[2],
			remembered[0],
			remembered[1]
		]);
		expect(calls).toEqual([{ method: 'getRegistryEntries', args: [[registered, erased, orphan]] }]);
	});

	it('remembers an adopted doc named twice in one call', async () => {
		const { storage: counting, calls } = recordCalls(new MemoryStorage());
		const storage = new ObservedStorage(counting);
		const docId = makeTestDocId('client');
		const adoptions = await storage.adoptDocs([
			{ entry: makeEntry(docId, 1), updates: [] },
			{ entry: makeEntry(docId, 2), updates: [] }
		]);
		expect(adoptions.map((a) => a.status)).toEqual(['adopted', 'registered']);
		expect(await storage.getRegistryEntry(docId)).toEqual(makeEntry(docId, 1));
		expect(countCalls(calls, 'getRegistryEntry')).toBe(0);
	});

	it('forgets the entries of every doc in a failed adoption, and reports nothing', async () => {
		const { storage: counting, calls } = recordCalls(new MemoryStorage());
		const storage = new ObservedStorage(counting);
		const changes: StorageChange[] = [];
		storage.subscribe((change) => changes.push(change));
		const [fresh, refused, untouched] = [makeTestDocId('client'), makeTestDocId('client'), makeTestDocId('client')];
		await storage.getRegistryEntries([fresh, refused, untouched]);
		calls.length = 0;
		const adopting = storage.adoptDocs([
			{ entry: makeEntry(fresh), updates: [makeFakeEnvelope(1)] },
			{ entry: { ...makeEntry(refused), wrappedKey: null, tombstone: true }, updates: [] }
		]);
		await expectReason(adopting, 'invalid-input');
		expect(changes).toEqual([]);
		expect(await storage.getRegistryEntries([fresh, untouched, refused])).toEqual([undefined, undefined, undefined]);
		expect(calls.filter((c) => c.method === 'getRegistryEntries')).toEqual([
			{ method: 'getRegistryEntries', args: [[fresh, refused]] }
		]);
	});
});

describe('ObservedStorage change reports', () => {
	it('reports one append per adopted seq, in order, and nothing for a doc it did not adopt', async () => {
		const storage = new ObservedStorage(new MemoryStorage());
		const changes: StorageChange[] = [];
		storage.subscribe((change) => changes.push(change));
		const [x, registered, y, empty] = [
			makeTestDocId('client'),
			makeTestDocId('client'),
			makeTestDocId('clinical'),
			makeTestDocId('client')
		];
		await storage.putRegistryEntry(makeEntry(registered));
		const adoptions = await storage.adoptDocs([
			{ entry: makeEntry(x), updates: [makeFakeEnvelope(1), makeFakeEnvelope(2)] },
			{ entry: makeEntry(registered), updates: [makeFakeEnvelope(3)] },
			{ entry: makeEntry(y), updates: [makeFakeEnvelope(4)] },
			{ entry: makeEntry(empty), updates: [] }
		]);
		const seqs = adoptions.flatMap((a) => (a.status === 'adopted' ? a.seqs : []));
		expect(seqs).toHaveLength(3);
		expect(changes).toEqual([
			{ type: 'append', docId: x, seq: seqs[0] },
			{ type: 'append', docId: x, seq: seqs[1] },
			{ type: 'append', docId: y, seq: seqs[2] }
		]);
	});
});
