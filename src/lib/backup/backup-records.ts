// The backup's payload: a sequence of records, each framed as
//   length u32 | JSON length u32 | JSON (UTF-8) | binary count u32 | (length u32 | bytes) x count
// Every Uint8Array of a record (envelope IVs and ciphertexts, keyring salts and MACs) stands in
// the JSON as {"$bin": i} and travels byte-exact out of line, without base64's extra third.
// Guarantees: every record is checked for shape before anyone uses it (whoever holds the backup
// passphrase can write a file, so its content is untrusted input): a malformed record is
// 'corrupted'; a record type this version does not know means a newer app wrote the file
// ('newer-version'), so nothing it holds is silently dropped.
import { assertKeyring, type Keyring } from '../crypto/keyring-format';
import type { Envelope } from '../crypto/envelope';
import { AppError, isAppError } from '../domain/errors';
import type { DocId, DocKind } from '../domain/ids';
import { readDocIdParts } from '../storage/erasure-rules';
import type { RegistryEntry, StoredSummary } from '../storage/storage';
import { backupError } from './backup-errors';
import { ByteReader } from './byte-reader';

/** Meta key of the keyring in a salon's storage; equals app.ts KEYRING_META (backup/ may not import app). */
export const KEYRING_META_KEY = 'keyring';

/** A doc's stored data exactly as at rest, sealed under the doc's own key; local sequence numbers dropped. */
export interface BackedUpDoc {
	snapshot: Envelope | null;
	stateVector: Envelope | null;
	updates: Envelope[];
}

/** One record of the payload, in the order the writer emits them. */
export type BackupRecord =
	| { t: 'start'; salonId: string; docs: number }
	| { t: 'keyring'; keyring: Keyring }
	| { t: 'doc'; entry: RegistryEntry; stored: BackedUpDoc }
	| { t: 'summaries'; summaries: StoredSummary[] }
	| { t: 'tombstones'; entries: Array<{ docId: DocId; kind: DocKind }> }
	| { t: 'end'; docs: number };

// A bound on one record, so a damaged length cannot make the reader allocate gigabytes.
const MAX_RECORD_BYTES = 256 * 1024 * 1024;
const encoder = new TextEncoder();

/** Frames one record. */
export function encodeRecord(record: BackupRecord): Uint8Array {
	const bins: Uint8Array[] = [];
	const json = encoder.encode(
		JSON.stringify(record, (_key, value: unknown) => (value instanceof Uint8Array ? { $bin: bins.push(value) - 1 } : value))
	);
	const total = 4 + json.length + 4 + bins.reduce((sum, b) => sum + 4 + b.length, 0);
	if (total > MAX_RECORD_BYTES) throw new AppError('invalid-input', `backup record of ${total} bytes`);
	const out = new Uint8Array(4 + total);
	const view = new DataView(out.buffer);
	view.setUint32(0, total);
	view.setUint32(4, json.length);
	out.set(json, 8);
	let at = 8 + json.length;
	view.setUint32(at, bins.length);
	at += 4;
	for (const b of bins) {
		view.setUint32(at, b.length);
		out.set(b, at + 4);
		at += 4 + b.length;
	}
	return out;
}

/** Reads and checks records from the decrypted chunks, lazily. */
export async function* readRecords(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<BackupRecord> {
	const reader = new ByteReader(chunks);
	try {
		while (!(await reader.isAtEnd())) {
			const head = await reader.read(4);
			const total = head.length === 4 ? new DataView(head.buffer).getUint32(0) : -1;
			if (total < 8 || total > MAX_RECORD_BYTES) throw backupError('corrupted', 'record length');
			const body = await reader.read(total);
			if (body.length < total) throw backupError('corrupted', 'payload ends inside a record');
			yield checkRecord(decodeFrame(body));
		}
	} finally {
		await reader.close();
	}
}

function decodeFrame(body: Uint8Array): unknown {
	const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
	try {
		const jsonLength = view.getUint32(0);
		const json = new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(4, 4 + jsonLength));
		let at = 4 + jsonLength;
		const count = view.getUint32(at);
		at += 4;
		const bins: Uint8Array[] = [];
		for (let i = 0; i < count; i++) {
			const length = view.getUint32(at);
			if (at + 4 + length > body.length) throw new Error('binary past the record');
			bins.push(body.slice(at + 4, at + 4 + length));
			at += 4 + length;
		}
		if (at !== body.length) throw new Error('bytes after the record');
		return JSON.parse(json, (_key, value: unknown) => {
			const ref = (value as { $bin?: unknown } | null)?.$bin;
			if (typeof ref !== 'number') return value;
			if (!bins[ref] || Object.keys(value as object).length !== 1) throw new Error('bad binary reference');
			return bins[ref];
		});
	} catch (e) {
		throw backupError('corrupted', `record: ${String(e)}`);
	}
}

function fail(what: string): never {
	throw backupError('corrupted', what);
}

function isCount(v: unknown): v is number {
	return Number.isSafeInteger(v) && (v as number) >= 0;
}

function isEnvelope(v: unknown): v is Envelope {
	const e = v as Envelope;
	return typeof e === 'object' && e !== null && typeof e.keyId === 'string' && e.iv instanceof Uint8Array && e.ciphertext instanceof Uint8Array;
}

function checkDocId(docId: unknown, kind: unknown): void {
	if (typeof docId !== 'string') fail('doc id');
	let parsed: DocKind;
	try {
		parsed = readDocIdParts(docId as DocId).kind;
	} catch {
		fail('malformed doc id');
	}
	if (parsed !== kind) fail(`kind of ${docId}`);
}

function checkDoc(entry: RegistryEntry, stored: BackedUpDoc): void {
	checkDocId(entry?.docId, entry?.kind);
	if (entry.tombstone !== false || !isEnvelope(entry.wrappedKey)) fail(`registry entry of ${entry.docId}`);
	const isStoredValid =
		typeof stored === 'object' && stored !== null &&
		(stored.snapshot === null || isEnvelope(stored.snapshot)) &&
		(stored.stateVector === null || isEnvelope(stored.stateVector)) &&
		// A snapshot is always stored with its state vector; restoring one needs both.
		(stored.snapshot === null || stored.stateVector !== null) &&
		Array.isArray(stored.updates) && stored.updates.every(isEnvelope);
	if (!isStoredValid) fail(`stored data of ${entry.docId}`);
}

function checkSummary(s: StoredSummary): void {
	if (typeof s?.clientId !== 'string') fail('summary client id');
	checkDocId(`client:${s.clientId}`, 'profile');
	if (!isEnvelope(s.profile) || !(s.clinical === null || isEnvelope(s.clinical))) fail(`summary of ${s.clientId}`);
}

function checkRecord(value: unknown): BackupRecord {
	const r = value as BackupRecord;
	switch (r?.t) {
		case 'start':
			if (typeof r.salonId !== 'string' || !isCount(r.docs)) fail('start record');
			return r;
		case 'keyring':
			try {
				assertKeyring(r.keyring);
			} catch (e) {
				if (isAppError(e, 'invalid-input')) throw backupError('corrupted', `keyring: ${e.detail}`);
				throw e;
			}
			return r;
		case 'doc':
			checkDoc(r.entry, r.stored);
			return r;
		case 'summaries':
			if (!Array.isArray(r.summaries)) fail('summaries record');
			r.summaries.forEach(checkSummary);
			return r;
		case 'tombstones':
			if (!Array.isArray(r.entries)) fail('tombstones record');
			for (const e of r.entries) checkDocId(e?.docId, e?.kind);
			return r;
		case 'end':
			if (!isCount(r.docs)) fail('end record');
			return r;
		default:
			if (typeof (r as { t?: unknown })?.t === 'string') throw new AppError('newer-version', `backup record ${(r as { t: string }).t}`);
			return fail('record type');
	}
}
