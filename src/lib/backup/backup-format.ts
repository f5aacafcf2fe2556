// The backup container: the header (backup-header.ts), then the payload cut into chunks of at most
// `chunkSize` plaintext bytes, each sealed with AES-GCM under a key derived from the backup
// passphrase. Each frame is: ciphertext length u32 | flags u8 (bit 0: last chunk) | IV (12 bytes)
// | ciphertext with its tag. Guarantees:
// - a chunk's additional data binds the header's hash, its index and the last-chunk flag, so a
//   flipped bit, reordered or repeated chunks and chunks spliced from another file fail ('corrupted'),
//   and a file cut anywhere, even exactly between chunks, lacks its last chunk ('truncated');
// - a wrong passphrase fails on the header's key check ('wrong-passphrase') before any chunk is read;
// - a chunk is handed on only once it has opened, and the last one only once nothing follows it;
// - both directions stream: memory holds about two chunks, whatever the size of the file.
import { openEnvelope, sealEnvelope, type Binding, type DataKey } from '../crypto/envelope';
import { deriveKek, type KdfParams } from '../crypto/kdf';
import { AppError, isAppError } from '../domain/errors';
import { backupError } from './backup-errors';
import {
	BACKUP_FORMAT_VERSION, MAX_CHUNK_BYTES, encodeHeader, readHeader, type BackupInfo, type KeyCheck
} from './backup-header';
import { ByteReader, iterateParts, type ByteSource } from './byte-reader';

/** The file's key with the header it belongs to: a second read of the same file skips the slow derivation. */
export interface BackupKey {
	key: DataKey;
	headerHash: Uint8Array;
}

/** What a new backup file needs. */
export interface BackupWriterParams {
	salonId: string;
	passphrase: string;
	/** Key-derivation parameters with a fresh salt (calibrateKdf). */
	kdf: KdfParams;
	/** Plaintext bytes per chunk, at most 1 MiB (the default); tests use small chunks. */
	chunkSize?: number;
	createdAt?: string;
}

/** Writes one backup file: its header, then sealed chunks in order, the last one flagged. */
export interface BackupWriter {
	header: Uint8Array;
	info: BackupInfo;
	/** Seals the next chunk into its frame; nothing may follow the last. */
	sealChunk(plaintext: Uint8Array, isLast: boolean): Promise<Uint8Array>;
}

/** An opened backup: its header info and key, and its payload chunk by chunk. */
export interface OpenedBackup {
	info: BackupInfo;
	key: BackupKey;
	/** The decrypted chunks in order; throws 'corrupted' or 'truncated' where the file is damaged. */
	chunks(): AsyncGenerator<Uint8Array>;
	/** Releases the source (needed only when not reading the chunks to the end). */
	close(): Promise<void>;
}

const KEY_ID = 'backup/1';
const FRAME_HEAD_BYTES = 4 + 1 + 12;
const TAG_BYTES = 16;
const LAST_FLAG = 1;
const KEY_CHECK: Binding = { docId: 'backup/key-check', kind: 'backup-chunk' };

function hex(bytes: Uint8Array): string {
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function chunkBinding(headerHash: Uint8Array, index: number, isLast: boolean): Binding {
	return { docId: `backup/${hex(headerHash)}/${index}/${isLast ? 'last' : 'more'}`, kind: 'backup-chunk' };
}

async function deriveFileKey(passphrase: string, kdf: KdfParams): Promise<DataKey> {
	return { id: KEY_ID, key: await deriveKek(passphrase, kdf) };
}

/** Derives the file key, seals the key check and writes the header. */
export async function createBackupWriter(params: BackupWriterParams): Promise<BackupWriter> {
	if (params.passphrase.length === 0) throw new AppError('weak-passphrase', 'empty backup passphrase');
	const chunkSize = params.chunkSize ?? MAX_CHUNK_BYTES;
	if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_BYTES) {
		throw new AppError('invalid-input', `chunk size ${chunkSize}`);
	}
	const info: BackupInfo = {
		formatVersion: BACKUP_FORMAT_VERSION,
		salonId: params.salonId,
		createdAt: params.createdAt ?? new Date().toISOString(),
		chunkSize,
		kdf: params.kdf
	};
	const key = await deriveFileKey(params.passphrase, params.kdf);
	const check = await sealEnvelope(key, new Uint8Array(0), KEY_CHECK);
	const { bytes, hash } = await encodeHeader(info, { iv: check.iv, ciphertext: check.ciphertext });
	let index = 0;
	let isFinished = false;
	return {
		header: bytes,
		info,
		async sealChunk(plaintext, isLast) {
			if (isFinished) throw new AppError('invalid-input', 'chunk after the last chunk');
			if (plaintext.length > chunkSize) throw new AppError('invalid-input', 'chunk larger than the chunk size');
			isFinished = isLast;
			const env = await sealEnvelope(key, plaintext, chunkBinding(hash, index++, isLast));
			const frame = new Uint8Array(FRAME_HEAD_BYTES + env.ciphertext.length);
			new DataView(frame.buffer).setUint32(0, env.ciphertext.length);
			frame[4] = isLast ? LAST_FLAG : 0;
			frame.set(env.iv, 5);
			frame.set(env.ciphertext, FRAME_HEAD_BYTES);
			return frame;
		}
	};
}

/** Yields the header, then the payload's bytes cut into sealed chunks, reading the payload lazily. */
export async function* sealBackup(writer: BackupWriter, payload: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
	yield writer.header;
	const size = writer.info.chunkSize;
	let buffer = new Uint8Array(size);
	let filled = 0;
	// A full chunk waits until more data shows it is not the last one.
	let pending: Uint8Array | null = null;
	for await (const part of payload) {
		for (let offset = 0; offset < part.length; ) {
			const take = Math.min(size - filled, part.length - offset);
			buffer.set(part.subarray(offset, offset + take), filled);
			filled += take;
			offset += take;
			if (filled < size) continue;
			if (pending) yield await writer.sealChunk(pending, false);
			pending = buffer;
			buffer = new Uint8Array(size);
			filled = 0;
		}
	}
	if (filled > 0 && pending) yield await writer.sealChunk(pending, false);
	yield await writer.sealChunk(filled > 0 ? buffer.subarray(0, filled) : (pending ?? new Uint8Array(0)), true);
}

/** Opens a backup: reads the header and checks the passphrase (or a key from an earlier read of the same file). */
export async function openBackup(source: ByteSource, secret: string | BackupKey): Promise<OpenedBackup> {
	const reader = new ByteReader(iterateParts(source));
	try {
		const header = await readHeader(reader);
		const key = typeof secret === 'string' ? await deriveFileKey(secret, header.info.kdf) : secret.key;
		if (typeof secret !== 'string' && hex(secret.headerHash) !== hex(header.hash)) {
			throw backupError('corrupted', 'the file changed between two reads');
		}
		await checkKey(key, header.keyCheck);
		return {
			info: header.info,
			key: { key, headerHash: header.hash },
			chunks: () => readChunks(reader, key, header.hash, header.info.chunkSize),
			close: () => reader.close()
		};
	} catch (e) {
		await reader.close();
		throw e;
	}
}

async function checkKey(key: DataKey, check: KeyCheck): Promise<void> {
	try {
		await openEnvelope(key, { keyId: KEY_ID, ...check }, KEY_CHECK);
	} catch (e) {
		// The header's checksum passed, so a key check that fails means another passphrase.
		if (isAppError(e, 'decrypt-failed')) throw new AppError('wrong-passphrase', 'backup key check');
		throw e;
	}
}

async function* readChunks(reader: ByteReader, key: DataKey, headerHash: Uint8Array, chunkSize: number): AsyncGenerator<Uint8Array> {
	try {
		for (let index = 0; ; index++) {
			const head = await reader.read(FRAME_HEAD_BYTES);
			if (head.length < FRAME_HEAD_BYTES) throw backupError('truncated', `before the last chunk (chunk ${index})`);
			const length = new DataView(head.buffer, head.byteOffset).getUint32(0);
			const flags = head[4];
			if ((flags & ~LAST_FLAG) !== 0 || length < TAG_BYTES || length > chunkSize + TAG_BYTES) {
				throw backupError('corrupted', `frame of chunk ${index}`);
			}
			const ciphertext = await reader.read(length);
			if (ciphertext.length < length) throw backupError('truncated', `inside chunk ${index}`);
			const isLast = flags === LAST_FLAG;
			const env = { keyId: KEY_ID, iv: head.slice(5), ciphertext };
			const plaintext = await openEnvelope(key, env, chunkBinding(headerHash, index, isLast)).catch((e) => {
				throw isAppError(e, 'decrypt-failed') ? backupError('corrupted', `chunk ${index}`) : e;
			});
			if (isLast && !(await reader.isAtEnd())) throw backupError('corrupted', 'data after the last chunk');
			yield plaintext;
			if (isLast) return;
		}
	} finally {
		await reader.close();
	}
}
