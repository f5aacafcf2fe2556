// The recovery key: 160 random bits shown once to the owner as Crockford base32 in groups of four
// (`K7Q2-…`, 8 groups). Parsing forgives what people do when they type from paper: spaces,
// lowercase, missing dashes, O for 0 and I or L for 1. Anything else is 'invalid-input'. Because
// the key is fully random, HKDF is enough to turn it into a key-encryption key: no slow KDF.
import { AppError } from '../domain/errors';

/** How many random bytes a recovery key holds (160 bits). */
export const RECOVERY_KEY_BYTES = 20;

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHARS = (RECOVERY_KEY_BYTES * 8) / 5; // 32, exact: no padding bits
const GROUP = 4;
// Crockford's reading rules: letters that look like digits are those digits.
const LOOKALIKES: Record<string, string> = { O: '0', I: '1', L: '1' };

/** A recovery key as bytes (for HKDF) and as the text printed for the owner. */
export interface RecoveryKey {
	bytes: Uint8Array;
	text: string;
}

function encodeBase32(bytes: Uint8Array): string {
	let out = '';
	let acc = 0;
	let bits = 0;
	for (const b of bytes) {
		acc = (acc << 8) | b;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out += ALPHABET[(acc >> bits) & 31];
		}
		acc &= (1 << bits) - 1; // keep only unread bits so the accumulator never overflows
	}
	return out;
}

function decodeBase32(chars: string): Uint8Array {
	const out = new Uint8Array((chars.length * 5) / 8);
	let acc = 0;
	let bits = 0;
	let i = 0;
	for (const c of chars) {
		acc = (acc << 5) | ALPHABET.indexOf(c);
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			out[i++] = (acc >> bits) & 0xff;
			acc &= (1 << bits) - 1;
		}
	}
	return out;
}

/** Formats recovery key bytes as the printed text, e.g. `K7Q2-9XMB-…`. */
export function formatRecoveryKey(bytes: Uint8Array): string {
	if (bytes.length !== RECOVERY_KEY_BYTES) throw new AppError('invalid-input', 'recovery key length');
	return encodeBase32(bytes).match(new RegExp(`.{${GROUP}}`, 'g'))!.join('-');
}

/** Creates a new random recovery key. */
export function newRecoveryKey(): RecoveryKey {
	const bytes = crypto.getRandomValues(new Uint8Array(RECOVERY_KEY_BYTES));
	return { bytes, text: formatRecoveryKey(bytes) };
}

/** Reads a typed recovery key; throws AppError('invalid-input') for a wrong length or character. */
export function parseRecoveryKey(text: string): Uint8Array {
	const cleaned = text
		.toUpperCase()
		.replace(/[\s\-–—]/g, '')
		.replace(/[OIL]/g, (c) => LOOKALIKES[c]);
	if (cleaned.length !== CHARS) throw new AppError('invalid-input', `recovery key has ${cleaned.length} characters`);
	if (![...cleaned].every((c) => ALPHABET.includes(c))) {
		throw new AppError('invalid-input', 'recovery key has characters outside Crockford base32');
	}
	return decodeBase32(cleaned);
}

/** Derives the AES-GCM key-encryption key of recovery entries from the key's bytes (HKDF-SHA-256). */
export async function recoveryKek(bytes: Uint8Array, salt: Uint8Array): Promise<CryptoKey> {
	if (bytes.length !== RECOVERY_KEY_BYTES) throw new AppError('invalid-input', 'recovery key length');
	const base = await crypto.subtle.importKey('raw', bytes as Uint8Array<ArrayBuffer>, 'HKDF', false, ['deriveKey']);
	return crypto.subtle.deriveKey(
		{
			name: 'HKDF',
			hash: 'SHA-256',
			salt: salt as Uint8Array<ArrayBuffer>,
			info: new TextEncoder().encode('kartoteka/recovery-kek/1')
		},
		base,
		{ name: 'AES-GCM', length: 256 },
		false,
		['encrypt', 'decrypt']
	);
}
