// The keyring as text, for the places that carry JSON (a peer's sync message, an invite). Every
// Uint8Array (salt, IVs, ciphertexts, MAC) stands as {"$b64": "..."}. Guarantees: decoding checks
// the shape (assertKeyring) before anyone uses it and throws AppError for anything else; it does
// not verify the MAC (that needs the salon key: verifyKeyring, mergeKeyrings, unlock do it).
import { AppError, isAppError } from '../domain/errors';
import { assertKeyring, type Keyring } from './keyring-format';
import { decodeBase64, encodeBase64 } from './sync-signaling';

/** The keyring as JSON text. */
export function encodeKeyring(keyring: Keyring): string {
	return JSON.stringify(keyring, (_key, value: unknown) => (value instanceof Uint8Array ? { $b64: encodeBase64(value) } : value));
}

/** Reads a keyring from JSON text (or an already parsed value); throws AppError('invalid-input') for anything malformed. */
export function decodeKeyring(input: string | unknown): Keyring {
	try {
		const parsed: unknown = typeof input === 'string' ? JSON.parse(input) : JSON.parse(JSON.stringify(input));
		const revived = revive(parsed);
		assertKeyring(revived);
		return revived;
	} catch (e) {
		if (isAppError(e)) throw e;
		throw new AppError('invalid-input', 'keyring is not valid JSON');
	}
}

function revive(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(revive);
	if (typeof value !== 'object' || value === null) return value;
	const record = value as Record<string, unknown>;
	const keys = Object.keys(record);
	if (keys.length === 1 && keys[0] === '$b64') {
		const bytes = typeof record.$b64 === 'string' ? decodeBase64(record.$b64) : null;
		if (!bytes) throw new AppError('invalid-input', 'keyring bytes are not base64');
		return bytes;
	}
	return Object.fromEntries(keys.map((k) => [k, revive(record[k])]));
}
