import { describe, expect, it } from 'vitest';
import type { DocId } from '../domain/ids';
import { ByteWriter } from './codec';
import { DEFAULT_LIMITS } from './limits';
import { decodeMessage, encodeMessage, PROTOCOL_VERSION, type SyncMessage } from './protocol';

const docId = 'client:0b5e4c1a-1111-4222-8333-444455556666' as DocId;
const envelope = { keyId: 'salon/1', iv: new Uint8Array(12).fill(1), ciphertext: new Uint8Array([1, 2, 3]) };

const samples: SyncMessage[] = [
	{ type: 'hello', deviceId: 'tablet-recepcja', nonce: new Uint8Array(32).fill(9) },
	{ type: 'proof', mac: new Uint8Array(32).fill(4) },
	{ type: 'tombstones', items: [{ docId, proof: envelope }] },
	{ type: 'offer', batch: 7, docIds: [docId, 'salon' as DocId] },
	{
		type: 'want',
		batch: 7,
		items: [
			{ docId, have: 'sv', stateVector: envelope },
			{ docId: 'salon' as DocId, have: 'none' }
		]
	},
	{ type: 'doc', batch: 7, docId, index: 1, count: 3, chunk: new Uint8Array([5, 6]) },
	{ type: 'ack', batch: 7, items: [{ docId, status: 'deferred' }] },
	{ type: 'rescan' },
	{ type: 'keyring', sealed: envelope },
	{ type: 'pending', docs: 12, cards: 5 },
	{ type: 'presence', sealed: envelope },
	{ type: 'push', batch: 9, docId, chunk: new Uint8Array([7, 8, 9]) }
];

describe('sync protocol', () => {
	it('refuses a pending count that claims more cards than docs', () => {
		const bytes = new ByteWriter().u8(PROTOCOL_VERSION.major).u8(PROTOCOL_VERSION.minor).u8(9).uint(2).uint(3).finish();
		expect(decodeMessage(bytes, DEFAULT_LIMITS)).toMatchObject({ ok: false, reason: 'malformed-message' });
	});

	it('reads back every message it writes', () => {
		for (const m of samples) {
			const decoded = decodeMessage(encodeMessage(m), DEFAULT_LIMITS);
			expect(decoded).toEqual({ ok: true, message: m, minor: PROTOCOL_VERSION.minor });
		}
	});

	it('refuses a newer major version without reading it, and names an older one', () => {
		const newer = encodeMessage(samples[3]);
		newer[0] = PROTOCOL_VERSION.major + 1;
		expect(decodeMessage(newer, DEFAULT_LIMITS)).toMatchObject({ ok: false, reason: 'newer-version' });
		newer[0] = PROTOCOL_VERSION.major - 1;
		expect(decodeMessage(newer, DEFAULT_LIMITS)).toMatchObject({ ok: false, reason: 'older-version' });
	});

	it('ignores fields a newer minor version appends, but not junk in its own minor version', () => {
		const extended = new ByteWriter().raw(encodeMessage(samples[6])).uint(12345).finish();
		expect(decodeMessage(extended, DEFAULT_LIMITS)).toMatchObject({ ok: false, reason: 'malformed-message' });
		extended[1] = PROTOCOL_VERSION.minor + 1;
		expect(decodeMessage(extended, DEFAULT_LIMITS)).toMatchObject({ ok: true, message: samples[6] });
	});

	it('refuses unknown types, unknown doc ids, truncation and batches over the limit', () => {
		const v = [PROTOCOL_VERSION.major, PROTOCOL_VERSION.minor];
		expect(decodeMessage(new Uint8Array([...v, 200]), DEFAULT_LIMITS)).toMatchObject({ reason: 'unknown-message' });
		const badId = new ByteWriter().u8(v[0]).u8(v[1]).u8(3).uint(1).uint(1).string('client:nie-uuid').finish();
		expect(decodeMessage(badId, DEFAULT_LIMITS)).toMatchObject({ reason: 'malformed-message' });
		const full = encodeMessage(samples[5]);
		for (let cut = 0; cut < full.length; cut++) expect(decodeMessage(full.subarray(0, cut), DEFAULT_LIMITS).ok).toBe(false);
		const many = encodeMessage({ type: 'offer', batch: 1, docIds: Array(DEFAULT_LIMITS.maxBatch + 1).fill(docId) });
		expect(decodeMessage(many, DEFAULT_LIMITS)).toMatchObject({ reason: 'batch-too-large' });
		const hugeCount = new ByteWriter().u8(v[0]).u8(v[1]).u8(4).uint(1).uint(2 ** 40).finish();
		expect(decodeMessage(hugeCount, DEFAULT_LIMITS)).toMatchObject({ reason: 'batch-too-large' });
	});
});
