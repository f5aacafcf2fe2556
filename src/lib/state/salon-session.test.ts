// Roles are enforced by keys: a reception session, opened directly or reached by a PIN switch
// from a cosmetologist, cannot decrypt anything sealed with the clinical key.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { openEnvelope } from '../crypto/envelope';
import { createKeyring, createSalonKeys, unlockWithPassphrase } from '../crypto/keyring';
import { createPinVerifier } from '../crypto/pin';
import { newId, SALON_DOC_ID, clinicalDocId, type ClientId, type DeviceId, type SalonId, type StaffId } from '../domain/ids';
import { initSalonDoc } from '../doc/salon-doc';
import { DocStore } from '../storage/doc-store';
import { MemoryStorage } from '../storage/memory-storage';
import { captureUpdate } from './card-service';
import { KEYRING_META, SalonSession } from './salon-session';

const KDF = { algorithm: 'PBKDF2-SHA-256' as const, iterations: 1000, salt: new Uint8Array(16).fill(7) };
const OWNER = 'zielony kot pije mleko';

async function makeSalon() {
	const storage = new MemoryStorage();
	const { keys, raw } = await createSalonKeys();
	const { keyring, ownerEntryId } = await createKeyring(raw, { passphrase: OWNER, role: 'owner' }, KDF);
	await storage.setMeta(KEYRING_META, keyring);
	const store = new DocStore(storage, { salon: keys.salon, clinical: keys.clinical });
	await store.createDoc(SALON_DOC_ID, 'salon');
	const doc = new Y.Doc();
	const owner = { id: newId<StaffId>(), name: 'Halina', role: 'owner' as const, keyringEntryId: ownerEntryId, disabled: false, pin: await createPinVerifier('2468') };
	const update = captureUpdate(doc, () => initSalonDoc(doc, { name: 'Salon', timeZone: 'Europe/Warsaw', createdAt: new Date().toISOString() }, { staff: [owner] }));
	await store.append(SALON_DOC_ID, update!);
	const session = await SalonSession.open({ id: newId<SalonId>(), isDemo: false, storage, store, keyring, keys, raw, entryId: ownerEntryId, deviceId: 'dev' as DeviceId });
	// A clinical doc with health data, sealed under its key wrapped by the clinical key.
	const clientId = newId<ClientId>();
	await store.createDoc(clinicalDocId(clientId), 'clinical');
	const clinical = new Y.Doc();
	const u = captureUpdate(clinical, () => clinical.getMap('interview').set('allergy', 'lateks'));
	await store.append(clinicalDocId(clientId), u!);
	return { storage, session, clientId };
}

async function openAs(storage: MemoryStorage, passphrase: string) {
	const keyring = (await storage.getMeta(KEYRING_META)) as Parameters<typeof unlockWithPassphrase>[0];
	const unlocked = await unlockWithPassphrase(keyring, passphrase);
	const store = new DocStore(storage, { salon: unlocked.keys.salon, clinical: unlocked.keys.clinical });
	const session = await SalonSession.open({ id: 'x' as SalonId, isDemo: false, storage, store, keyring, keys: unlocked.keys, raw: unlocked.raw, entryId: unlocked.entryId, deviceId: 'dev' as DeviceId });
	return { session, unlocked };
}

describe('salon session', () => {
	it('a reception passphrase unlocks without the clinical key, and clinical data stays sealed', async () => {
		const { storage, session, clientId } = await makeSalon();
		await session.addStaff({ name: 'Renata', role: 'reception', passphrase: 'recepcja lubi zielona herbate', pin: '1357' });
		const { session: reception, unlocked } = await openAs(storage, 'recepcja lubi zielona herbate');
		expect(reception.staff.name).toBe('Renata');
		expect(unlocked.keys.clinical).toBeNull();
		expect(reception.hasClinicalKey).toBe(false);
		await expect(reception.store.load(clinicalDocId(clientId))).rejects.toMatchObject({ reason: 'locked' });
		// Not just refused by the app: the salon key it holds cannot open the wrapped clinical doc key.
		const entry = await storage.getRegistryEntry(clinicalDocId(clientId));
		await expect(openEnvelope(unlocked.keys.salon, entry!.wrappedKey!, { docId: clinicalDocId(clientId), kind: 'doc-key' })).rejects.toMatchObject({ reason: 'decrypt-failed' });
	});

	it('a PIN switch from a cosmetologist to reception drops the clinical key from memory', async () => {
		const { storage, session, clientId } = await makeSalon();
		const renata = await session.addStaff({ name: 'Renata', role: 'reception', passphrase: 'recepcja lubi zielona herbate', pin: '1357' });
		await session.addStaff({ name: 'Kasia', role: 'cosmetologist', passphrase: 'kosmetolog robi peeling rano', pin: '8642' });
		const { session: cosmetologist } = await openAs(storage, 'kosmetolog robi peeling rano');
		expect((await cosmetologist.store.load(clinicalDocId(clientId))).getMap('interview').get('allergy')).toBe('lateks');

		expect(await cosmetologist.switchByPin(renata.id, '0000')).toBe('wrong-pin');
		expect(await cosmetologist.switchByPin(renata.id, '1357')).toBe('switched');
		expect(cosmetologist.staff.name).toBe('Renata');
		expect(cosmetologist.hasClinicalKey).toBe(false);
		await expect(cosmetologist.store.load(clinicalDocId(clientId))).rejects.toMatchObject({ reason: 'locked' });

		// Back to the cosmetologist: her PIN alone is not enough, her passphrase brings the key back.
		const kasia = cosmetologist.staffList.find((s) => s.name === 'Kasia')!;
		expect(await cosmetologist.switchByPin(kasia.id, '8642')).toBe('needs-passphrase');
		await expect(cosmetologist.unlockClinical(kasia.id, 'recepcja lubi zielona herbate')).rejects.toMatchObject({ reason: 'wrong-passphrase' });
		await cosmetologist.unlockClinical(kasia.id, 'kosmetolog robi peeling rano');
		expect((await cosmetologist.store.load(clinicalDocId(clientId))).getMap('interview').get('allergy')).toBe('lateks');
	});

	it('a disabled member can no longer unlock, and a changed passphrase replaces the old one', async () => {
		const { storage, session } = await makeSalon();
		const renata = await session.addStaff({ name: 'Renata', role: 'reception', passphrase: 'recepcja lubi zielona herbate', pin: '1357' });
		await session.disableStaff(renata.id);
		await expect(openAs(storage, 'recepcja lubi zielona herbate')).rejects.toMatchObject({ reason: 'wrong-passphrase' });
		expect(session.staffList.find((s) => s.id === renata.id)?.disabled).toBe(true);

		await session.changeOwnPassphrase(OWNER, 'nowe haslo wlascicielki salonu');
		await expect(openAs(storage, OWNER)).rejects.toMatchObject({ reason: 'wrong-passphrase' });
		const { session: again } = await openAs(storage, 'nowe haslo wlascicielki salonu');
		expect(again.staff.name).toBe('Halina');
	});

	it('closing the session (hard lock) drops every key', async () => {
		const { session, clientId } = await makeSalon();
		session.close();
		await expect(session.store.load(SALON_DOC_ID)).rejects.toMatchObject({ reason: 'locked' });
		await expect(session.store.load(clinicalDocId(clientId))).rejects.toMatchObject({ reason: 'locked' });
	});
});
