// The keyring's shape and its authentication. A keyring read from disk or from a peer is checked
// for shape before use, and its MAC (HMAC-SHA-256 over a canonical serialisation of kdf + entries,
// keyed by HKDF from the salon key) proves that a holder of the salon key wrote it: someone without
// that key cannot add, re-enable or re-role an entry. Entry order does not change the MAC, so two
// devices that merge the same entries agree on the bytes.
import { AppError } from '../domain/errors';
import { STAFF_ROLES, type StaffRole } from '../domain/salon';
import type { DataKey, Envelope } from './envelope';
import type { KdfParams } from './kdf';

/** What a staff member may do (defined in domain/salon); decides which keys their entry wraps. */
export type { StaffRole };

/** One way into the salon: a staff passphrase or the owner's recovery key. */
export interface KeyringEntry {
	/** Random, says nothing about the person. */
	id: string;
	kind: 'passphrase' | 'recovery';
	role: StaffRole;
	/** A disabled entry has no wrapped keys left and stays disabled through every merge. */
	disabled: boolean;
	/** Raw key bytes sealed under this entry's key-encryption key, by key id (`salon/1`, `clinical/1`, `sync/1`). */
	wrapped: Record<string, Envelope>;
}

/** The salon's keyring: only ciphertext and random ids, so it can be read before unlock. */
export interface Keyring {
	version: 1;
	kdf: KdfParams;
	entries: KeyringEntry[];
	mac: Uint8Array;
}

/** The unwrapped keys in memory: non-extractable CryptoKeys plus the sync secret. */
export interface SalonKeys {
	salon: DataKey;
	/** Null for a role without health data (reception): clinical envelopes cannot be opened at all. */
	clinical: DataKey | null;
	syncSecret: Uint8Array;
	generation: number;
	/** Authenticates the keyring (HMAC, non-extractable); every staff member holds it, so each device can merge keyrings. */
	keyringMac: CryptoKey;
}

const KINDS = new Set<string>(['passphrase', 'recovery']);
const ROLES = new Set<string>(STAFF_ROLES);

function isEnvelope(v: unknown): v is Envelope {
	const e = v as Envelope;
	return (
		typeof e === 'object' && e !== null && typeof e.keyId === 'string' &&
		e.iv instanceof Uint8Array && e.ciphertext instanceof Uint8Array
	);
}

function isEntry(v: unknown): v is KeyringEntry {
	const e = v as KeyringEntry;
	return (
		typeof e === 'object' && e !== null && typeof e.id === 'string' && e.id.length > 0 &&
		KINDS.has(e.kind) && ROLES.has(e.role) && typeof e.disabled === 'boolean' &&
		typeof e.wrapped === 'object' && e.wrapped !== null && Object.values(e.wrapped).every(isEnvelope)
	);
}

/** Checks that a value read from disk or a peer is a version-1 keyring; throws AppError otherwise. */
export function assertKeyring(value: unknown): asserts value is Keyring {
	const k = value as Keyring;
	if (typeof k !== 'object' || k === null) throw new AppError('invalid-input', 'keyring is not an object');
	if (typeof k.version === 'number' && k.version > 1) throw new AppError('newer-version', `keyring v${k.version}`);
	const ok =
		k.version === 1 && typeof k.kdf === 'object' && k.kdf !== null && k.kdf.salt instanceof Uint8Array &&
		Array.isArray(k.entries) && k.entries.every(isEntry) && k.mac instanceof Uint8Array;
	if (!ok) throw new AppError('invalid-input', 'malformed keyring');
	// Duplicate ids would make "union by id" ambiguous and let one copy hide behind another.
	if (new Set(k.entries.map((e) => e.id)).size !== k.entries.length) {
		throw new AppError('invalid-input', 'duplicate keyring entry id');
	}
}

function hex(bytes: Uint8Array): string {
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Serialises one entry canonically; also used to pick the same copy on every device when merging. */
export function encodeEntry(e: KeyringEntry): string {
	const wrapped = Object.keys(e.wrapped)
		.sort(compare)
		.map((id) => [id, e.wrapped[id].keyId, hex(e.wrapped[id].iv), hex(e.wrapped[id].ciphertext)]);
	return JSON.stringify([e.id, e.kind, e.role, e.disabled, wrapped]);
}

function encodeKeyring(k: Omit<Keyring, 'mac'>): Uint8Array<ArrayBuffer> {
	// Arrays of primitives in a fixed order: JSON.stringify is deterministic for these.
	const entries = [...k.entries].sort((a, b) => compare(a.id, b.id)).map(encodeEntry);
	const body = ['kartoteka-keyring', k.version, [k.kdf.algorithm, k.kdf.iterations, hex(k.kdf.salt)], entries];
	return new TextEncoder().encode(JSON.stringify(body));
}

/** Derives the keyring's HMAC key from the raw salon key bytes (HKDF-SHA-256). */
export async function deriveKeyringMacKey(salonRaw: Uint8Array): Promise<CryptoKey> {
	const base = await crypto.subtle.importKey('raw', salonRaw as Uint8Array<ArrayBuffer>, 'HKDF', false, ['deriveKey']);
	return crypto.subtle.deriveKey(
		{ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode('kartoteka/keyring-mac/1') },
		base,
		{ name: 'HMAC', hash: 'SHA-256', length: 256 },
		false,
		['sign', 'verify']
	);
}

/** Computes the MAC of `keyring` (its current `mac` is ignored) and returns the keyring carrying it. */
export async function signKeyring(keyring: Omit<Keyring, 'mac'>, macKey: CryptoKey): Promise<Keyring> {
	const mac = new Uint8Array(await crypto.subtle.sign('HMAC', macKey, encodeKeyring(keyring)));
	return { version: 1, kdf: keyring.kdf, entries: keyring.entries, mac };
}

/** Whether `keyring`'s MAC was made with `macKey` (constant-time check by WebCrypto). */
export async function isKeyringAuthentic(keyring: Keyring, macKey: CryptoKey): Promise<boolean> {
	return crypto.subtle.verify('HMAC', macKey, keyring.mac as Uint8Array<ArrayBuffer>, encodeKeyring(keyring));
}

/** Checks the keyring's shape and MAC against the unlocked salon; throws AppError('decrypt-failed') if forged. */
export async function verifyKeyring(keyring: unknown, keys: Pick<SalonKeys, 'keyringMac'>): Promise<Keyring> {
	assertKeyring(keyring);
	if (!(await isKeyringAuthentic(keyring, keys.keyringMac))) {
		throw new AppError('decrypt-failed', 'keyring MAC does not match the salon key');
	}
	return keyring;
}
