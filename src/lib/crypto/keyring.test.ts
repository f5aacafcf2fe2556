import { afterEach, describe, expect, it, vi } from 'vitest';
import { openEnvelope, sealEnvelope, type Binding } from './envelope';
import type { KdfParams } from './kdf';
import { signKeyring, verifyKeyring } from './keyring-format';
import {
	addEntry, createKeyring, createSalonKeys, disableEntry, unlockWithPassphrase, unlockWithRecoveryKey,
	type Keyring
} from './keyring';

const OWNER = 'Magnolia przy Kwiatowej 12';
const profile: Binding = { docId: 'client:0b7a6c1e-4f65-4c1b-9a53-0f3c2d1e5a77', kind: 'update' };
const clinical: Binding = { docId: 'clinical:0b7a6c1e-4f65-4c1b-9a53-0f3c2d1e5a77', kind: 'update' };
const note = new TextEncoder().encode('alergia na lateks');

// Small params keep tests fast; calibrateKdf's floor is tested in kdf.test.ts.
function fastKdf(): KdfParams {
	return { algorithm: 'PBKDF2-SHA-256', iterations: 1000, salt: crypto.getRandomValues(new Uint8Array(16)) };
}

async function setUpSalon() {
	const salon = await createSalonKeys();
	const created = await createKeyring(salon.raw, { passphrase: OWNER, role: 'owner' }, fastKdf());
	return { salon, ...created };
}

function hex(bytes: Uint8Array): string {
	return Buffer.from(bytes).toString('hex');
}

afterEach(() => vi.restoreAllMocks());

describe('keyring unlock', () => {
	it('unlocks with the owner passphrase into keys that open what setup sealed', async () => {
		const { salon, keyring, ownerEntryId } = await setUpSalon();
		const env = await sealEnvelope(salon.keys.salon, note, profile);
		const clin = await sealEnvelope(salon.keys.clinical!, note, clinical);
		const u = await unlockWithPassphrase(keyring, OWNER);
		expect(u).toMatchObject({ entryId: ownerEntryId, role: 'owner' });
		expect(u.keys.generation).toBe(1);
		expect(u.keys.salon.id).toBe('salon/1');
		expect(await openEnvelope(u.keys.salon, env, profile)).toEqual(note);
		expect(await openEnvelope(u.keys.clinical!, clin, clinical)).toEqual(note);
		expect(u.keys.syncSecret).toEqual(salon.raw.sync);
	});

	it('keeps unlocked keys non-extractable', async () => {
		const { keyring } = await setUpSalon();
		const u = await unlockWithPassphrase(keyring, OWNER);
		expect(u.keys.salon.key.extractable).toBe(false);
		expect(u.keys.clinical!.key.extractable).toBe(false);
		expect(u.keys.keyringMac.extractable).toBe(false);
	});

	it('refuses a wrong passphrase as wrong-passphrase', async () => {
		const { keyring } = await setUpSalon();
		await expect(unlockWithPassphrase(keyring, 'magnolia przy kwiatowej 12')).rejects.toMatchObject({
			reason: 'wrong-passphrase'
		});
	});

	it('derives the passphrase once however many staff entries there are', async () => {
		const { salon, keyring } = await setUpSalon();
		let k = keyring;
		for (const [i, role] of (['cosmetologist', 'reception', 'cosmetologist'] as const).entries()) {
			k = (await addEntry(k, salon, { passphrase: `pracownik ${i}`, role })).keyring;
		}
		const derive = vi.spyOn(crypto.subtle, 'deriveKey');
		const u = await unlockWithPassphrase(k, 'pracownik 2');
		expect(u.role).toBe('cosmetologist');
		expect(derive.mock.calls.filter(([alg]) => (alg as { name: string }).name === 'PBKDF2')).toHaveLength(1);
	});

	it('unlocks with the recovery key, also typed in lowercase with spaces', async () => {
		const { salon, keyring, recoveryKey } = await setUpSalon();
		const env = await sealEnvelope(salon.keys.clinical!, note, clinical);
		for (const typed of [recoveryKey, recoveryKey.toLowerCase().replaceAll('-', ' ')]) {
			const u = await unlockWithRecoveryKey(keyring, typed);
			expect(u.role).toBe('owner');
			expect(await openEnvelope(u.keys.clinical!, env, clinical)).toEqual(note);
		}
	});

	it('refuses a wrong recovery key as wrong-passphrase and a malformed one as invalid-input', async () => {
		const { keyring, recoveryKey } = await setUpSalon();
		const other = (await setUpSalon()).recoveryKey;
		await expect(unlockWithRecoveryKey(keyring, other)).rejects.toMatchObject({ reason: 'wrong-passphrase' });
		await expect(unlockWithRecoveryKey(keyring, recoveryKey.slice(0, -2))).rejects.toMatchObject({
			reason: 'invalid-input'
		});
	});

	it('does not accept the recovery key as a passphrase', async () => {
		const { keyring, recoveryKey } = await setUpSalon();
		await expect(unlockWithPassphrase(keyring, recoveryKey)).rejects.toMatchObject({ reason: 'wrong-passphrase' });
	});

	it('unlocks a copy that went through structured clone, as IndexedDB stores it', async () => {
		const { keyring } = await setUpSalon();
		expect((await unlockWithPassphrase(structuredClone(keyring), OWNER)).role).toBe('owner');
	});

	it('stores no raw key bytes, only ciphertext', async () => {
		const { salon, keyring } = await setUpSalon();
		const stored = JSON.stringify(keyring, (_k, v) => (v instanceof Uint8Array ? hex(v) : v));
		for (const raw of [salon.raw.salon, salon.raw.clinical!, salon.raw.sync]) expect(stored).not.toContain(hex(raw));
	});
});

describe('keyring roles', () => {
	it('gives reception the salon key but no clinical key, so health data stays sealed', async () => {
		const { salon, keyring } = await setUpSalon();
		const added = await addEntry(keyring, salon, { passphrase: 'recepcja 2024', role: 'reception' });
		const entry = added.keyring.entries.find((e) => e.id === added.entryId)!;
		expect(Object.keys(entry.wrapped).sort()).toEqual(['salon/1', 'sync/1']);

		const u = await unlockWithPassphrase(added.keyring, 'recepcja 2024');
		expect(u.role).toBe('reception');
		expect(u.keys.clinical).toBeNull();
		expect(u.raw.clinical).toBeNull();
		const prof = await sealEnvelope(salon.keys.salon, note, profile);
		expect(await openEnvelope(u.keys.salon, prof, profile)).toEqual(note);
		const clin = await sealEnvelope(salon.keys.clinical!, note, clinical);
		await expect(openEnvelope(u.keys.salon, clin, clinical)).rejects.toMatchObject({ reason: 'decrypt-failed' });
	});

	it('gives a cosmetologist the clinical key', async () => {
		const { salon, keyring } = await setUpSalon();
		const added = await addEntry(keyring, salon, { passphrase: 'kosmetolog 1', role: 'cosmetologist' });
		const u = await unlockWithPassphrase(added.keyring, 'kosmetolog 1');
		const clin = await sealEnvelope(salon.keys.clinical!, note, clinical);
		expect(await openEnvelope(u.keys.clinical!, clin, clinical)).toEqual(note);
	});

	it('refuses to add a clinical role from a device that holds no clinical key', async () => {
		const { salon, keyring } = await setUpSalon();
		const added = await addEntry(keyring, salon, { passphrase: 'recepcja 2024', role: 'reception' });
		const reception = await unlockWithPassphrase(added.keyring, 'recepcja 2024');
		await expect(
			addEntry(added.keyring, reception, { passphrase: 'nowa osoba', role: 'cosmetologist' })
		).rejects.toMatchObject({ reason: 'locked' });
	});

	it('refuses a passphrase that already opens another entry', async () => {
		const { salon, keyring } = await setUpSalon();
		await expect(addEntry(keyring, salon, { passphrase: OWNER, role: 'reception' })).rejects.toMatchObject({
			reason: 'weak-passphrase'
		});
	});

	it('no longer unlocks a disabled entry, whose wrapped keys are gone', async () => {
		const { salon, keyring } = await setUpSalon();
		const added = await addEntry(keyring, salon, { passphrase: 'była pracownica', role: 'cosmetologist' });
		const disabled = await disableEntry(added.keyring, added.entryId, salon.keys);
		expect(disabled.entries.find((e) => e.id === added.entryId)).toMatchObject({ disabled: true, wrapped: {} });
		await expect(unlockWithPassphrase(disabled, 'była pracownica')).rejects.toMatchObject({ reason: 'wrong-passphrase' });
		expect((await unlockWithPassphrase(disabled, OWNER)).role).toBe('owner');
	});
});

describe('keyring authentication', () => {
	// An outsider can build a well-formed entry (under their own passphrase and keys) but cannot
	// compute this salon's MAC.
	async function slipInEntry(keyring: Keyring) {
		const fake = await setUpSalon();
		const intruder = (await createKeyring(fake.salon.raw, { passphrase: 'intruz', role: 'owner' }, keyring.kdf)).keyring;
		const entry = intruder.entries.find((e) => e.kind === 'passphrase')!;
		return { tampered: { ...keyring, entries: [...keyring.entries, entry] }, fake: fake.salon };
	}

	it('does not unlock through an entry slipped in without the salon key', async () => {
		const { keyring } = await setUpSalon();
		const { tampered } = await slipInEntry(keyring);
		await expect(unlockWithPassphrase(tampered, 'intruz')).rejects.toMatchObject({ reason: 'decrypt-failed' });
	});

	it('reports a tampered keyring as decrypt-failed, not as a wrong passphrase', async () => {
		const { keyring } = await setUpSalon();
		const { tampered } = await slipInEntry(keyring);
		await expect(unlockWithPassphrase(tampered, OWNER)).rejects.toMatchObject({ reason: 'decrypt-failed' });
		await expect(unlockWithPassphrase(tampered, 'nie to hasło')).rejects.toMatchObject({ reason: 'wrong-passphrase' });
	});

	it('never lets an owner passphrase open a keyring re-signed with someone else\'s salon key', async () => {
		const { keyring } = await setUpSalon();
		const { tampered, fake } = await slipInEntry(keyring);
		const resigned = await signKeyring(tampered, fake.keys.keyringMac);
		await expect(unlockWithPassphrase(resigned, OWNER)).rejects.toMatchObject({ reason: 'decrypt-failed' });
	});

	it('detects a changed role or a re-enabled entry', async () => {
		const { salon, keyring } = await setUpSalon();
		const added = await addEntry(keyring, salon, { passphrase: 'recepcja 2024', role: 'reception' });
		const promoted = {
			...added.keyring,
			entries: added.keyring.entries.map((e) => (e.id === added.entryId ? { ...e, role: 'owner' as const } : e))
		};
		await expect(unlockWithPassphrase(promoted, 'recepcja 2024')).rejects.toMatchObject({ reason: 'decrypt-failed' });
		await expect(verifyKeyring(promoted, salon.keys)).rejects.toMatchObject({ reason: 'decrypt-failed' });

		const disabled = await disableEntry(added.keyring, added.entryId, salon.keys);
		const reenabled = {
			...disabled,
			entries: disabled.entries.map((e) => (e.id === added.entryId ? added.keyring.entries.find((x) => x.id === e.id)! : e))
		};
		await expect(unlockWithPassphrase(reenabled, 'recepcja 2024')).rejects.toMatchObject({ reason: 'decrypt-failed' });
	});

	it('refuses to add to or disable in a forged keyring rather than re-signing it', async () => {
		const { salon, keyring } = await setUpSalon();
		const { tampered } = await slipInEntry(keyring);
		await expect(addEntry(tampered, salon, { passphrase: 'nowa', role: 'reception' })).rejects.toMatchObject({
			reason: 'decrypt-failed'
		});
		await expect(disableEntry(tampered, keyring.entries[0].id, salon.keys)).rejects.toMatchObject({
			reason: 'decrypt-failed'
		});
	});

	it('refuses a malformed keyring as invalid-input and a newer format as newer-version', async () => {
		const { keyring } = await setUpSalon();
		await expect(unlockWithPassphrase({ ...keyring, entries: 'x' } as never, OWNER)).rejects.toMatchObject({
			reason: 'invalid-input'
		});
		const dup = { ...keyring, entries: [keyring.entries[0], keyring.entries[0]] };
		await expect(unlockWithPassphrase(dup, OWNER)).rejects.toMatchObject({ reason: 'invalid-input' });
		await expect(unlockWithPassphrase({ ...keyring, version: 2 } as never, OWNER)).rejects.toMatchObject({
			reason: 'newer-version'
		});
	});
});
