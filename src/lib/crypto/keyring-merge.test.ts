import { describe, expect, it } from 'vitest';
import type { KdfParams } from './kdf';
import { signKeyring, verifyKeyring } from './keyring-format';
import { addEntry, createKeyring, createSalonKeys, disableEntry, unlockWithPassphrase } from './keyring';
import { mergeKeyrings } from './keyring-merge';

function fastKdf(): KdfParams {
	return { algorithm: 'PBKDF2-SHA-256', iterations: 1000, salt: crypto.getRandomValues(new Uint8Array(16)) };
}

async function setUpSalon() {
	const salon = await createSalonKeys();
	const { keyring } = await createKeyring(salon.raw, { passphrase: 'właścicielka', role: 'owner' }, fastKdf());
	return { salon, keyring };
}

describe('mergeKeyrings', () => {
	it('keeps staff added on either device, whatever order the copies arrive in', async () => {
		const { salon, keyring } = await setUpSalon();
		const a = await addEntry(keyring, salon, { passphrase: 'tablet A', role: 'cosmetologist' });
		const b = await addEntry(keyring, salon, { passphrase: 'tablet B', role: 'reception' });
		const ab = await mergeKeyrings(a.keyring, b.keyring, salon.keys);
		const ba = await mergeKeyrings(b.keyring, a.keyring, salon.keys);
		expect(ab.entries.map((e) => e.id)).toEqual(ba.entries.map((e) => e.id));
		expect(ab.mac).toEqual(ba.mac);
		expect(ab.entries).toHaveLength(4);
		await verifyKeyring(ab, salon.keys);
		expect((await unlockWithPassphrase(ab, 'tablet A')).role).toBe('cosmetologist');
		expect((await unlockWithPassphrase(ab, 'tablet B')).role).toBe('reception');
	});

	it('keeps a disabled entry disabled when merged with an older copy, in either order', async () => {
		const { salon, keyring } = await setUpSalon();
		const older = await addEntry(keyring, salon, { passphrase: 'odchodzi', role: 'cosmetologist' });
		const newer = await disableEntry(older.keyring, older.entryId, salon.keys);
		for (const merged of [
			await mergeKeyrings(older.keyring, newer, salon.keys),
			await mergeKeyrings(newer, older.keyring, salon.keys)
		]) {
			expect(merged.entries.find((e) => e.id === older.entryId)).toMatchObject({ disabled: true, wrapped: {} });
			await expect(unlockWithPassphrase(merged, 'odchodzi')).rejects.toMatchObject({ reason: 'wrong-passphrase' });
		}
	});

	it('refuses a copy that fails authentication instead of re-signing it', async () => {
		const { salon, keyring } = await setUpSalon();
		const other = await setUpSalon();
		const forged = await signKeyring({ ...keyring, entries: [...keyring.entries, ...other.keyring.entries] }, other.salon.keys.keyringMac);
		await expect(mergeKeyrings(keyring, forged, salon.keys)).rejects.toMatchObject({ reason: 'decrypt-failed' });
		await expect(mergeKeyrings(keyring, { nonsense: true }, salon.keys)).rejects.toMatchObject({ reason: 'invalid-input' });
	});

	it('refuses a copy with other key-derivation parameters', async () => {
		const { salon, keyring } = await setUpSalon();
		const recalibrated = await signKeyring({ ...keyring, kdf: fastKdf() }, salon.keys.keyringMac);
		await expect(mergeKeyrings(keyring, recalibrated, salon.keys)).rejects.toMatchObject({ reason: 'invalid-update' });
	});
});
