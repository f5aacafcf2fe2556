// The backup file's header, in the clear. Its outer layout never changes between format versions,
// so any later version is still recognised and refused as newer rather than as damaged:
//   'KARTOTEKA-BACKUP' (16 bytes) | version u16 | ~version u16 | body length u32 | body (UTF-8 JSON)
//   | SHA-256 of everything before it (32 bytes)
// Guarantees: the version is stored with its complement, so one flipped bit reads as damage, not as
// "newer"; the checksum tells a damaged header ('corrupted') from a wrong passphrase; every chunk's
// additional data binds the header's hash, so no header field can change unnoticed. Nothing here
// is secret: the salon id, dates and key-derivation parameters only.
import { MAX_KDF_ITERATIONS, type KdfParams } from '../crypto/kdf';
import { AppError } from '../domain/errors';
import { backupError } from './backup-errors';
import type { ByteReader } from './byte-reader';

/** The first bytes of every backup file. */
export const BACKUP_MAGIC = 'KARTOTEKA-BACKUP';
/** The newest format this app writes and reads. */
export const BACKUP_FORMAT_VERSION = 1;
/** The most plaintext one chunk may hold (DESIGN: at most 1 MiB). */
export const MAX_CHUNK_BYTES = 1 << 20;

const MAGIC = new TextEncoder().encode(BACKUP_MAGIC);
const FIXED_BYTES = MAGIC.length + 8;
const HASH_BYTES = 32;
// Real bodies are a few hundred bytes; the cap stops a damaged length from allocating gigabytes.
const MAX_BODY_BYTES = 64 * 1024;

/** What a backup's header says: shown before restoring (which salon, made when). */
export interface BackupInfo {
	formatVersion: number;
	salonId: string;
	/** When the backup was made (UTC ISO string). */
	createdAt: string;
	/** The most plaintext bytes one chunk of this file holds. */
	chunkSize: number;
	/** How the backup passphrase becomes the file's key. */
	kdf: KdfParams;
}

/** An empty plaintext sealed under the file's key: it opens only with the right passphrase. */
export interface KeyCheck {
	iv: Uint8Array;
	ciphertext: Uint8Array;
}

/** A header as read: what it says, its key check, and the hash every chunk binds. */
export interface ParsedHeader {
	info: BackupInfo;
	keyCheck: KeyCheck;
	hash: Uint8Array;
}

function toBase64(bytes: Uint8Array): string {
	let s = '';
	for (const b of bytes) s += String.fromCharCode(b);
	return btoa(s);
}

function fromBase64(text: unknown): Uint8Array {
	if (typeof text !== 'string') throw backupError('corrupted', 'header field is not base64');
	try {
		return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
	} catch {
		throw backupError('corrupted', 'header field is not base64');
	}
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
	return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** Serialises a header; returns its bytes and the hash chunks bind. */
export async function encodeHeader(info: BackupInfo, keyCheck: KeyCheck): Promise<{ bytes: Uint8Array; hash: Uint8Array }> {
	const body = new TextEncoder().encode(
		JSON.stringify({
			salonId: info.salonId,
			createdAt: info.createdAt,
			chunkSize: info.chunkSize,
			kdf: { algorithm: info.kdf.algorithm, iterations: info.kdf.iterations, salt: toBase64(info.kdf.salt) },
			keyCheck: { iv: toBase64(keyCheck.iv), ciphertext: toBase64(keyCheck.ciphertext) }
		})
	);
	const bytes = new Uint8Array(FIXED_BYTES + body.length + HASH_BYTES);
	const view = new DataView(bytes.buffer);
	bytes.set(MAGIC, 0);
	view.setUint16(MAGIC.length, info.formatVersion);
	view.setUint16(MAGIC.length + 2, ~info.formatVersion & 0xffff);
	view.setUint32(MAGIC.length + 4, body.length);
	bytes.set(body, FIXED_BYTES);
	const hash = await sha256(bytes.subarray(0, FIXED_BYTES + body.length));
	bytes.set(hash, FIXED_BYTES + body.length);
	return { bytes, hash };
}

/** Reads and checks a header: 'not-a-backup', 'truncated', 'corrupted' or 'newer-version'. */
export async function readHeader(reader: ByteReader): Promise<ParsedHeader> {
	const fixed = await reader.read(FIXED_BYTES);
	const magic = fixed.subarray(0, Math.min(fixed.length, MAGIC.length));
	if (magic.some((b, i) => b !== MAGIC[i]) || fixed.length === 0) throw backupError('not-a-backup');
	if (fixed.length < FIXED_BYTES) throw backupError('truncated', 'inside the header');
	const view = new DataView(fixed.buffer, fixed.byteOffset, fixed.byteLength);
	const version = view.getUint16(MAGIC.length);
	if ((version ^ view.getUint16(MAGIC.length + 2)) !== 0xffff) throw backupError('corrupted', 'version field');
	if (version > BACKUP_FORMAT_VERSION) throw new AppError('newer-version', `backup format ${version}`);
	if (version < 1) throw backupError('corrupted', `version ${version}`);
	const bodyLength = view.getUint32(MAGIC.length + 4);
	if (bodyLength > MAX_BODY_BYTES) throw backupError('corrupted', 'header length');
	const rest = await reader.read(bodyLength + HASH_BYTES);
	if (rest.length < bodyLength + HASH_BYTES) throw backupError('truncated', 'inside the header');
	const all = new Uint8Array(FIXED_BYTES + bodyLength);
	all.set(fixed, 0);
	all.set(rest.subarray(0, bodyLength), FIXED_BYTES);
	const hash = await sha256(all);
	if (hash.some((b, i) => b !== rest[bodyLength + i])) throw backupError('corrupted', 'header checksum');
	return { ...parseBody(rest.subarray(0, bodyLength), version), hash };
}

function parseBody(body: Uint8Array, formatVersion: number): Omit<ParsedHeader, 'hash'> {
	let v: Record<string, any>;
	try {
		v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
	} catch {
		throw backupError('corrupted', 'header is not JSON');
	}
	const kdf: KdfParams = {
		algorithm: v?.kdf?.algorithm,
		iterations: v?.kdf?.iterations,
		salt: fromBase64(v?.kdf?.salt)
	};
	const keyCheck: KeyCheck = { iv: fromBase64(v?.keyCheck?.iv), ciphertext: fromBase64(v?.keyCheck?.ciphertext) };
	const info: BackupInfo = { formatVersion, salonId: v?.salonId, createdAt: v?.createdAt, chunkSize: v?.chunkSize, kdf };
	const isValid =
		typeof info.salonId === 'string' && info.salonId.length > 0 && info.salonId.length <= 200 &&
		typeof info.createdAt === 'string' && info.createdAt.length <= 64 &&
		Number.isSafeInteger(info.chunkSize) && info.chunkSize >= 1 && info.chunkSize <= MAX_CHUNK_BYTES &&
		kdf.algorithm === 'PBKDF2-SHA-256' && Number.isSafeInteger(kdf.iterations) &&
		kdf.iterations >= 1 && kdf.iterations <= MAX_KDF_ITERATIONS && kdf.salt.length >= 16 &&
		keyCheck.iv.length === 12 && keyCheck.ciphertext.length >= 16;
	if (!isValid) throw backupError('corrupted', 'header fields');
	return { info, keyCheck };
}
