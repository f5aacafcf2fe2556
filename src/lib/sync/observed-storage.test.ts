// The decorator the app and sync write through keeps every promise of the Storage contract, its
// registry memory included (Dexie on fake-indexeddb underneath, as in a salon's browser).
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DexieStorage } from '../storage/dexie-storage';
import { MemoryStorage } from '../storage/memory-storage';
import { runStorageContract } from '../storage/storage-contract';
import { makeFakeEnvelope, makeTestDocId } from '../storage/storage-fixtures';
import { ObservedStorage } from './observed-storage';

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

describe('ObservedStorage registry memory', () => {
	it('answers a repeated registry read from memory, and follows writes and erasures', async () => {
		const inner = new MemoryStorage();
		let reads = 0;
		const counting = new Proxy(inner, {
			get(target, prop, receiver) {
				if (prop === 'getRegistryEntry') return (id: never) => (reads++, target.getRegistryEntry(id));
				const value = Reflect.get(target, prop, receiver);
				return typeof value === 'function' ? value.bind(target) : value;
			}
		});
		const storage = new ObservedStorage(counting);
		const docId = makeTestDocId('client');
		expect(await storage.getRegistryEntry(docId)).toBeUndefined();
		expect(await storage.getRegistryEntry(docId)).toBeUndefined();
		expect(reads).toBe(1);
		await storage.putRegistryEntry({ docId, kind: 'profile', wrappedKey: makeFakeEnvelope(1), tombstone: false });
		expect((await storage.getRegistryEntry(docId))?.wrappedKey).toEqual(makeFakeEnvelope(1));
		expect(reads).toBe(1);
		await storage.tombstone(docId);
		expect((await storage.getRegistryEntry(docId))?.tombstone).toBe(true);
		expect(reads).toBe(2);
	});
});
