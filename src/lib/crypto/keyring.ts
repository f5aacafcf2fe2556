// The salon's keyring: creating the salon's keys, wrapping them for each staff member and for the
// recovery key, and unlocking. Guarantees:
// - One key derivation per unlock, whatever the number of staff: the passphrase is derived once
//   with the keyring's params and tried against every enabled entry.
// - A role's entry wraps only its keys: reception gets no clinical key, so it cannot decrypt health
//   data at all. Recovery entries wrap every key.
// - Unlock returns keys only from an entry inside a keyring whose MAC verifies under the salon key
//   that entry holds. If the right passphrase opens an entry but the MAC fails, the keyring was
//   altered or damaged by someone without the salon key: unlock throws 'decrypt-failed' (not
//   'wrong-passphrase', so nobody retypes a correct passphrase forever). Nothing opened: 'wrong-passphrase'.
// - Functions that change a keyring verify it first, so they never re-sign a forged one.
// In memory the keys are non-extractable CryptoKeys. Re-wrapping (adding staff) needs the raw bytes,
// so they travel beside the keys in `RawSalonKeys`: the caller keeps that only while it must
// (e.g. the owner's staff screen) and calls wipeRawSalonKeys when done.
import { AppError, isAppError } from '../domain/errors';
import { importDataKey, openEnvelope, randomKeyBytes, sealEnvelope, type Binding, type DataKey } from './envelope';
import { deriveKek, type KdfParams } from './kdf';
import {
	assertKeyring, deriveKeyringMacKey, isKeyringAuthentic, signKeyring, verifyKeyring,
	type Keyring, type KeyringEntry, type SalonKeys, type StaffRole
} from './keyring-format';
import { newRecoveryKey, parseRecoveryKey, recoveryKek } from './recovery';

export type { Keyring, KeyringEntry, SalonKeys, StaffRole } from './keyring-format';
export { verifyKeyring } from './keyring-format';

/** Raw bytes of the salon's keys, needed only to wrap them for a new entry; wipe when done. */
export interface RawSalonKeys {
	generation: number;
	salon: Uint8Array;
	/** Null when the unlocking entry had no clinical key (reception). */
	clinical: Uint8Array | null;
	sync: Uint8Array;
}

/** Keys in memory plus their raw bytes, as created at setup or returned by unlock. */
export interface OpenedSalon {
	keys: SalonKeys;
	raw: RawSalonKeys;
}

/** The result of an unlock: the keys, their raw bytes, and whose entry opened them. */
export interface Unlocked extends OpenedSalon {
	entryId: string;
	role: StaffRole;
}

// Key-encryption keys are named so an envelope says which kind of secret sealed it.
const PASSPHRASE_KEK = 'kek/passphrase';
const RECOVERY_KEK = 'kek/recovery';
const KEY_BYTES = 32;

function keyIds(generation: number) {
	return { salon: `salon/${generation}`, clinical: `clinical/${generation}`, sync: `sync/${generation}` };
}

// The binding names the entry and the wrapped key, so an envelope cannot be moved to another
// entry (another role) or swapped for another key inside the same entry.
function wrapBinding(entryId: string, keyId: string): Binding {
	return { docId: `keyring/${entryId}/${keyId}`, kind: 'wrapped-key' };
}

function getsClinical(kind: KeyringEntry['kind'], role: StaffRole): boolean {
	return kind === 'recovery' || role !== 'reception';
}

async function importSalonKeys(raw: RawSalonKeys): Promise<SalonKeys> {
	const ids = keyIds(raw.generation);
	return {
		salon: await importDataKey(ids.salon, raw.salon),
		clinical: raw.clinical ? await importDataKey(ids.clinical, raw.clinical) : null,
		syncSecret: raw.sync.slice(), // a copy, so wiping the raw keys leaves sync running
		generation: raw.generation,
		keyringMac: await deriveKeyringMacKey(raw.salon)
	};
}

/** Overwrites raw key bytes with zeros (best effort: JS cannot promise no copy remains). */
export function wipeRawSalonKeys(raw: RawSalonKeys): void {
	raw.salon.fill(0);
	raw.clinical?.fill(0);
	raw.sync.fill(0);
}

/** Creates the salon's random keys, generation 1, at setup. */
export async function createSalonKeys(): Promise<OpenedSalon> {
	const raw: RawSalonKeys = { generation: 1, salon: randomKeyBytes(), clinical: randomKeyBytes(), sync: randomKeyBytes() };
	return { keys: await importSalonKeys(raw), raw };
}

async function wrapEntry(kek: DataKey, raw: RawSalonKeys, kind: KeyringEntry['kind'], role: StaffRole): Promise<KeyringEntry> {
	const id = crypto.randomUUID();
	const ids = keyIds(raw.generation);
	const wrapped: KeyringEntry['wrapped'] = {
		[ids.salon]: await sealEnvelope(kek, raw.salon, wrapBinding(id, ids.salon)),
		[ids.sync]: await sealEnvelope(kek, raw.sync, wrapBinding(id, ids.sync))
	};
	if (getsClinical(kind, role)) {
		if (!raw.clinical) throw new AppError('locked', 'this device holds no clinical key to give');
		wrapped[ids.clinical] = await sealEnvelope(kek, raw.clinical, wrapBinding(id, ids.clinical));
	}
	return { id, kind, role, disabled: false, wrapped };
}

function latestGeneration(entry: KeyringEntry): number | null {
	const gens = Object.keys(entry.wrapped).flatMap((id) => /^salon\/([1-9][0-9]{0,8})$/.exec(id)?.[1] ?? []);
	return gens.length ? Math.max(...gens.map(Number)) : null;
}

async function openKey(kek: DataKey, entry: KeyringEntry, keyId: string): Promise<Uint8Array> {
	const env = entry.wrapped[keyId];
	if (!env) throw new AppError('decrypt-failed', `entry lacks ${keyId}`);
	const bytes = await openEnvelope(kek, env, wrapBinding(entry.id, keyId));
	if (bytes.length !== KEY_BYTES) throw new AppError('decrypt-failed', `${keyId} is not a 256-bit key`);
	return bytes;
}

// Null when this KEK is not the entry's (wrong passphrase). Once the salon key opens, the secret
// is right, so any later failure means a damaged or forged entry and throws 'decrypt-failed'.
async function openEntry(entry: KeyringEntry, kek: DataKey): Promise<RawSalonKeys | null> {
	const generation = latestGeneration(entry);
	if (generation === null) return null;
	const ids = keyIds(generation);
	let salon: Uint8Array;
	try {
		salon = await openKey(kek, entry, ids.salon);
	} catch (e) {
		if (isAppError(e, 'decrypt-failed')) return null;
		throw e;
	}
	const sync = await openKey(kek, entry, ids.sync);
	const clinical = entry.wrapped[ids.clinical] ? await openKey(kek, entry, ids.clinical) : null;
	return { generation, salon, clinical, sync };
}

async function unlockWith(keyring: unknown, kek: DataKey, kind: KeyringEntry['kind']): Promise<Unlocked> {
	assertKeyring(keyring);
	let openedButForged = false;
	for (const entry of keyring.entries) {
		if (entry.disabled || entry.kind !== kind) continue;
		let raw: RawSalonKeys | null;
		try {
			raw = await openEntry(entry, kek);
		} catch (e) {
			if (!isAppError(e, 'decrypt-failed')) throw e;
			openedButForged = true;
			continue;
		}
		if (!raw) continue;
		const keys = await importSalonKeys(raw);
		// The MAC key comes from the salon key this entry holds: an entry slipped in by someone
		// without the salon key cannot carry a keyring MAC that verifies.
		if (await isKeyringAuthentic(keyring, keys.keyringMac)) return { keys, raw, entryId: entry.id, role: entry.role };
		wipeRawSalonKeys(raw);
		openedButForged = true;
	}
	if (openedButForged) throw new AppError('decrypt-failed', 'keyring fails authentication');
	throw new AppError('wrong-passphrase', `no ${kind} entry opens`);
}

/** Creates the keyring at setup: the owner's passphrase entry and a recovery entry; the recovery key text is shown once. */
export async function createKeyring(
	raw: RawSalonKeys,
	owner: { passphrase: string; role: 'owner' },
	kdf: KdfParams
): Promise<{ keyring: Keyring; recoveryKey: string; ownerEntryId: string }> {
	if (owner.passphrase.length === 0) throw new AppError('weak-passphrase', 'empty passphrase');
	const ownerEntry = await wrapEntry({ id: PASSPHRASE_KEK, key: await deriveKek(owner.passphrase, kdf) }, raw, 'passphrase', owner.role);
	const recovery = newRecoveryKey();
	const rkek = { id: RECOVERY_KEK, key: await recoveryKek(recovery.bytes, kdf.salt) };
	const recoveryEntry = await wrapEntry(rkek, raw, 'recovery', 'owner');
	recovery.bytes.fill(0);
	const keyring = await signKeyring({ version: 1, kdf, entries: [ownerEntry, recoveryEntry] }, await deriveKeyringMacKey(raw.salon));
	return { keyring, recoveryKey: recovery.text, ownerEntryId: ownerEntry.id };
}

/** Unlocks with a staff passphrase; throws AppError 'wrong-passphrase', or 'decrypt-failed' for a forged keyring. */
export async function unlockWithPassphrase(keyring: Keyring, passphrase: string): Promise<Unlocked> {
	assertKeyring(keyring);
	return unlockWith(keyring, { id: PASSPHRASE_KEK, key: await deriveKek(passphrase, keyring.kdf) }, 'passphrase');
}

/** Unlocks with the printed recovery key; throws 'invalid-input' if malformed, 'wrong-passphrase' if wrong. */
export async function unlockWithRecoveryKey(keyring: Keyring, text: string): Promise<Unlocked> {
	assertKeyring(keyring);
	const bytes = parseRecoveryKey(text);
	const kek = { id: RECOVERY_KEK, key: await recoveryKek(bytes, keyring.kdf.salt) };
	bytes.fill(0);
	return unlockWith(keyring, kek, 'recovery');
}

/** Adds a staff member's passphrase entry (keys chosen by role) and re-signs; refuses a passphrase that already opens an entry. */
export async function addEntry(
	keyring: Keyring,
	opened: OpenedSalon,
	staff: { passphrase: string; role: StaffRole }
): Promise<{ keyring: Keyring; entryId: string }> {
	await verifyKeyring(keyring, opened.keys);
	if (staff.passphrase.length === 0) throw new AppError('weak-passphrase', 'empty passphrase');
	const kek = { id: PASSPHRASE_KEK, key: await deriveKek(staff.passphrase, keyring.kdf) };
	// Two entries under one passphrase would make unlock pick whichever comes first: wrong person, wrong role.
	for (const e of keyring.entries) {
		if (e.disabled || e.kind !== 'passphrase') continue;
		const raw = await openEntry(e, kek).catch(() => null);
		if (raw) {
			wipeRawSalonKeys(raw);
			throw new AppError('weak-passphrase', 'passphrase already in use');
		}
	}
	const entry = await wrapEntry(kek, opened.raw, 'passphrase', staff.role);
	const next = await signKeyring({ ...keyring, entries: [...keyring.entries, entry] }, opened.keys.keyringMac);
	return { keyring: next, entryId: entry.id };
}

/** Disables an entry for good: its wrapped keys are removed and the keyring re-signed. */
export async function disableEntry(keyring: Keyring, entryId: string, keys: SalonKeys): Promise<Keyring> {
	await verifyKeyring(keyring, keys);
	if (!keyring.entries.some((e) => e.id === entryId)) throw new AppError('not-found', `keyring entry ${entryId}`);
	const entries = keyring.entries.map((e) => (e.id === entryId ? { ...e, disabled: true, wrapped: {} } : e));
	return signKeyring({ ...keyring, entries }, keys.keyringMac);
}
