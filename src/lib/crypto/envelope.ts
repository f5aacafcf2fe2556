// Envelopes: every stored or sent byte of salon data is AES-GCM-256 ciphertext whose additional
// authenticated data binds the record it belongs to (doc id and kind), so an envelope moved to
// another record, a flipped bit or a wrong key all fail the same way: 'decrypt-failed'.
import { AppError } from '../domain/errors';

/** What a record is; part of the additional authenticated data. */
export type RecordKind =
	| 'update'
	| 'snapshot'
	| 'state-vector'
	| 'summary-profile'
	| 'summary-clinical'
	| 'doc-key'
	| 'pin-verifier'
	| 'backup-chunk'
	| 'wrapped-key'
	| 'sync-attestation'
	| 'tombstone-proof'
	| 'sync-keyring'
	| 'presence';

/** Where an envelope belongs: it opens only with the same binding. */
export interface Binding {
	docId: string;
	kind: RecordKind;
}

/** A sealed record: which key made it (name and generation), a fresh IV, and the ciphertext. */
export interface Envelope {
	keyId: string;
	iv: Uint8Array;
	ciphertext: Uint8Array;
}

/** An AES-GCM key in memory with its stable name, e.g. `salon/1` or `doc/client:…/1`. */
export interface DataKey {
	id: string;
	key: CryptoKey;
}

const encoder = new TextEncoder();

function aad(keyId: string, b: Binding): Uint8Array<ArrayBuffer> {
	return encoder.encode(`kartoteka/1|${keyId}|${b.kind}|${b.docId}`);
}

/** Imports 32 raw bytes as a non-extractable AES-GCM key. */
export async function importDataKey(id: string, raw: Uint8Array): Promise<DataKey> {
	const key = await crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [
		'encrypt',
		'decrypt'
	]);
	return { id, key };
}

/** Creates 32 random bytes: a new key's raw material. */
export function randomKeyBytes(): Uint8Array<ArrayBuffer> {
	return crypto.getRandomValues(new Uint8Array(32));
}

/** Seals `plaintext` for the record `binding` under `key`. */
export async function sealEnvelope(key: DataKey, plaintext: Uint8Array, binding: Binding): Promise<Envelope> {
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const ct = await crypto.subtle.encrypt(
		{ name: 'AES-GCM', iv, additionalData: aad(key.id, binding) },
		key.key,
		plaintext as Uint8Array<ArrayBuffer>
	);
	return { keyId: key.id, iv, ciphertext: new Uint8Array(ct) };
}

/** Opens an envelope; throws AppError('decrypt-failed') for a wrong key, binding or any changed byte. */
export async function openEnvelope(key: DataKey, env: Envelope, binding: Binding): Promise<Uint8Array> {
	if (env.keyId !== key.id) throw new AppError('decrypt-failed', `key ${env.keyId} != ${key.id}`);
	try {
		const pt = await crypto.subtle.decrypt(
			{ name: 'AES-GCM', iv: env.iv as Uint8Array<ArrayBuffer>, additionalData: aad(key.id, binding) },
			key.key,
			env.ciphertext as Uint8Array<ArrayBuffer>
		);
		return new Uint8Array(pt);
	} catch (e) {
		throw new AppError('decrypt-failed', `${binding.kind} of ${binding.docId}`);
	}
}

/** Seals a JSON value. */
export function sealJson(key: DataKey, value: unknown, binding: Binding): Promise<Envelope> {
	return sealEnvelope(key, encoder.encode(JSON.stringify(value)), binding);
}

/** Opens a JSON value sealed with sealJson. */
export async function openJson<T>(key: DataKey, env: Envelope, binding: Binding): Promise<T> {
	const bytes = await openEnvelope(key, env, binding);
	return JSON.parse(new TextDecoder().decode(bytes)) as T;
}
