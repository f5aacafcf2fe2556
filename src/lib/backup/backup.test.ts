import { afterEach, describe, expect, it } from 'vitest';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { unlockWithPassphrase, unlockWithRecoveryKey, type Keyring } from '../crypto/keyring';
import { clinicalDocId, profileDocId, SALON_DOC_ID, type DocId } from '../domain/ids';
import { DexieStorage } from '../storage/dexie-storage';
import { DocStore } from '../storage/doc-store';
import { MemoryStorage } from '../storage/memory-storage';
import type { Storage } from '../storage/storage';
import { readBackupInfo, restoreBackup, writeBackup, type BackupProgress } from './backup';
import {
	addClient, BACKUP_PASSPHRASE, collect, concat, dumpStorage, editDoc, fastKdf, makeTestSalon, openBytes,
	OWNER_PASSPHRASE, readContent, splitFile, type TestSalon
} from './backup-fixtures';

async function backUp(salon: TestSalon, chunkSize = 512, onProgress?: (p: BackupProgress) => void): Promise<Uint8Array> {
	const parts = writeBackup(salon.storage, salon.salonId, BACKUP_PASSPHRASE, { kdf: fastKdf(), chunkSize, onProgress });
	return concat(await collect(parts));
}

async function openRestored(storage: Storage): Promise<DocStore> {
	const keyring = (await storage.getMeta<Keyring>('keyring'))!;
	const { keys } = await unlockWithPassphrase(keyring, OWNER_PASSPHRASE);
	return new DocStore(storage, keys);
}

function docIdsOf(salon: TestSalon): DocId[] {
	return [SALON_DOC_ID, ...salon.clients.flatMap((c) => [profileDocId(c), clinicalDocId(c)])];
}

describe('backup and restore', () => {
	const dexies: DexieStorage[] = [];
	afterEach(async () => {
		for (const s of dexies.splice(0)) await s.destroy();
	});

	it('restores a salon on an empty device exactly as it was at rest, and staff unlock it as before', async () => {
		const salon = await makeTestSalon(4);
		await salon.store.eraseDoc(clinicalDocId(salon.clients[3]));
		const file = await backUp(salon);
		expect(splitFile(file).frames.length).toBeGreaterThan(5);

		const device = new MemoryStorage();
		const result = await restoreBackup(device, null, openBytes(file), BACKUP_PASSPHRASE);
		expect(result).toMatchObject({ mode: 'new-device', docsAdded: 8, tombstonesApplied: 1, summariesAdded: 4 });
		expect(await dumpStorage(device, false)).toEqual(await dumpStorage(salon.storage, false));

		const store = await openRestored(device);
		for (const docId of docIdsOf(salon).slice(0, -1)) {
			expect(await readContent(store, docId)).toEqual(await readContent(salon.store, docId));
		}
		expect(await store.loadSummaries()).toEqual(await salon.store.loadSummaries());
		const keyring = (await device.getMeta<Keyring>('keyring'))!;
		await expect(unlockWithRecoveryKey(keyring, salon.recoveryKey)).resolves.toMatchObject({ role: 'owner' });
	});

	it('restores into IndexedDB (Dexie on fake-indexeddb) the same way', async () => {
		const salon = await makeTestSalon(2);
		const file = await backUp(salon);
		const device = await DexieStorage.open(salon.salonId, { indexedDB, IDBKeyRange });
		dexies.push(device);
		await restoreBackup(device, salon.salonId, openBytes(file), BACKUP_PASSPHRASE);
		expect(await dumpStorage(device, false)).toEqual(await dumpStorage(salon.storage, false));
		expect(await readContent(await openRestored(device), profileDocId(salon.clients[1]))).toMatchObject({ name: 'Katarzyna Wiśniewska' });
	});

	it('merges into the same salon: keeps edits made since, adds the file\'s, never brings back a doc erased here', async () => {
		const here = await makeTestSalon(3);
		const [kept, erasedHere, erasedThere] = here.clients;
		// A second device of the same salon, made from this one, edits on its own and is backed up.
		const other = new MemoryStorage();
		await restoreBackup(other, here.salonId, openBytes(await backUp(here)), BACKUP_PASSPHRASE);
		const otherStore = await openRestored(other);
		await editDoc(otherStore, profileDocId(kept), { note: 'z drugiego tabletu' });
		const added = await addClient(otherStore, 'Ewa Lewandowska');
		await otherStore.eraseDoc(profileDocId(erasedThere));
		const file = await backUp({ ...here, storage: other, store: otherStore });
		// Meanwhile, here: a newer edit of the same card, and a client erased after the backup.
		await editDoc(here.store, profileDocId(kept), { phone: '+48 601 222 333' });
		await here.store.eraseDoc(profileDocId(erasedHere));
		await here.store.eraseDoc(clinicalDocId(erasedHere));

		const result = await restoreBackup(here.storage, here.salonId, openBytes(file), BACKUP_PASSPHRASE, {
			merge: { store: here.store, keys: here.keys }
		});
		expect(result).toMatchObject({ mode: 'merge', docsAdded: 2, docsSkipped: 2, tombstonesApplied: 1, summariesAdded: 1 });
		expect(result.staleSummaries).toEqual([kept]);
		expect(await readContent(here.store, profileDocId(kept))).toMatchObject({ phone: '+48 601 222 333', note: 'z drugiego tabletu' });
		expect(await readContent(here.store, profileDocId(added))).toMatchObject({ name: 'Ewa Lewandowska' });
		for (const gone of [profileDocId(erasedHere), clinicalDocId(erasedHere), profileDocId(erasedThere)]) {
			expect(await here.storage.getRegistryEntry(gone)).toMatchObject({ tombstone: true, wrappedKey: null });
			expect(await here.storage.readDoc(gone)).toMatchObject({ snapshot: null, updates: [] });
		}
		const clients = (await here.store.loadSummaries()).map((s) => s.clientId).sort();
		expect(clients).toEqual([kept, added].sort());
	});

	it('merging the same file twice changes no doc the second time', async () => {
		const salon = await makeTestSalon(2);
		const file = await backUp(salon);
		const merge = { merge: { store: salon.store, keys: salon.keys } };
		await restoreBackup(salon.storage, salon.salonId, openBytes(file), BACKUP_PASSPHRASE, merge);
		const before = await dumpStorage(salon.storage);
		await restoreBackup(salon.storage, salon.salonId, openBytes(file), BACKUP_PASSPHRASE, merge);
		expect((await dumpStorage(salon.storage)).docs).toEqual(before.docs);
	});

	it('finishes a restore that was cut short when it is run again, and nobody can unlock the half-restored device', async () => {
		const salon = await makeTestSalon(3);
		const file = await backUp(salon, 256);
		let opens = 0;
		const failingSecondRead = () => {
			opens += 1;
			if (opens !== 2) return openBytes(file, 100)();
			return (async function* () {
				yield* openBytes(file.slice(0, Math.floor(file.length * 0.6)), 100)();
				throw new Error('NotReadableError: the file could not be read');
			})();
		};
		const device = new MemoryStorage();
		await expect(restoreBackup(device, salon.salonId, failingSecondRead, BACKUP_PASSPHRASE)).rejects.toThrow('NotReadable');
		expect((await device.listRegistry()).length).toBeGreaterThan(0);
		expect(await device.getMeta('keyring')).toBeUndefined();

		await restoreBackup(device, salon.salonId, openBytes(file), BACKUP_PASSPHRASE);
		const store = await openRestored(device);
		for (const docId of docIdsOf(salon)) expect(await readContent(store, docId)).toEqual(await readContent(salon.store, docId));
	});

	it('reports progress as docs n of N, backing up and restoring', async () => {
		const salon = await makeTestSalon(2);
		const backing: BackupProgress[] = [];
		const file = await backUp(salon, 512, (p) => backing.push(p));
		expect(backing.map((p) => `${p.docs}/${p.of}`)).toEqual(['0/5', '1/5', '2/5', '3/5', '4/5', '5/5']);
		const restoring: string[] = [];
		await restoreBackup(new MemoryStorage(), null, openBytes(file), BACKUP_PASSPHRASE, {
			onProgress: (p) => restoring.push(`${p.phase} ${p.docs}/${p.of}`)
		});
		expect(restoring.at(4)).toBe('checking 5/5');
		expect(restoring.at(-1)).toBe('restoring 5/5');
		expect(restoring).toHaveLength(10);
	});

	it('shows which salon a file holds and when it was made, once the passphrase is right', async () => {
		const salon = await makeTestSalon(1);
		const parts = writeBackup(salon.storage, salon.salonId, BACKUP_PASSPHRASE, { kdf: fastKdf(), createdAt: '2025-03-14T09:30:00.000Z' });
		const file = concat(await collect(parts));
		await expect(readBackupInfo(openBytes(file)(), BACKUP_PASSPHRASE)).resolves.toMatchObject({
			salonId: salon.salonId,
			createdAt: '2025-03-14T09:30:00.000Z',
			formatVersion: 1,
			chunkSize: 1 << 20
		});
		await expect(readBackupInfo(openBytes(file)(), 'inne hasło')).rejects.toMatchObject({ reason: 'wrong-passphrase' });
	});

	it('streams a salon of many chunks: reads docs as the file is pulled, writes docs while the file is still arriving', async () => {
		const salon = await makeTestSalon(6);
		const log: string[] = [];
		const counted = new Proxy(salon.storage, {
			get(target, name, receiver) {
				const value = Reflect.get(target, name, receiver);
				if (typeof value !== 'function') return value;
				return (...args: unknown[]) => {
					if (name === 'readDoc') log.push('read');
					return value.apply(target, args);
				};
			}
		});
		const writing = writeBackup(counted, salon.salonId, BACKUP_PASSPHRASE, { kdf: fastKdf(), chunkSize: 128 });
		const parts = [(await writing.next()).value!, (await writing.next()).value!];
		expect(log.filter((e) => e === 'read').length).toBeLessThan(3);
		const file = concat([...parts, ...(await collect(writing))]);
		expect(splitFile(file).frames.length).toBeGreaterThan(20);

		const events: string[] = [];
		const device = new MemoryStorage();
		const watched = new Proxy(device, {
			get(target, name, receiver) {
				const value = Reflect.get(target, name, receiver);
				if (typeof value !== 'function') return value;
				return (...args: unknown[]) => {
					if (['appendUpdate', 'replaceSnapshot', 'putRegistryEntry', 'putSummary', 'setMeta'].includes(String(name))) events.push('write');
					return value.apply(target, args);
				};
			}
		});
		const partsPerRead = Math.ceil(file.length / 256);
		const source = () =>
			(async function* () {
				for await (const part of openBytes(file, 256)()) {
					events.push('pull');
					yield part;
				}
			})();
		await restoreBackup(watched, null, source, BACKUP_PASSPHRASE);
		const firstWrite = events.indexOf('write');
		// The whole file is read and checked once before anything is written...
		const pulledBeforeWriting = events.slice(0, firstWrite).filter((e) => e === 'pull').length;
		expect(pulledBeforeWriting).toBeGreaterThan(partsPerRead);
		expect(pulledBeforeWriting).toBeLessThan(partsPerRead + partsPerRead / 2);
		// ...then the second read is applied as it arrives, not gathered first.
		expect(firstWrite).toBeLessThan(events.lastIndexOf('pull'));
		expect(events.filter((e) => e === 'pull')).toHaveLength(2 * partsPerRead);
	});
});
