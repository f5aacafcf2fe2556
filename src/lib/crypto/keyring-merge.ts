// Merging two copies of the salon's keyring (this device's and a peer's or a backup's). Guarantees:
// both inputs must verify under this salon's key (a forged copy is refused, never laundered by
// re-signing); the result is the union of entries by id; a disabled copy of an entry always wins,
// so an old copy cannot bring a removed staff member back; merging is commutative, so every
// device ends with the same keyring whatever order copies arrive in.
import { AppError } from '../domain/errors';
import { encodeEntry, signKeyring, verifyKeyring, type Keyring, type KeyringEntry, type SalonKeys } from './keyring-format';

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	return a.length === b.length && a.every((x, i) => x === b[i]);
}

// Entries never change except by being disabled (a passphrase change is a new entry plus a
// disabled old one), so two enabled copies differ only if something went wrong; the canonically
// smaller copy wins so both devices still pick the same one.
function pickEntry(a: KeyringEntry, b: KeyringEntry): KeyringEntry {
	if (a.disabled !== b.disabled) return strip(a.disabled ? a : b);
	const [x, y] = a.disabled ? [strip(a), strip(b)] : [a, b];
	return encodeEntry(x) <= encodeEntry(y) ? x : y;
}

// A disabled entry carries no keys, whatever an older copy held.
function strip(e: KeyringEntry): KeyringEntry {
	return { ...e, disabled: true, wrapped: {} };
}

/** Merges two verified copies of the keyring (union by id, disabled wins) and re-signs; throws for a forged copy or other KDF params. */
export async function mergeKeyrings(a: Keyring, b: unknown, keys: SalonKeys): Promise<Keyring> {
	await verifyKeyring(a, keys);
	const other = await verifyKeyring(b, keys);
	const kdfMatches =
		a.kdf.algorithm === other.kdf.algorithm && a.kdf.iterations === other.kdf.iterations && sameBytes(a.kdf.salt, other.kdf.salt);
	// Passphrase entries are wrapped under keys derived with these params: mixing params would
	// leave entries nobody can open.
	if (!kdfMatches) throw new AppError('invalid-update', 'keyrings use different key-derivation parameters');
	const byId = new Map<string, KeyringEntry>();
	for (const e of [...a.entries, ...other.entries]) {
		const seen = byId.get(e.id);
		byId.set(e.id, seen ? pickEntry(seen, e) : e);
	}
	const entries = [...byId.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
	return signKeyring({ version: 1, kdf: a.kdf, entries }, keys.keyringMac);
}
