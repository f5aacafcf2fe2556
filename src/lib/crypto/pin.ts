// PIN verifiers for the screen lock. A 4-6 digit PIN has at most a million values, so no hash
// makes it safe on its own: the verifier is kept only inside the sealed salon doc (never on disk
// in plaintext) and in memory while the device is unlocked, and five wrong PINs end in a hard
// lock. The slow hash only keeps a memory dump from revealing a PIN instantly.
import type { PinVerifier } from '../domain/salon';

const ITERATIONS = 50_000;

function toBase64(bytes: Uint8Array): string {
	let s = '';
	for (const b of bytes) s += String.fromCharCode(b);
	return btoa(s);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
	return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

async function hashPin(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
	const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
	const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, 256);
	return new Uint8Array(bits);
}

/** Creates the verifier of a PIN with a fresh salt. */
export async function createPinVerifier(pin: string): Promise<PinVerifier> {
	const salt = crypto.getRandomValues(new Uint8Array(16));
	return { salt: toBase64(salt), hash: toBase64(await hashPin(pin, salt, ITERATIONS)), iterations: ITERATIONS };
}

/** Whether `pin` matches the verifier (compared in constant time). */
export async function isPinCorrect(pin: string, verifier: PinVerifier): Promise<boolean> {
	const actual = await hashPin(pin, fromBase64(verifier.salt), verifier.iterations);
	const expected = fromBase64(verifier.hash);
	if (actual.length !== expected.length) return false;
	let diff = 0;
	for (let i = 0; i < actual.length; i++) diff |= actual[i] ^ expected[i];
	return diff === 0;
}
