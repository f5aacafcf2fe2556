// The Storage contract in real Chromium (STYLE): Dexie on the browser's own IndexedDB, and the
// ObservedStorage decorator the app writes through, with reopening a database from disk.
import { ObservedStorage } from '../sync/observed-storage';
import { DexieStorage } from './dexie-storage';
import { runStorageContract } from './storage-contract';
import type { Storage } from './storage';

const salonOf = new WeakMap<Storage, string>();
const open = async (salonId: string, observed: boolean): Promise<Storage> => {
	const dexie = await DexieStorage.open(salonId);
	const storage = observed ? new ObservedStorage(dexie) : dexie;
	salonOf.set(storage, salonId);
	return storage;
};

for (const observed of [false, true]) {
	runStorageContract(observed ? 'ObservedStorage over DexieStorage in Chromium' : 'DexieStorage in Chromium', () => open(crypto.randomUUID(), observed), {
		async reopen(storage) {
			await storage.close();
			return open(salonOf.get(storage)!, observed);
		}
	});
}
