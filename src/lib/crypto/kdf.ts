// Passphrase key derivation: PBKDF2-SHA-256 calibrated on this device so one guess costs at least
// the target time (DESIGN: >= 250 ms per guess), never fewer than a fixed floor of iterations, with
// a fresh random salt. The derived key-encryption key is a non-extractable AES-GCM key.
import { AppError } from '../domain/errors';

/** Stored beside the keyring: everything needed to derive the same key again. */
export interface KdfParams {
	algorithm: 'PBKDF2-SHA-256';
	iterations: number;
	salt: Uint8Array;
}

/** The iteration floor for real salons (~170 ms here; calibration usually lands near 1.5 million). */
export const MIN_KDF_ITERATIONS = 1_000_000;

/** The ceiling accepted from stored params, so a corrupted keyring cannot hang unlock for minutes. */
export const MAX_KDF_ITERATIONS = 50_000_000;

// A longer trial measures the device more steadily (a 100k trial once calibrated to 234 ms here).
const TRIAL_ITERATIONS = 300_000;
/** DESIGN: at least this long per guess on the device that set the salon up. */
const FLOOR_MS = 250;
// Round calibrated counts up so stored params look deliberate and never round below the target.
const ROUND_TO = 10_000;

const encoder = new TextEncoder();

function asBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
	return bytes as Uint8Array<ArrayBuffer>;
}

function checkParams(params: KdfParams): void {
	const ok =
		params.algorithm === 'PBKDF2-SHA-256' &&
		Number.isSafeInteger(params.iterations) &&
		params.iterations >= 1 &&
		params.iterations <= MAX_KDF_ITERATIONS &&
		params.salt instanceof Uint8Array &&
		params.salt.length >= 16;
	if (!ok) throw new AppError('invalid-input', 'unsupported key-derivation parameters');
}

async function importPassphrase(passphrase: string): Promise<CryptoKey> {
	// NFC so the same passphrase typed on two keyboards (composed vs decomposed accents) matches.
	const bytes = encoder.encode(passphrase.normalize('NFC'));
	return crypto.subtle.importKey('raw', bytes, 'PBKDF2', false, ['deriveKey', 'deriveBits']);
}

function pbkdf2(params: KdfParams) {
	return { name: 'PBKDF2', hash: 'SHA-256', salt: asBuffer(params.salt), iterations: params.iterations };
}

/** Derives the AES-GCM key-encryption key that wraps a staff member's keys from their passphrase. */
export async function deriveKek(passphrase: string, params: KdfParams): Promise<CryptoKey> {
	checkParams(params);
	const base = await importPassphrase(passphrase);
	return crypto.subtle.deriveKey(pbkdf2(params), base, { name: 'AES-GCM', length: 256 }, false, [
		'encrypt',
		'decrypt'
	]);
}

/** Measures how long one derivation with `params` takes on this device, in milliseconds. */
export async function measureKdfMs(params: KdfParams): Promise<number> {
	checkParams(params);
	const base = await importPassphrase('kartoteka calibration');
	const start = performance.now();
	await crypto.subtle.deriveBits(pbkdf2(params), base, 256);
	return performance.now() - start;
}

/** Creates params with a fresh salt whose derivation takes about `targetMs` here, never below `minIterations`. */
export async function calibrateKdf(targetMs = 330, minIterations = MIN_KDF_ITERATIONS): Promise<KdfParams> {
	const salt = crypto.getRandomValues(new Uint8Array(16));
	// A one-iteration run first so engine start-up cost does not make the device look slower.
	await measureKdfMs({ algorithm: 'PBKDF2-SHA-256', iterations: 1, salt });
	const trialMs = await measureKdfMs({ algorithm: 'PBKDF2-SHA-256', iterations: TRIAL_ITERATIONS, salt });
	// A coarse timer can report 0 ms; then the floor is all we can justify.
	const scaled = trialMs > 0 ? Math.ceil(((TRIAL_ITERATIONS * targetMs) / trialMs) / ROUND_TO) * ROUND_TO : 0;
	let iterations = Math.max(minIterations, Math.min(MAX_KDF_ITERATIONS, scaled));
	// A trial taken while the page was busy overstates the cost per iteration (the benchmark once
	// stored a count that then measured 210 ms): derive with the chosen count and scale up until
	// one guess really costs the floor.
	for (let check = 0; check < 3 && iterations < MAX_KDF_ITERATIONS; check++) {
		const ms = await measureKdfMs({ algorithm: 'PBKDF2-SHA-256', iterations, salt });
		if (ms >= FLOOR_MS || ms <= 0) break;
		const rescaled = Math.ceil(((iterations * targetMs) / ms) / ROUND_TO) * ROUND_TO;
		iterations = Math.min(MAX_KDF_ITERATIONS, Math.max(minIterations, iterations, rescaled));
	}
	return { algorithm: 'PBKDF2-SHA-256', iterations, salt };
}
