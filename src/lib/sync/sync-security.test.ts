// What a peer that is not a salon device can do: without the sync secret, nothing; with only the
// sync secret, see ciphertext and doc ids, and have everything it forges dropped with a logged
// reason. Malformed, oversized and unknown messages are dropped and never applied.
import { describe, expect, it } from 'vitest';
import { importDataKey, randomKeyBytes } from '../crypto/envelope';
import { profileDocId, type ClientId, type DocId } from '../domain/ids';
import { makeClientProfile } from '../domain/synthetic';
import { createClient } from '../state/card-service';
import { ByteWriter } from './codec';
import { decodePayload, decodeSealedPayload, encodePayload, encodeSealedPayload } from './doc-payload';
import { DEFAULT_LIMITS, type SyncLimits } from './limits';
import { encodeMessage, PROTOCOL_VERSION, type SyncMessage } from './protocol';
import { FrameReader } from './framing';
import { decodeMessage } from './protocol';
import { RawPeer } from './raw-peer-fixtures';
import { createLoopbackPair } from './transport';
import {
	editCard, linkDevices, listCardIds, makeDevice, makeSalonKeys, readCard, TEST_AUTHOR, waitForQuiet, writeClinicalNote,
	type TestDevice
} from './sync-fixtures';

const encoder = new TextEncoder();

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
	outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
		for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
		return true;
	}
	return false;
}

async function makeSalonWithCard(limits?: Partial<SyncLimits>) {
	const keys = await makeSalonKeys();
	const a = await makeDevice('A', keys, { limits });
	const profile = { ...makeClientProfile(7), note: 'Alergia na nikiel i lateks.' };
	const { id } = await createClient(a.store, profile, TEST_AUTHOR);
	await writeClinicalNote(a, id, 'Przyjmuje izotretynoinę.');
	return { keys, a, id, profile };
}

/** Links `a` to a raw peer that completed the handshake with the salon's sync secret. */
async function linkRawPeer(a: TestDevice, syncSecret: Uint8Array, limits: SyncLimits = DEFAULT_LIMITS) {
	const pair = createLoopbackPair();
	a.node.connect(pair.a);
	const raw = new RawPeer(pair.b, limits);
	expect(await raw.handshake(syncSecret)).toBe('done');
	return { raw, link: pair.link };
}

/** Answers the device's next offer with "erased", so its pump is not left waiting for a reply. */
async function declineOffer(raw: RawPeer): Promise<void> {
	const offer = await raw.next('offer');
	await raw.send({ type: 'want', batch: offer.batch, items: offer.docIds.map((docId) => ({ docId, have: 'erased' as const })) });
}

describe('sync security', () => {
	it('sends nothing but the handshake to a peer without the sync secret', async () => {
		const { a } = await makeSalonWithCard();
		const stranger = await makeDevice('X', await makeSalonKeys());
		const pair = createLoopbackPair();
		const sentByA: SyncMessage[] = [];
		const reader = new FrameReader(DEFAULT_LIMITS, (m) => {
			const decoded = decodeMessage(m, DEFAULT_LIMITS);
			if (decoded.ok) sentByA.push(decoded.message);
		}, () => {});
		pair.link.tap = (from, bytes) => from === 'a' && reader.accept(bytes);
		a.node.connect(pair.a);
		stranger.node.connect(pair.b);
		await waitForQuiet([a, stranger], [pair.link]);
		expect(pair.link.isClosed).toBe(true);
		expect(sentByA.map((m) => m.type).sort()).toEqual(['hello', 'proof']);
		expect(a.logs.some((l) => l.reason === 'handshake-failed')).toBe(true);
		expect(await listCardIds(stranger)).toEqual([]);
	});

	it('gives a peer holding only the sync secret nothing readable and drops its forged updates and tombstones', async () => {
		const { keys, a, id, profile } = await makeSalonWithCard();
		const eve = await makeDevice('E', {
			syncSecret: keys.syncSecret,
			salon: await importDataKey('salon/1', randomKeyBytes()),
			clinical: await importDataKey('clinical/1', randomKeyBytes())
		});
		const { id: forgedId } = await createClient(eve.store, makeClientProfile(8), TEST_AUTHOR);
		await eve.store.eraseDoc(profileDocId(id)); // a tombstone for A's card, proved with the wrong key
		const seen: Uint8Array[] = [];
		const link = linkDevices(a, eve);
		link.tap = (from, bytes) => from === 'a' && seen.push(bytes);
		await waitForQuiet([a, eve], [link]);

		const wire = new Uint8Array(seen.reduce((n, b) => n + b.length, 0));
		seen.reduce((offset, b) => (wire.set(b, offset), offset + b.length), 0);
		for (const secret of [profile.lastName, profile.phone, profile.note, 'izotretynoinę']) {
			expect(contains(wire, encoder.encode(secret)), secret).toBe(false);
		}
		expect(await listCardIds(eve)).toEqual([forgedId]); // A's docs were all refused as forged
		expect(eve.logs.filter((l) => l.reason === 'forged').length).toBeGreaterThan(0);
		expect(await listCardIds(a)).toEqual([id]);
		expect((await readCard(a, id)).profile.note).toBe(profile.note);
		expect(a.logs).toContainEqual(expect.objectContaining({ reason: 'forged', docId: profileDocId(forgedId) }));
		expect(a.logs).toContainEqual(expect.objectContaining({ reason: 'forged', docId: profileDocId(id), detail: 'tombstone proof' }));
	});

	it('drops a payload with a copied attestation or moved to another doc', async () => {
		const { keys, a, id } = await makeSalonWithCard();
		const { raw } = await linkRawPeer(a, keys.syncSecret);
		const offer = await raw.next('offer');
		await raw.send({ type: 'want', batch: offer.batch, items: offer.docIds.map((docId) => ({ docId, have: 'none' as const })) });
		const doc = await raw.next('doc');
		expect(doc.docId).toBe(profileDocId(id));
		const genuine = decodeSealedPayload(doc.chunk, DEFAULT_LIMITS);
		const payload = decodePayload(genuine.payload, DEFAULT_LIMITS);
		const tampered = { ...payload, updates: [{ ...payload.updates[0], ciphertext: payload.updates[0].ciphertext.map((x) => x ^ 1) }] };
		const otherId = profileDocId(crypto.randomUUID() as ClientId);
		const seqBefore = await a.storage.lastSeq();

		await raw.send({ type: 'offer', batch: 1, docIds: [profileDocId(id), otherId] });
		await raw.next('want');
		const forged = encodeSealedPayload(encodePayload(tampered), genuine.attestation);
		await raw.send({ type: 'doc', batch: 1, docId: profileDocId(id), index: 0, count: 1, chunk: forged });
		await raw.send({ type: 'doc', batch: 1, docId: otherId, index: 0, count: 1, chunk: doc.chunk });
		const acks = [await raw.next('ack'), await raw.next('ack')].flatMap((m) => m.items);
		expect(acks.map((i) => i.status)).toEqual(['rejected', 'rejected']);
		expect(a.logs.filter((l) => l.reason === 'forged').map((l) => l.docId).sort()).toEqual([profileDocId(id), otherId].sort());
		expect(await a.storage.lastSeq()).toBe(seqBefore);
		expect(await a.storage.getRegistryEntry(otherId)).toBeUndefined();
	});

	it('drops malformed, oversized and unknown messages with a logged reason and applies none', async () => {
		const limits = { ...DEFAULT_LIMITS, maxMessageBytes: 64 * 1024 };
		const { keys, a, id } = await makeSalonWithCard(limits);
		const { raw, link } = await linkRawPeer(a, keys.syncSecret, { ...limits, maxMessageBytes: 1024 * 1024 });
		await declineOffer(raw);
		const seqBefore = await a.storage.lastSeq();
		const registryBefore = await a.storage.listRegistry();
		const version = [1, 0];
		const docId = profileDocId(id);

		raw.sendFrame(new Uint8Array([0xff, 0x01, 0x02]));
		raw.sendFrame(new Uint8Array(limits.maxFrameBytes + 1));
		await raw.sendBytes(new Uint8Array(100 * 1024)); // framed fine, but above A's message limit
		await raw.sendBytes(new Uint8Array([...version, 99]));
		await raw.sendBytes(new Uint8Array([...version, 3, 5])); // an offer cut short
		await raw.sendBytes(new ByteWriter().u8(1).u8(0).u8(3).uint(9).uint(1).string('client:../../etc').finish());
		await raw.send({ type: 'offer', batch: 9, docIds: Array.from({ length: limits.maxBatch + 1 }, () => docId) });
		await raw.send({ type: 'doc', batch: 42, docId, index: 0, count: 1, chunk: new Uint8Array(10) });
		await raw.send({ type: 'tombstones', items: [{ docId, proof: { keyId: 'salon/1', iv: new Uint8Array(12), ciphertext: new Uint8Array(22) } }] });
		await raw.send({ type: 'offer', batch: 10, docIds: [docId] });
		await raw.next('want');
		await raw.send({ type: 'doc', batch: 10, docId, index: 0, count: 1, chunk: new Uint8Array([1, 2, 3]) });
		expect((await raw.next('ack')).items[0].status).toBe('rejected');

		const reasons = a.logs.filter((l) => l.level === 'warn').map((l) => l.reason);
		expect(reasons).toEqual([
			'malformed-frame', 'frame-too-large', 'message-too-large', 'unknown-message', 'malformed-message',
			'malformed-message', 'batch-too-large', 'unsolicited', 'forged', 'malformed-message'
		]);
		expect(await a.storage.lastSeq()).toBe(seqBefore);
		expect(await a.storage.listRegistry()).toEqual(registryBefore);
		expect(link.isClosed).toBe(false); // bad messages are dropped, the link stays
	});

	it('tells the older side to update the app instead of misreading a newer protocol', async () => {
		const { keys, a } = await makeSalonWithCard();
		const { raw, link } = await linkRawPeer(a, keys.syncSecret);
		await declineOffer(raw);
		const newer = encodeMessage({ type: 'rescan' });
		newer[0] = 2;
		await raw.sendBytes(newer);
		await waitForQuiet([a], [link]);
		expect(a.versionSignals).toEqual(['update-app']);
		expect(link.isClosed).toBe(true);
		expect(a.logs).toContainEqual(expect.objectContaining({ reason: 'newer-version', detail: `2.${PROTOCOL_VERSION.minor}` }));
	});

	it('still syncs with real tablets while a forger is linked', async () => {
		const { keys, a, id } = await makeSalonWithCard();
		const b = await makeDevice('B', keys);
		const { raw } = await linkRawPeer(a, keys.syncSecret);
		await declineOffer(raw);
		await raw.send({ type: 'tombstones', items: [{ docId: profileDocId(id) as DocId, proof: { keyId: 'salon/1', iv: new Uint8Array(12), ciphertext: new Uint8Array(22) } }] });
		linkDevices(a, b);
		await editCard(a, id, { note: 'Po zabiegu bez zaczerwienienia.' });
		// The forger never answers A's offers; B must get the edit all the same.
		for (let i = 0; i < 10_000 && (await readCard(b, id).catch(() => null))?.profile.note !== 'Po zabiegu bez zaczerwienienia.'; i++) {
			await new Promise((resolve) => setImmediate(resolve));
		}
		expect((await readCard(b, id)).profile.note).toBe('Po zabiegu bez zaczerwienienia.');
		expect(a.logs).toContainEqual(expect.objectContaining({ reason: 'forged', detail: 'tombstone proof' }));
	});
});
