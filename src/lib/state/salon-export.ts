// The owner's export of the whole salon as plain JSON (the salon owns its data: no export by
// support ticket, no locked PDF). It needs the owner's passphrase again, because the file it
// makes is plaintext health data and leaves the app's protection.
import { unlockWithPassphrase, wipeRawSalonKeys } from '../crypto/keyring';
import { AppError } from '../domain/errors';
import { clinicalDocId, profileDocId, SALON_DOC_ID, type ClientId } from '../domain/ids';
import { readHistory, readProfile } from '../doc/profile-doc';
import type { SalonSession } from './salon-session';

/** Format marker of the export, so a later importer knows what it reads. */
export const EXPORT_FORMAT = 'kartoteka-export/1';

/** Checks that `passphrase` is the signed-in owner's; throws 'wrong-passphrase' otherwise. */
export async function confirmOwner(salon: SalonSession, passphrase: string): Promise<void> {
	if (salon.staff.role !== 'owner') throw new AppError('locked', 'owner only');
	const check = await unlockWithPassphrase(salon.keyring, passphrase);
	wipeRawSalonKeys(check.raw);
	if (check.entryId !== salon.staff.keyringEntryId) throw new AppError('wrong-passphrase');
}

/** Builds the export: the salon, its staff (without PIN verifiers) and every card it can read. */
export async function exportSalon(salon: SalonSession, passphrase: string, now = new Date()): Promise<object> {
	await confirmOwner(salon, passphrase);
	const registry = await salon.storage.listRegistry();
	const clients = [];
	for (const entry of registry) {
		if (entry.kind !== 'profile' || entry.tombstone) continue;
		const clientId = entry.docId.slice('client:'.length) as ClientId;
		const doc = await salon.store.load(profileDocId(clientId));
		const card: Record<string, unknown> = { id: clientId, profile: readProfile(doc), history: readHistory(doc) };
		doc.destroy();
		const clinical = registry.find((e) => e.docId === clinicalDocId(clientId) && !e.tombstone);
		if (clinical && salon.hasClinicalKey) {
			const cdoc = await salon.store.load(clinical.docId);
			card.clinical = cdoc.toJSON();
			cdoc.destroy();
		}
		clients.push(card);
	}
	const salonDoc = await salon.store.load(SALON_DOC_ID);
	const raw = salonDoc.toJSON() as Record<string, unknown>;
	salonDoc.destroy();
	return {
		format: EXPORT_FORMAT,
		exportedAt: now.toISOString(),
		salon: { ...salon.profile, settings: salon.settings, catalogue: { treatments: raw.treatments, products: raw.products } },
		staff: salon.staffList.map(({ pin: _pin, keyringEntryId: _entry, ...member }) => member),
		clients
	};
}
