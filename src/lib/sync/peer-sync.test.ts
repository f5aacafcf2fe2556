// The multi-doc protocol between tablets over loopback links: deletions, checkpoints, tombstones,
// large cards, and a reception tablet that holds clinical docs it cannot read.
import { describe, expect, it, vi } from 'vitest';
import { isAppError } from '../domain/errors';
import { clinicalDocId, profileDocId, type ClientId } from '../domain/ids';
import { makeClientProfile } from '../domain/synthetic';
import { createClient, captureUpdate } from '../state/card-service';
import { FrameReader } from './framing';
import { DEFAULT_LIMITS } from './limits';
import { decodeMessage } from './protocol';
import { SyncNode } from './sync-node';
import { createLoopbackPair } from './transport';
import {
	editCard, linkDevices, listCardIds, makeDevice, makeSalonKeys, makeSlowStorage, readCard, TEST_AUTHOR, waitForQuiet, writeClinicalNote,
	type TestDevice
} from './sync-fixtures';

async function addCards(device: TestDevice, count: number, seed = 0): Promise<ClientId[]> {
	const ids: ClientId[] = [];
	for (let i = 0; i < count; i++) ids.push((await createClient(device.store, makeClientProfile(seed + i), TEST_AUTHOR)).id);
	return ids;
}

async function readClinicalNote(device: TestDevice, id: ClientId): Promise<string> {
	const doc = await device.store.load(clinicalDocId(id));
	const text = doc.getText('note').toString();
	doc.destroy();
	return text;
}

describe('sync between tablets', () => {
	it('brings a deleted part of a note to a tablet whose state vector already equals the sender\'s', async () => {
		const keys = await makeSalonKeys();
		const [a, b] = [await makeDevice('A', keys), await makeDevice('B', keys)];
		const [id] = await addCards(a, 1);
		await editCard(a, id, { note: 'Alergia na lateks, rękawiczki nitrylowe.' });
		const link = linkDevices(a, b);
		await waitForQuiet([a, b], [link]);
		// Compacted, each side stores its exact state vector, which is what B will offer to A.
		await Promise.all([a.store.compact(profileDocId(id)), b.store.compact(profileDocId(id))]);
		link.disconnect();
		const doc = await a.store.load(profileDocId(id));
		const update = captureUpdate(doc, () => doc.getText('note').delete(0, 19)); // "Alergia na lateks, "
		await a.store.append(profileDocId(id), update!);
		doc.destroy();
		expect((await readCard(b, id)).stateVector).toEqual((await readCard(a, id)).stateVector);
		expect(await b.store.stateVector(profileDocId(id))).toEqual((await readCard(a, id)).stateVector);

		const again = linkDevices(a, b);
		await waitForQuiet([a, b], [again]);
		expect((await readCard(b, id)).profile.note).toBe('rękawiczki nitrylowe.');
	});

	it('after a checkpoint offers only the docs changed since, also after an app restart', async () => {
		const keys = await makeSalonKeys();
		const [a, b] = [await makeDevice('A', keys), await makeDevice('B', keys)];
		const ids = await addCards(a, 10);
		const first = linkDevices(a, b);
		await waitForQuiet([a, b], [first]);
		expect(a.node.peers[0].stats.docsOffered).toBe(10);
		expect(b.node.peers[0].stats.docsOffered).toBe(0); // what B got from A is not offered back
		first.disconnect();

		for (const id of ids.slice(0, 3)) await editCard(a, id, { note: 'Zmiana po przerwie.' });
		await editCard(b, ids[9], { phone: '+48600111222' });
		// A restart: new nodes over the same storage, nothing remembered in memory.
		a.node.dispose();
		b.node.dispose();
		for (const device of [a, b]) {
			device.node = await SyncNode.create({
				deviceId: device.name, storage: device.storage, store: device.store, keys: () => device.roots,
				syncSecret: keys.syncSecret, log: (e) => device.logs.push(e)
			});
		}
		const second = linkDevices(a, b);
		await waitForQuiet([a, b], [second]);
		expect(a.node.peers[0].stats.docsOffered).toBe(3);
		expect(b.node.peers[0].stats.docsOffered).toBe(1);
		expect((await readCard(b, ids[0])).profile.note).toBe('Zmiana po przerwie.');
		expect((await readCard(a, ids[9])).profile.phone).toBe('+48600111222');
	});

	it('offers nothing back to the tablet it came from, even when storing a batch outlasts the forwarding delay', async () => {
		const keys = await makeSalonKeys();
		// Every received write on B takes 30 ms: a batch of 12 docs takes far longer than the 50 ms
		// after which received changes are offered on to other tablets.
		const [a, b] = [await makeDevice('A', keys), await makeDevice('B', keys, { storage: makeSlowStorage(30) })];
		const ids = await addCards(a, 12);
		const first = linkDevices(a, b);
		const slowTurns = 20_000_000; // the quiet check spins event-loop turns while B's writes wait on timers
		await waitForQuiet([a, b], [first], slowTurns);
		expect(await listCardIds(b)).toHaveLength(12);
		const sentBack = (d: TestDevice) => ({ offered: d.node.peers[0].stats.docsOffered, sent: d.node.peers[0].stats.docsSent });
		expect(sentBack(b)).toEqual({ offered: 0, sent: 0 }); // adopted whole from A
		first.disconnect();

		for (const id of ids) await editCard(a, id, { note: 'Po przerwie: krem z filtrem SPF 50.' });
		const second = linkDevices(a, b);
		await waitForQuiet([a, b], [second], slowTurns);
		expect((await readCard(b, ids[11])).profile.note).toBe('Po przerwie: krem z filtrem SPF 50.');
		expect(a.node.peers[0].stats.docsOffered).toBe(12);
		expect(sentBack(b)).toEqual({ offered: 0, sent: 0 }); // merged from A, so A has it all
	});

	it('catches up with only what changed, after a first sync and after a catch-up (the state vectors are kept)', async () => {
		const keys = await makeSalonKeys();
		const [a, b] = [await makeDevice('A', keys), await makeDevice('B', keys)];
		const ids = await addCards(a, 3);
		const longNote = 'Wizyta: oczyszczanie wodorowe, maska algowa, krem SPF 50. '.repeat(200); // ~12 KB
		for (const id of ids) await editCard(a, id, { note: longNote });
		const first = linkDevices(a, b);
		await waitForQuiet([a, b], [first]);
		const wholeCards = a.node.peers[0].stats.bytesSent;
		expect(wholeCards).toBeGreaterThan(3 * 12_000);
		first.disconnect();

		// Apart and back twice: a small change after the first sync, then a whole new note, then a
		// small change again, which must not bring the new notes a second time.
		const rounds = [{ phone: '+48600100001' }, { note: longNote.toUpperCase() }, { phone: '+48600100003' }];
		for (const [round, patch] of rounds.entries()) {
			for (const id of ids) await editCard(a, id, patch);
			const link = linkDevices(a, b);
			await waitForQuiet([a, b], [link]);
			expect((await readCard(b, ids[2])).profile).toMatchObject(patch);
			const sent = a.node.peers[0].stats;
			expect(sent.docsSent).toBe(3);
			if (round !== 1) expect(sent.bytesSent).toBeLessThan(wholeCards / 10); // the changes, not the cards
			link.disconnect();
		}
	});

	it('offers no further batch while too much of what it sent is not acknowledged yet', async () => {
		const keys = await makeSalonKeys();
		// The most docs A had sent and B had not acknowledged at any moment, read off the wire.
		const mostUnacked = async (maxUnackedBytes: number): Promise<number> => {
			const a = await makeDevice('A', keys, { limits: { maxBatch: 2, maxUnackedBytes } });
			const b = await makeDevice('B', keys, { storage: makeSlowStorage(20) });
			await addCards(a, 12);
			let [unacked, most] = [0, 0];
			const watch = (side: 'a' | 'b') =>
				new FrameReader(DEFAULT_LIMITS, (bytes) => {
					const decoded = decodeMessage(bytes, DEFAULT_LIMITS);
					if (!decoded.ok) return;
					if (side === 'a' && decoded.message.type === 'doc') most = Math.max(most, ++unacked);
					if (side === 'b' && decoded.message.type === 'ack') unacked -= decoded.message.items.length;
				}, () => {});
			const readers = { a: watch('a'), b: watch('b') };
			const pair = createLoopbackPair();
			pair.link.tap = (from, bytes) => readers[from].accept(bytes);
			a.node.connect(pair.a);
			b.node.connect(pair.b);
			await waitForQuiet([a, b], [pair.link], 20_000_000);
			expect(await listCardIds(b)).toHaveLength(12);
			return most;
		};
		// A batch of 2 cards is far above 1 byte: only the batch being sent and the one before it.
		expect(await mostUnacked(1)).toBeLessThanOrEqual(4);
		// By count alone, up to four batches wait for a slow tablet.
		expect(await mostUnacked(DEFAULT_LIMITS.maxUnackedBytes)).toBeGreaterThan(4);
	});

	it('closes the link when a tablet stops acknowledging what it was sent', async () => {
		const keys = await makeSalonKeys();
		// B answers the offer, then never finishes storing: its writes take a minute.
		const a = await makeDevice('A', keys, { limits: { replyTimeoutMs: 300 } });
		const b = await makeDevice('B', keys, { storage: makeSlowStorage(60_000) });
		await addCards(a, 3);
		linkDevices(a, b);
		await vi.waitFor(() => expect(a.logs.find((l) => l.reason === 'timeout')?.detail).toMatch(/^ack\|/), { timeout: 3_000 });
		expect(a.node.peers).toEqual([]);
	});

	it('pushes a live edit at once and forwards it only to the tablets that did not send it', async () => {
		const keys = await makeSalonKeys();
		const [a, b, c] = [await makeDevice('A', keys), await makeDevice('B', keys), await makeDevice('C', keys)];
		const [id] = await addCards(a, 1);
		const links = [linkDevices(a, b), linkDevices(b, c)]; // A and C meet only through B
		await waitForQuiet([a, b, c], links);
		const statsOf = (d: TestDevice, to: string) => ({ ...d.node.peers.find((p) => p.peerId === to)!.stats });
		const before = { toA: statsOf(b, 'A'), toC: statsOf(b, 'C'), aToB: statsOf(a, 'B') };

		await editCard(a, id, { phone: '+48601202303' });
		await waitForQuiet([a, b, c], links);
		expect((await readCard(c, id)).profile.phone).toBe('+48601202303');
		expect(statsOf(b, 'C').docsSent).toBe(before.toC.docsSent + 1);
		expect(statsOf(b, 'A').docsSent).toBe(before.toA.docsSent);
		// Pushed, not offered: no offer/want round trip, and only the new update travelled.
		expect(statsOf(b, 'C').docsOffered).toBe(before.toC.docsOffered);
		expect(statsOf(a, 'B').docsOffered).toBe(before.aToB.docsOffered);
		const pushedBytes = statsOf(a, 'B').bytesSent - before.aToB.bytesSent;
		expect(pushedBytes).toBeLessThan(before.aToB.bytesSent / 2);
	});

	it('does not let a tablet that was offline bring an erased card back', async () => {
		const keys = await makeSalonKeys();
		const [a, b, c] = [await makeDevice('A', keys), await makeDevice('B', keys), await makeDevice('C', keys)];
		const [id, other] = await addCards(a, 2);
		const links = [linkDevices(a, b), linkDevices(a, c), linkDevices(b, c)];
		await waitForQuiet([a, b, c], links);
		links[1].disconnect();
		links[2].disconnect();
		await editCard(c, id, { note: 'Edytowane offline na tablecie C.' });
		await a.store.eraseDoc(profileDocId(id));
		await a.store.eraseDoc(clinicalDocId(id));
		await waitForQuiet([a, b, c], links);
		links[0].disconnect();

		const back = linkDevices(b, c); // A is away: only B can stop C
		await waitForQuiet([a, b, c], [back]);
		const all = [back, linkDevices(a, c), linkDevices(a, b)];
		await waitForQuiet([a, b, c], all);
		for (const device of [a, b, c]) {
			expect(await listCardIds(device)).toEqual([other]);
			expect((await device.storage.getRegistryEntry(profileDocId(id)))?.tombstone).toBe(true);
			const error = await device.store.load(profileDocId(id)).catch((e) => e);
			expect(isAppError(error, 'tombstoned') || isAppError(error, 'locked') || isAppError(error, 'not-found')).toBe(true);
		}
	});

	it('carries a card bigger than 1 MiB whole, split over several messages', async () => {
		const keys = await makeSalonKeys();
		const limits = { maxMessageBytes: 256 * 1024 };
		const [a, b] = [await makeDevice('A', keys, { limits }), await makeDevice('B', keys, { limits })];
		const [id] = await addCards(a, 1);
		const note = Array.from({ length: 40_000 }, (_, i) => `Wizyta ${i}: peeling, żel, łagodnie. `).join('');
		expect(new TextEncoder().encode(note).byteLength).toBeGreaterThan(1024 * 1024);
		await editCard(a, id, { note });
		const link = linkDevices(a, b);
		await waitForQuiet([a, b], [link]);
		expect((await readCard(b, id)).profile.note).toBe(note);
		expect(a.node.peers[0].stats.bytesSent).toBeGreaterThan(1024 * 1024);
	});

	it('keeps clinical docs sealed on a reception tablet, forwards them, and opens them once the clinical key is back', async () => {
		const keys = await makeSalonKeys();
		const a = await makeDevice('A', keys);
		const reception = await makeDevice('R', keys, { hasClinical: false });
		const c = await makeDevice('C', keys);
		const [id] = await addCards(a, 1);
		await writeClinicalNote(a, id, 'Wywiad: alergia na nikiel.');
		// A and C never meet: what C gets of the clinical doc comes through the reception tablet.
		const ar = linkDevices(a, reception);
		await waitForQuiet([a, reception], [ar]);
		ar.disconnect();
		const rc = linkDevices(reception, c);
		await waitForQuiet([reception, c], [rc]);

		expect((await reception.storage.readDoc(clinicalDocId(id))).updates.length).toBeGreaterThan(0);
		await expect(reception.store.load(clinicalDocId(id))).rejects.toMatchObject({ reason: 'locked' });
		expect((await readCard(reception, id)).profile).toEqual((await readCard(a, id)).profile);
		expect(await readClinicalNote(c, id)).toBe('Wywiad: alergia na nikiel.');

		reception.roots.clinical = keys.clinical;
		reception.store.restoreClinical(keys.clinical);
		expect(await readClinicalNote(reception, id)).toBe('Wywiad: alergia na nikiel.');
	});

	it('defers a clinical doc under another data key on a reception tablet and merges it after a rescan', async () => {
		const keys = await makeSalonKeys();
		const [a, b] = [await makeDevice('A', keys), await makeDevice('B', keys)];
		const reception = await makeDevice('R', keys, { hasClinical: false });
		const [id] = await addCards(a, 1);
		const ab = linkDevices(a, b);
		await waitForQuiet([a, b], [ab]);
		ab.disconnect();
		// A's clinical doc held no data, so it never travelled: B starts its own, under its own key.
		await writeClinicalNote(a, id, 'Test płatkowy: ujemny.');
		await writeClinicalNote(b, id, 'Peeling kawitacyjny, bez reakcji.');
		const entryOf = async (d: TestDevice) => (await d.storage.getRegistryEntry(clinicalDocId(id)))!.wrappedKey!.ciphertext;
		expect(await entryOf(a)).not.toEqual(await entryOf(b));

		const links = [linkDevices(a, reception)];
		await waitForQuiet([a, b, reception], links);
		links.push(linkDevices(b, reception));
		await waitForQuiet([a, b, reception], links);
		expect(reception.logs.some((l) => l.reason === 'deferred' && l.docId === clinicalDocId(id))).toBe(true);
		expect(b.node.peers.find((p) => p.peerId === 'R')!.pendingDocs).toBe(1);

		reception.roots.clinical = keys.clinical;
		reception.store.restoreClinical(keys.clinical);
		reception.node.rescan();
		await waitForQuiet([a, b, reception], links);
		expect(b.node.peers.find((p) => p.peerId === 'R')!.pendingDocs).toBe(0);
		for (const device of [a, b, reception]) {
			const note = await readClinicalNote(device, id);
			expect(note).toContain('Test płatkowy: ujemny.');
			expect(note).toContain('Peeling kawitacyjny, bez reakcji.');
		}
	});
});
