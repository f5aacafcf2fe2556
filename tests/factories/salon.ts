// A whole salon in memory for unit tests: keys, keyring (owner + recovery), salon doc with the
// owner, an open SalonSession. Cheap KDF parameters: these are tests, not a real salon.
import * as Y from 'yjs';
import { createKeyring, createSalonKeys, unlockWithPassphrase, type Keyring } from '../../src/lib/crypto/keyring';
import { createPinVerifier } from '../../src/lib/crypto/pin';
import { newId, SALON_DOC_ID, type DeviceId, type SalonId, type StaffId } from '../../src/lib/domain/ids';
import { initSalonDoc } from '../../src/lib/doc/salon-doc';
import { DocStore } from '../../src/lib/storage/doc-store';
import { MemoryStorage } from '../../src/lib/storage/memory-storage';
import type { Storage } from '../../src/lib/storage/storage';
import { captureUpdate } from '../../src/lib/state/card-service';
import { KEYRING_META, SalonSession } from '../../src/lib/state/salon-session';

/** Cheap key-derivation parameters for tests. */
export const TEST_KDF = { algorithm: 'PBKDF2-SHA-256' as const, iterations: 1000, salt: new Uint8Array(16).fill(7) };
/** The owner's passphrase in unit tests. */
export const TEST_OWNER_PASSPHRASE = 'zielony kot pije mleko';

/** Creates a salon in `storage` (in memory by default) and opens it as its owner. */
export async function makeTestSalon(storage: Storage = new MemoryStorage()) {
	const { keys, raw } = await createSalonKeys();
	const { keyring, ownerEntryId, recoveryKey } = await createKeyring(raw, { passphrase: TEST_OWNER_PASSPHRASE, role: 'owner' }, TEST_KDF);
	await storage.setMeta(KEYRING_META, keyring);
	const store = new DocStore(storage, { salon: keys.salon, clinical: keys.clinical });
	await store.createDoc(SALON_DOC_ID, 'salon');
	const doc = new Y.Doc();
	const owner = { id: newId<StaffId>(), name: 'Halina Testowa', role: 'owner' as const, keyringEntryId: ownerEntryId, disabled: false, pin: await createPinVerifier('2468') };
	const update = captureUpdate(doc, () =>
		initSalonDoc(doc, { name: 'Salon Testowy', timeZone: 'Europe/Warsaw', createdAt: new Date().toISOString() }, { staff: [owner] })
	);
	await store.append(SALON_DOC_ID, update!);
	const id = newId<SalonId>();
	const session = await SalonSession.open({ id, isDemo: false, storage, store, keyring, keys, raw, entryId: ownerEntryId, deviceId: 'test-device' as DeviceId });
	return { id, storage, session, recoveryKey };
}

/** Opens an existing salon in `storage` with a staff passphrase. */
export async function openTestSalon(storage: Storage, passphrase: string, id = 'test-salon' as SalonId) {
	const keyring = (await storage.getMeta<Keyring>(KEYRING_META))!;
	const unlocked = await unlockWithPassphrase(keyring, passphrase);
	const store = new DocStore(storage, { salon: unlocked.keys.salon, clinical: unlocked.keys.clinical });
	const session = await SalonSession.open({ id, isDemo: false, storage, store, keyring, keys: unlocked.keys, raw: unlocked.raw, entryId: unlocked.entryId, deviceId: 'test-device' as DeviceId });
	return { session, unlocked };
}
