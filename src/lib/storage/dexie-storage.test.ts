import { afterEach, describe, expect, it } from 'vitest';
import { IDBKeyRange, IDBObjectStore, indexedDB } from 'fake-indexeddb';
import { DexieStorage, nameSalonDatabase, toStorageError } from './dexie-storage';
import type { Storage } from './storage';
import { runStorageContract } from './storage-contract';
import { expectReason, makeFakeEnvelope, makeTestDocId } from './storage-fixtures';

const openSalon = (salonId: string) => DexieStorage.open(salonId, { indexedDB, IDBKeyRange });

runStorageContract('DexieStorage on fake-indexeddb', () => openSalon(crypto.randomUUID()), {
	async reopen(storage: Storage) {
		const { salonId } = storage as DexieStorage;
		await storage.close();
		return openSalon(salonId);
	}
});

describe('DexieStorage', () => {
	const opened: DexieStorage[] = [];
	const open = async (salonId = crypto.randomUUID()) => {
		const s = await openSalon(salonId);
		opened.push(s);
		return s;
	};
	afterEach(async () => {
		for (const s of opened.splice(0)) await s.destroy().catch(() => undefined);
	});

	it('keeps each salon in its own database named after it', async () => {
		const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
		const demo = await open(a);
		const real = await open(b);
		await demo.setMeta('name', 'demo');
		expect(await real.getMeta('name')).toBeUndefined();
		const names = (await indexedDB.databases()).map((d) => d.name);
		expect(names).toEqual(expect.arrayContaining([nameSalonDatabase(a), nameSalonDatabase(b)]));
		expect(nameSalonDatabase(a)).toBe(`kartoteka-salon-${a}`);
	});

	it('indexes only doc ids, client ids and sequence numbers', async () => {
		const s = await open();
		await s.setMeta('touch', true);
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const req = indexedDB.open(nameSalonDatabase(s.salonId));
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error);
		});
		const tx = db.transaction([...db.objectStoreNames], 'readonly');
		const keyPaths = [...db.objectStoreNames].flatMap((name) => {
			const store = tx.objectStore(name);
			const indexes = [...store.indexNames].map((i) => store.index(i).keyPath);
			return [store.keyPath, ...indexes].map((k) => `${name}:${String(k)}`);
		});
		db.close();
		expect(keyPaths.sort()).toEqual(
			[
				'docs:docId',
				'docs:lastSeq',
				'meta:key',
				'registry:docId',
				'summaries:clientId',
				'updates:docId,seq',
				'updates:seq'
			].sort()
		);
	});

	it('reports a full disk as quota-exceeded', async () => {
		const s = await open();
		const original = IDBObjectStore.prototype.add;
		IDBObjectStore.prototype.add = function () {
			throw new DOMException('disk full', 'QuotaExceededError');
		};
		try {
			await expectReason(s.appendUpdate(makeTestDocId('client'), makeFakeEnvelope(1)), 'quota-exceeded');
		} finally {
			IDBObjectStore.prototype.add = original;
		}
		expect(await s.lastSeq()).toBe(0);
	});

	it('recognises a quota error wrapped in an aborted transaction', () => {
		const quota = new DOMException('disk full', 'QuotaExceededError');
		const aborted = Object.assign(new Error('Transaction aborted'), { name: 'AbortError', inner: quota });
		expect(toStorageError(aborted).reason).toBe('quota-exceeded');
		expect(toStorageError(Object.assign(new Error('x'), { name: 'AbortError' })).reason).toBe('storage-failed');
	});

	it('settles with storage-failed and a detail once the database is closed', async () => {
		const s = await open();
		await s.close();
		const error = await s.lastSeq().catch((e: unknown) => e);
		expect(error).toMatchObject({ reason: 'storage-failed' });
		expect((error as { detail?: string }).detail).toMatch(/DatabaseClosed/);
	});
});
