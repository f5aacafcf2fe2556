// Composition root: which salons this device holds, and how a salon's storage, keys and docs are
// built. The list of salons on this device is kept in localStorage as random ids and a demo flag
// only — nothing personal, not even the salon's name (that lives in the encrypted salon doc).
import * as Y from 'yjs';
import { calibrateKdf, type KdfParams } from './crypto/kdf';
import { createKeyring, createSalonKeys, type Keyring, type SalonKeys } from './crypto/keyring';
import { AppError } from './domain/errors';
import { newId, SALON_DOC_ID, type DeviceId, type SalonId, type StaffId } from './domain/ids';
import type { StaffMember } from './domain/salon';
import { assessPassphrase } from './domain/validation';
import { initSalonDoc, upsertStaff } from './doc/salon-doc';
import { DexieStorage } from './storage/dexie-storage';
import { DocStore } from './storage/doc-store';
import type { Storage } from './storage/storage';
import { captureUpdate } from './state/card-service';

/** A salon held on this device. */
export interface LocalSalon {
	id: SalonId;
	isDemo: boolean;
}

const SALONS_KEY = 'kartoteka.salons';
const DEVICE_KEY = 'kartoteka.device';
/** Meta key of the keyring in the salon's database. */
export const KEYRING_META = 'keyring';

/** The salons stored on this device, real ones first. */
export function listLocalSalons(): LocalSalon[] {
	try {
		const list = JSON.parse(localStorage.getItem(SALONS_KEY) ?? '[]') as LocalSalon[];
		return list.sort((a, b) => Number(a.isDemo) - Number(b.isDemo));
	} catch {
		return [];
	}
}

function saveLocalSalons(list: LocalSalon[]): void {
	localStorage.setItem(SALONS_KEY, JSON.stringify(list));
}

/** This device's random id (made on first use). */
export function deviceId(): DeviceId {
	let id = localStorage.getItem(DEVICE_KEY);
	if (!id) {
		id = newId<DeviceId>();
		localStorage.setItem(DEVICE_KEY, id);
	}
	return id as DeviceId;
}

/** Opens the storage of a salon (one IndexedDB database per salon). */
export function openSalonStorage(id: SalonId): Promise<Storage> {
	return DexieStorage.open(id);
}

/** What a new salon needs from the setup form. */
export interface SalonSetup {
	salonName: string;
	timeZone: string;
	ownerName: string;
	passphrase: string;
	/** Demo salons use cheap fixed parameters; real ones are calibrated to >= 250 ms per guess. */
	kdf?: KdfParams;
	isDemo?: boolean;
}

/** An unlocked salon: its storage, keys, doc store and the signed-in staff member. */
export interface OpenSalon {
	id: SalonId;
	isDemo: boolean;
	storage: Storage;
	keys: SalonKeys;
	store: DocStore;
	staff: StaffMember;
	keyring: Keyring;
}

/** Creates a salon: keys, keyring with the owner's entry and a recovery entry, the salon doc. */
export async function createSalon(setup: SalonSetup): Promise<{ salon: OpenSalon; recoveryKey: string }> {
	if (!setup.isDemo && !assessPassphrase(setup.passphrase).ok) throw new AppError('weak-passphrase');
	const id = newId<SalonId>();
	const kdf = setup.kdf ?? (await calibrateKdf());
	const { keys, raw } = await createSalonKeys();
	const { keyring, recoveryKey, ownerEntryId } = await createKeyring(raw, { passphrase: setup.passphrase, role: 'owner' }, kdf);
	const storage = await openSalonStorage(id);
	await storage.setMeta(KEYRING_META, keyring);
	const store = new DocStore(storage, { salon: keys.salon, clinical: keys.clinical });
	await store.createDoc(SALON_DOC_ID, 'salon');
	const staff: StaffMember = {
		id: newId<StaffId>(),
		name: setup.ownerName.trim(),
		role: 'owner',
		keyringEntryId: ownerEntryId,
		disabled: false
	};
	const doc = new Y.Doc();
	const update = captureUpdate(doc, () => {
		initSalonDoc(doc, { name: setup.salonName.trim(), timeZone: setup.timeZone, createdAt: new Date().toISOString() });
		upsertStaff(doc, staff);
	});
	if (update) await store.append(SALON_DOC_ID, update);
	doc.destroy();
	saveLocalSalons([...listLocalSalons().filter((s) => s.id !== id), { id, isDemo: !!setup.isDemo }]);
	return { salon: { id, isDemo: !!setup.isDemo, storage, keys, store, staff, keyring }, recoveryKey };
}

/** Deletes a salon's database from this device and forgets it. */
export async function removeLocalSalon(salon: LocalSalon): Promise<void> {
	const storage = await openSalonStorage(salon.id);
	await storage.destroy();
	saveLocalSalons(listLocalSalons().filter((s) => s.id !== salon.id));
}
