// Composition root: which salons this device holds, and how a salon's storage, keys and docs are
// built. The list of salons on this device is kept in localStorage as random ids and a demo flag
// only — nothing personal, not even the salon's name (that lives in the encrypted salon doc).
import * as Y from 'yjs';
import { calibrateKdf, type KdfParams } from './crypto/kdf';
import { createKeyring, createSalonKeys, unlockWithPassphrase, unlockWithRecoveryKey, type Keyring } from './crypto/keyring';
import { createPinVerifier } from './crypto/pin';
import { AppError } from './domain/errors';
import { newId, SALON_DOC_ID, type DeviceId, type SalonId, type StaffId } from './domain/ids';
import type { StaffMember } from './domain/salon';
import { assessPassphrase, isPinValid } from './domain/validation';
import { seedCatalogue } from './doc/catalogue-doc';
import { initSalonDoc } from './doc/salon-doc';
import { DexieStorage } from './storage/dexie-storage';
import { DocStore } from './storage/doc-store';
import type { Storage } from './storage/storage';
import { ObservedStorage } from './sync/observed-storage';
import type { Welcome } from './sync/invite';
import { decodeKeyring } from './crypto/keyring-codec';
import { captureUpdate } from './state/card-service';
import { JOIN_META, JoiningSalon } from './state/joining-salon';
import { KEYRING_META, SalonSession } from './state/salon-session';

export { JOIN_META, KEYRING_META };

/**
 * What a joined device keeps (in plain meta) until its first sync brings the salon doc: only the
 * relay address and when it joined; the salon's name and the inviter stay in the encrypted salon doc.
 */
export interface JoinRecord {
	relayUrl: string;
	joinedAt: string;
}

/** A salon held on this device. */
export interface LocalSalon {
	id: SalonId;
	isDemo: boolean;
}

const SALONS_KEY = 'kartoteka.salons';
const DEVICE_KEY = 'kartoteka.device';

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

/** Records a salon as held on this device (after setup or a restore). */
export function registerLocalSalon(salon: LocalSalon): void {
	saveLocalSalons([...listLocalSalons().filter((s) => s.id !== salon.id), salon]);
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
	/** The owner's PIN for the screen lock (4-6 digits). */
	pin: string;
	/** Demo salons use cheap fixed parameters; real ones are calibrated to >= 250 ms per guess. */
	kdf?: KdfParams;
	isDemo?: boolean;
}

/** Creates a salon: keys, keyring with the owner's entry and a recovery entry, the salon doc. */
export async function createSalon(setup: SalonSetup): Promise<{ salon: SalonSession; recoveryKey: string }> {
	if (!setup.isDemo && !assessPassphrase(setup.passphrase).ok) throw new AppError('weak-passphrase');
	if (!isPinValid(setup.pin)) throw new AppError('invalid-input', 'pin');
	const id = newId<SalonId>();
	const kdf = setup.kdf ?? (await calibrateKdf());
	const { keys, raw } = await createSalonKeys();
	const { keyring, recoveryKey, ownerEntryId } = await createKeyring(raw, { passphrase: setup.passphrase, role: 'owner' }, kdf);
	// Observed, so the sync layer hears every stored change (local or from a peer).
	const storage = new ObservedStorage(await openSalonStorage(id));
	await storage.setMeta(KEYRING_META, keyring);
	const store = new DocStore(storage, { salon: keys.salon, clinical: keys.clinical });
	await store.createDoc(SALON_DOC_ID, 'salon');
	const staff: StaffMember = {
		id: newId<StaffId>(),
		name: setup.ownerName.trim(),
		role: 'owner',
		keyringEntryId: ownerEntryId,
		disabled: false,
		pin: await createPinVerifier(setup.pin)
	};
	const doc = new Y.Doc();
	const update = captureUpdate(doc, () => {
		initSalonDoc(doc, { name: setup.salonName.trim(), timeZone: setup.timeZone, createdAt: new Date().toISOString() }, { staff: [staff] });
		// The default catalogue and consent texts, with fixed ids: devices seeding apart converge.
		seedCatalogue(doc);
	});
	if (update) await store.append(SALON_DOC_ID, update);
	doc.destroy();
	registerLocalSalon({ id, isDemo: !!setup.isDemo });
	const salon = await SalonSession.open({ id, isDemo: !!setup.isDemo, storage, store, keyring, keys, raw, entryId: ownerEntryId, deviceId: deviceId() });
	return { salon, recoveryKey };
}

/** Opens a salon with a passphrase or the recovery key; throws 'wrong-passphrase'. */
export async function unlockSalon(local: LocalSalon, secret: { passphrase: string } | { recoveryKey: string }): Promise<SalonSession> {
	const storage = new ObservedStorage(await openSalonStorage(local.id));
	try {
		const { parts } = await unlockParts(local, storage, secret);
		return await SalonSession.open(parts);
	} catch (e) {
		await storage.close(); // a wrong passphrase must not leave a database connection behind
		throw e;
	}
}

async function unlockParts(local: LocalSalon, storage: ObservedStorage, secret: { passphrase: string } | { recoveryKey: string }) {
	const keyring = await storage.getMeta<Keyring>(KEYRING_META);
	if (!keyring) throw new AppError('not-found', 'keyring missing');
	const unlocked =
		'passphrase' in secret ? await unlockWithPassphrase(keyring, secret.passphrase) : await unlockWithRecoveryKey(keyring, secret.recoveryKey);
	const store = new DocStore(storage, { salon: unlocked.keys.salon, clinical: unlocked.keys.clinical });
	const parts = { id: local.id, isDemo: local.isDemo, storage, store, keyring, keys: unlocked.keys, raw: unlocked.raw, entryId: unlocked.entryId, deviceId: deviceId() };
	return { parts };
}

/** Opens a salon like unlockSalon, or, on a device that joined and has no salon data yet, the keys to fetch it with. */
export async function unlockOrJoin(
	local: LocalSalon,
	secret: { passphrase: string } | { recoveryKey: string }
): Promise<{ salon: SalonSession } | { joining: JoiningSalon }> {
	const storage = new ObservedStorage(await openSalonStorage(local.id));
	try {
		const hasSalonDoc = !!(await storage.getRegistryEntry(SALON_DOC_ID));
		const join = hasSalonDoc ? undefined : await storage.getMeta<JoinRecord>(JOIN_META);
		if (!hasSalonDoc && !join) throw new AppError('not-found', 'neither salon data nor an invite on this device');
		const { parts } = await unlockParts(local, storage, secret);
		return join ? { joining: new JoiningSalon(parts, join) } : { salon: await SalonSession.open(parts) };
	} catch (e) {
		await storage.close(); // a wrong passphrase must not leave a database connection behind
		throw e;
	}
}

/**
 * Makes this device part of the salon an invite welcomed it to: the salon's database with the
 * keyring (ciphertext: a staff passphrase still opens it) and the relay to meet the others at.
 * Its name reaches the registry through the inviting device, encrypted in the salon doc.
 * Refuses when the device already holds a real salon ('salon-exists'): two salons never mix.
 */
export async function joinSalon(welcome: Welcome, relayUrl: string): Promise<LocalSalon> {
	const existing = listLocalSalons().find((s) => !s.isDemo);
	if (existing) throw new AppError('salon-exists', existing.id === welcome.salonId ? 'already joined' : 'another salon');
	if (!/^[0-9a-f-]{36}$/.test(welcome.salonId)) throw new AppError('invalid-input', 'salon id');
	const keyring = decodeKeyring(welcome.keyring);
	const storage = await openSalonStorage(welcome.salonId as SalonId);
	await storage.setMeta(KEYRING_META, keyring);
	const record: JoinRecord = { relayUrl, joinedAt: new Date().toISOString() };
	await storage.setMeta(JOIN_META, record);
	await storage.close();
	const local = { id: welcome.salonId as SalonId, isDemo: false };
	registerLocalSalon(local);
	return local;
}

/** Deletes a salon's database from this device and forgets it. */
export async function removeLocalSalon(salon: LocalSalon): Promise<void> {
	const storage = await openSalonStorage(salon.id);
	await storage.destroy();
	saveLocalSalons(listLocalSalons().filter((s) => s.id !== salon.id));
}
