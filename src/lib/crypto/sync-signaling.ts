// Keys for the signaling relay, derived from the salon's sync secret. Guarantees:
// - the topic is HKDF-SHA-256 output (its own label) in hex: it names no salon, and neither it nor
//   anything the relay sees lets anyone recover the secret or the other keys;
// - the payload key is a separate HKDF output used only for AES-GCM-256 with a fresh random 96-bit
//   IV per message, so the relay (and anyone without the secret) sees only ciphertext;
// - openSignal fails closed: any tampering, truncation or wrong key gives null, never a throw.
const encoder = new TextEncoder();
/** What a secret is used for: the salon's sync secret, or a one-time invite key (own topic and key). */
export type SignalingPurpose = 'sync' | 'invite';
const SALTS: Record<SignalingPurpose, Uint8Array<ArrayBuffer>> = {
	sync: encoder.encode('kartoteka/sync/v1'),
	invite: encoder.encode('kartoteka/invite/v1')
};
const TOPIC_INFO = encoder.encode('signaling-topic');
const PAYLOAD_INFO = encoder.encode('signaling-aes-gcm');
const IV_BYTES = 12;

function asBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
	return bytes as Uint8Array<ArrayBuffer>;
}

async function importSecret(syncSecret: Uint8Array): Promise<CryptoKey> {
	if (syncSecret.byteLength < 16) throw new Error('sync secret too short');
	return crypto.subtle.importKey('raw', asBuffer(syncSecret), 'HKDF', false, ['deriveKey', 'deriveBits']);
}

/** Derives the relay topic (64 hex characters) two devices of one salon meet on. */
export async function deriveSignalingTopic(syncSecret: Uint8Array, purpose: SignalingPurpose = 'sync'): Promise<string> {
	const base = await importSecret(syncSecret);
	const bits = await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: SALTS[purpose], info: TOPIC_INFO }, base, 256);
	return [...new Uint8Array(bits)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Derives the AES-GCM key that seals every signaling payload. */
export async function deriveSignalingKey(syncSecret: Uint8Array, purpose: SignalingPurpose = 'sync'): Promise<CryptoKey> {
	const base = await importSecret(syncSecret);
	return crypto.subtle.deriveKey(
		{ name: 'HKDF', hash: 'SHA-256', salt: SALTS[purpose], info: PAYLOAD_INFO },
		base,
		{ name: 'AES-GCM', length: 256 },
		false,
		['encrypt', 'decrypt']
	);
}

/** Seals one payload: IV followed by AES-GCM ciphertext and tag. */
export async function sealSignal(key: CryptoKey, plaintext: Uint8Array): Promise<Uint8Array> {
	const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
	const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, asBuffer(plaintext)));
	const out = new Uint8Array(IV_BYTES + sealed.byteLength);
	out.set(iv);
	out.set(sealed, IV_BYTES);
	return out;
}

/** Opens a sealed payload; null if it is too short, tampered with or sealed under another key. */
export async function openSignal(key: CryptoKey, sealed: Uint8Array): Promise<Uint8Array | null> {
	if (sealed.byteLength < IV_BYTES + 16) return null;
	try {
		const iv = sealed.subarray(0, IV_BYTES);
		const body = sealed.subarray(IV_BYTES);
		return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: asBuffer(iv) }, key, asBuffer(body)));
	} catch {
		return null;
	}
}

/** Base64 of bytes (the relay carries JSON text). */
export function encodeBase64(bytes: Uint8Array): string {
	let text = '';
	for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(text);
}

/** Bytes of a base64 string; null if it is not valid base64. */
export function decodeBase64(text: string): Uint8Array | null {
	try {
		const raw = atob(text);
		const out = new Uint8Array(raw.length);
		for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
		return out;
	} catch {
		return null;
	}
}
