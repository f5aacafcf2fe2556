// The sync layer's cryptography. Guarantees:
// - the handshake key is derived (HKDF-SHA-256, its own label) from the sync secret and used only
//   for HMAC-SHA-256 handshake proofs, so the secret itself never travels or signs anything else;
// - attestations and tombstone proofs are AES-GCM envelopes under the salon key, bound to the doc
//   id in a namespace no stored record uses ('sync-attest:' / 'sync-tombstone:'): only a device
//   unlocked with the salon key can make one, so a peer that holds only the sync secret cannot;
// - every check fails closed (false), never throws on forged input.
// (STYLE keeps WebCrypto in src/lib/crypto/; this file is meant to move there, see the report.)
import { openEnvelope, sealEnvelope, type Binding, type DataKey, type Envelope } from '../crypto/envelope';

const encoder = new TextEncoder();
const HANDSHAKE_SALT = encoder.encode('kartoteka/sync/v1');
const HANDSHAKE_INFO = encoder.encode('handshake-hmac');
const ERASED = encoder.encode('erased');

function asBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
	return bytes as Uint8Array<ArrayBuffer>;
}

/** Derives the HMAC key both peers prove possession of during the handshake. */
export async function deriveHandshakeKey(syncSecret: Uint8Array): Promise<CryptoKey> {
	const base = await crypto.subtle.importKey('raw', asBuffer(syncSecret), 'HKDF', false, ['deriveKey']);
	return crypto.subtle.deriveKey(
		{ name: 'HKDF', hash: 'SHA-256', salt: HANDSHAKE_SALT, info: HANDSHAKE_INFO },
		base,
		{ name: 'HMAC', hash: 'SHA-256', length: 256 },
		false,
		['sign', 'verify']
	);
}

/** HMAC-SHA-256 of `data`. */
export async function signProof(key: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
	return new Uint8Array(await crypto.subtle.sign('HMAC', key, asBuffer(data)));
}

/** Checks an HMAC in constant time; false for any mismatch. */
export async function verifyProof(key: CryptoKey, data: Uint8Array, mac: Uint8Array): Promise<boolean> {
	try {
		return await crypto.subtle.verify('HMAC', key, asBuffer(mac), asBuffer(data));
	} catch {
		return false;
	}
}

/** SHA-256 of `bytes`. */
export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
	return new Uint8Array(await crypto.subtle.digest('SHA-256', asBuffer(bytes)));
}

function attestBinding(docId: string): Binding {
	return { docId, kind: 'sync-attestation' };
}

function tombstoneBinding(docId: string): Binding {
	return { docId, kind: 'tombstone-proof' };
}

/** Seals the digest of a doc payload under the salon key: "a device of this salon sent this". */
export async function attestPayload(salon: DataKey, docId: string, payload: Uint8Array): Promise<Envelope> {
	return sealEnvelope(salon, await sha256(payload), attestBinding(docId));
}

/** Whether `attestation` was made under the salon key for exactly this doc and payload. */
export async function verifyAttestation(salon: DataKey, docId: string, payload: Uint8Array, attestation: Envelope): Promise<boolean> {
	try {
		const sealed = await openEnvelope(salon, attestation, attestBinding(docId));
		return isEqualBytes(sealed, await sha256(payload));
	} catch {
		return false;
	}
}

/** Proves "this doc is erased" under the salon key; made afresh whenever a tombstone is sent. */
export function proveTombstone(salon: DataKey, docId: string): Promise<Envelope> {
	return sealEnvelope(salon, ERASED, tombstoneBinding(docId));
}

/** Whether `proof` says, under the salon key, that exactly this doc is erased. */
export async function verifyTombstone(salon: DataKey, docId: string, proof: Envelope): Promise<boolean> {
	try {
		return isEqualBytes(await openEnvelope(salon, proof, tombstoneBinding(docId)), ERASED);
	} catch {
		return false;
	}
}

/** Byte equality (not constant time: used only on values that are not secrets). */
export function isEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a.byteLength !== b.byteLength) return false;
	for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
	return true;
}
