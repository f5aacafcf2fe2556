// Roles are enforced by keys: a reception session, opened directly or reached by a PIN switch
// from a cosmetologist, cannot decrypt anything sealed with the clinical key.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { makeTestSalon, openTestSalon, TEST_OWNER_PASSPHRASE } from '../../../tests/factories/salon';
import { openEnvelope } from '../crypto/envelope';
import { newId, SALON_DOC_ID, clinicalDocId, type ClientId } from '../domain/ids';
import type { Storage } from '../storage/storage';
import { captureUpdate } from './card-service';

async function makeSalon() {
	const { storage, session } = await makeTestSalon();
	// A clinical doc with health data, sealed under its key wrapped by the clinical key.
	const clientId = newId<ClientId>();
	await session.store.createDoc(clinicalDocId(clientId), 'clinical');
	const clinical = new Y.Doc();
	const u = captureUpdate(clinical, () => clinical.getMap('interview').set('allergy', 'lateks'));
	await session.store.append(clinicalDocId(clientId), u!);
	return { storage, session, clientId };
}

const openAs = (storage: Storage, passphrase: string) => openTestSalon(storage, passphrase);
const OWNER = TEST_OWNER_PASSPHRASE;

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
		expect(again.staff.name).toBe('Halina Testowa');
	});

	it('closing the session (hard lock) drops every key', async () => {
		const { session, clientId } = await makeSalon();
		session.close();
		await expect(session.store.load(SALON_DOC_ID)).rejects.toMatchObject({ reason: 'locked' });
		await expect(session.store.load(clinicalDocId(clientId))).rejects.toMatchObject({ reason: 'locked' });
	});
});
