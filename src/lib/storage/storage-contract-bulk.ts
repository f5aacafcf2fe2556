// The bulk part of the storage contract (a first sync's path): reading many docs and registry
// entries at once, adopting docs new to the device, storing many summaries. Called by
// runStorageContract with its `open`, against every implementation.
import { expect, it } from 'vitest';
import type { DocId } from '../domain/ids';
import type { Adoption, RegistryEntry, Storage, StoredSummary } from './storage';
import { expectReason, makeFakeEnvelope, makeTestDocId, sortBySeq } from './storage-fixtures';

const EMPTY_DOC = { snapshot: null, stateVector: null, snapshotSeq: 0, updates: [] };

// A live registry entry of `docId`, its kind read from the id, its wrapped key told apart by `tag`.
function makeEntry(docId: DocId, tag: number): RegistryEntry {
	const kind = docId.startsWith('clinical:') ? 'clinical' : 'profile';
	return { docId, kind, wrappedKey: makeFakeEnvelope(tag), tombstone: false };
}

// The seqs of an adoption, failing the test when the doc was not adopted.
function seqsOf(adoption: Adoption | undefined): number[] {
	expect(adoption?.status).toBe('adopted');
	return adoption?.status === 'adopted' ? adoption.seqs : [];
}

function sortByClient(summaries: StoredSummary[]): StoredSummary[] {
	return [...summaries].sort((a, b) => a.clientId.localeCompare(b.clientId));
}

/** The bulk cases, each on a fresh storage from `open`. */
export function describeBulkContract(open: () => Promise<Storage>): void {
	it('reads several docs in the order asked, each as readDoc reads it', async () => {
		const s = await open();
		const [a, b, unknown] = [makeTestDocId('client'), makeTestDocId('clinical'), makeTestDocId('client')];
		const seqs = [];
		for (let i = 1; i <= 4; i++) seqs.push(await s.appendUpdate(a, makeFakeEnvelope(i)));
		await s.replaceSnapshot(a, makeFakeEnvelope(50), makeFakeEnvelope(51), seqs[1]);
		const b1 = await s.appendUpdate(b, makeFakeEnvelope(10));
		await s.putStateVector(b, makeFakeEnvelope(11));

		const storedB = {
			snapshot: null,
			stateVector: makeFakeEnvelope(11),
			snapshotSeq: 0,
			updates: [{ seq: b1, docId: b, update: makeFakeEnvelope(10) }]
		};
		const read = await s.readDocs([b, unknown, a, b]);
		expect(read).toEqual([
			storedB,
			EMPTY_DOC,
			{
				snapshot: makeFakeEnvelope(50),
				stateVector: makeFakeEnvelope(51),
				snapshotSeq: seqs[1],
				updates: [
					{ seq: seqs[2], docId: a, update: makeFakeEnvelope(3) },
					{ seq: seqs[3], docId: a, update: makeFakeEnvelope(4) }
				]
			},
			storedB
		]);
		expect(read).toEqual([await s.readDoc(b), await s.readDoc(unknown), await s.readDoc(a), await s.readDoc(b)]);
		expect(await s.readDocs([])).toEqual([]);
	});

	it('reads several registry entries in the order asked, an unknown one as undefined', async () => {
		const s = await open();
		const [a, b, erased, unknown] = [
			makeTestDocId('client'),
			makeTestDocId('clinical'),
			makeTestDocId('client'),
			makeTestDocId('client')
		];
		for (const [i, docId] of [a, b, erased].entries()) await s.putRegistryEntry(makeEntry(docId, i));
		await s.tombstone(erased);
		expect(await s.getRegistryEntries([b, unknown, erased, a, b])).toEqual([
			makeEntry(b, 1),
			undefined,
			{ docId: erased, kind: 'profile', wrappedKey: null, tombstone: true },
			makeEntry(a, 0),
			makeEntry(b, 1)
		]);
		expect(await s.getRegistryEntries([])).toEqual([]);
	});

	it('adopts new docs: registers them and appends their updates after every earlier seq, in order', async () => {
		const s = await open();
		const earlier = await s.appendUpdate(makeTestDocId('client'), makeFakeEnvelope(1));
		const [x, y, z] = [makeTestDocId('client'), makeTestDocId('clinical'), makeTestDocId('client')];
		const adoptions = await s.adoptDocs([
			{ entry: makeEntry(x, 10), updates: [makeFakeEnvelope(11), makeFakeEnvelope(12)] },
			{ entry: makeEntry(y, 20), updates: [] },
			{ entry: makeEntry(z, 30), updates: [31, 32, 33].map((i) => makeFakeEnvelope(i)) }
		]);
		const [xs, ys, zs] = adoptions.map(seqsOf);
		expect([xs.length, ys.length, zs.length]).toEqual([2, 0, 3]);
		const all = [earlier, ...xs, ...zs];
		for (let i = 1; i < all.length; i++) expect(all[i]).toBeGreaterThan(all[i - 1]);

		expect((await s.readDoc(x)).updates).toEqual([
			{ seq: xs[0], docId: x, update: makeFakeEnvelope(11) },
			{ seq: xs[1], docId: x, update: makeFakeEnvelope(12) }
		]);
		expect((await s.readDoc(z)).updates).toEqual(
			zs.map((seq, i) => ({ seq, docId: z, update: makeFakeEnvelope(31 + i) }))
		);
		expect(await s.readDoc(y)).toEqual(EMPTY_DOC);
		expect(await s.getRegistryEntries([x, y, z])).toEqual([makeEntry(x, 10), makeEntry(y, 20), makeEntry(z, 30)]);
		expect(sortBySeq(await s.changedSince(earlier))).toEqual([
			{ docId: x, seq: xs[1] },
			{ docId: z, seq: zs[2] }
		]);
		expect(await s.lastSeq()).toBe(zs[2]);
		// From now on an adopted doc is like any other.
		expect(await s.appendUpdate(y, makeFakeEnvelope(21))).toBeGreaterThan(zs[2]);
		expect(await s.adoptDocs([])).toEqual([]);
	});

	it('keeps the state vector an adopted doc comes with, as putStateVector would', async () => {
		const s = await open();
		const [x, y] = [makeTestDocId('client'), makeTestDocId('client')];
		await s.adoptDocs([
			{ entry: makeEntry(x, 10), updates: [makeFakeEnvelope(11)], stateVector: makeFakeEnvelope(19) },
			{ entry: makeEntry(y, 20), updates: [makeFakeEnvelope(21)] }
		]);
		expect((await s.readDoc(x)).stateVector).toEqual(makeFakeEnvelope(19));
		expect((await s.readDoc(y)).stateVector).toBeNull();
		// Later appends leave it as it is (a lower bound of the doc's state), as after putStateVector.
		await s.appendUpdate(x, makeFakeEnvelope(12));
		expect((await s.readDoc(x)).stateVector).toEqual(makeFakeEnvelope(19));
	});

	it('leaves a registered, an erased and an orphaned doc as they are when adopting', async () => {
		const s = await open();
		const [registered, erased, orphan, compactedOrphan, fresh] = [
			makeTestDocId('client'),
			makeTestDocId('clinical'),
			makeTestDocId('client'),
			makeTestDocId('clinical'),
			makeTestDocId('client')
		];
		await s.putRegistryEntry(makeEntry(registered, 1));
		await s.appendUpdate(registered, makeFakeEnvelope(2));
		await s.putRegistryEntry(makeEntry(erased, 3));
		await s.appendUpdate(erased, makeFakeEnvelope(4));
		await s.tombstone(erased);
		// Data without a registry entry: appended updates, or only a snapshot after compaction.
		await s.appendUpdate(orphan, makeFakeEnvelope(5));
		const last = await s.appendUpdate(compactedOrphan, makeFakeEnvelope(6));
		await s.replaceSnapshot(compactedOrphan, makeFakeEnvelope(7), makeFakeEnvelope(8), last);
		const ids = [registered, erased, orphan, compactedOrphan];
		const readAll = async () => ({
			docs: await Promise.all(ids.map((docId) => s.readDoc(docId))),
			entries: await Promise.all(ids.map((docId) => s.getRegistryEntry(docId)))
		});
		const before = await readAll();

		const adoptions = await s.adoptDocs([
			...ids.map((docId, i) => ({ entry: makeEntry(docId, 20 + i), updates: [makeFakeEnvelope(30 + i)] })),
			{ entry: makeEntry(fresh, 40), updates: [makeFakeEnvelope(41)] }
		]);
		expect(adoptions.slice(0, 4)).toEqual([
			{ status: 'registered' },
			{ status: 'tombstoned' },
			{ status: 'orphan-data' },
			{ status: 'orphan-data' }
		]);
		const [freshSeq] = seqsOf(adoptions[4]);
		expect(await readAll()).toEqual(before);
		expect(before.entries.slice(1)).toEqual([
			{ docId: erased, kind: 'clinical', wrappedKey: null, tombstone: true },
			undefined,
			undefined
		]);
		expect(await s.changedSince(last)).toEqual([{ docId: fresh, seq: freshSeq }]);
		expect((await s.readDoc(fresh)).updates).toEqual([
			{ seq: freshSeq, docId: fresh, update: makeFakeEnvelope(41) }
		]);
	});

	it('adopts a doc named twice in one call once; the later one is already registered', async () => {
		const s = await open();
		const [doc, erased] = [makeTestDocId('client'), makeTestDocId('client')];
		await s.tombstone(erased);
		const adoptions = await s.adoptDocs([
			{ entry: makeEntry(doc, 1), updates: [makeFakeEnvelope(2)] },
			{ entry: makeEntry(erased, 3), updates: [] },
			{ entry: makeEntry(doc, 4), updates: [makeFakeEnvelope(5), makeFakeEnvelope(6)] },
			{ entry: makeEntry(erased, 7), updates: [] }
		]);
		const [seq] = seqsOf(adoptions[0]);
		// An erased id stays refused however often it is named; only an adopted one becomes registered.
		expect(adoptions.slice(1)).toEqual([
			{ status: 'tombstoned' },
			{ status: 'registered' },
			{ status: 'tombstoned' }
		]);
		expect(await s.getRegistryEntry(doc)).toEqual(makeEntry(doc, 1));
		expect((await s.readDoc(doc)).updates).toEqual([{ seq, docId: doc, update: makeFakeEnvelope(2) }]);
		expect(await s.lastSeq()).toBe(seq);
	});

	it('refuses a tombstone among the docs to adopt and writes nothing at all', async () => {
		const s = await open();
		const [fresh, other] = [makeTestDocId('client'), makeTestDocId('clinical')];
		await expectReason(
			s.adoptDocs([
				{ entry: makeEntry(fresh, 1), updates: [makeFakeEnvelope(2)] },
				{ entry: { ...makeEntry(other, 3), wrappedKey: null, tombstone: true }, updates: [] }
			]),
			'invalid-input'
		);
		expect(await s.listRegistry()).toEqual([]);
		expect(await s.readDocs([fresh, other])).toEqual([EMPTY_DOC, EMPTY_DOC]);
		expect(await s.changedSince(0)).toEqual([]);
		expect(await s.lastSeq()).toBe(0);
		// Nothing was half-done either: both ids can still be adopted.
		const adoptions = await s.adoptDocs([
			{ entry: makeEntry(fresh, 1), updates: [] },
			{ entry: makeEntry(other, 3), updates: [] }
		]);
		expect(adoptions).toEqual([
			{ status: 'adopted', seqs: [] },
			{ status: 'adopted', seqs: [] }
		]);
	});

	it('gives adopted updates seqs above every earlier one, after compaction and erasure too', async () => {
		const s = await open();
		const [a, b] = [makeTestDocId('client'), makeTestDocId('client')];
		const a1 = await s.appendUpdate(a, makeFakeEnvelope(1));
		const b1 = await s.appendUpdate(b, makeFakeEnvelope(2));
		// Delete every stored update: the highest seq by erasure, the other by compaction.
		await s.replaceSnapshot(a, makeFakeEnvelope(3), makeFakeEnvelope(4), a1);
		await s.tombstone(b);
		const [adoption] = await s.adoptDocs([
			{ entry: makeEntry(makeTestDocId('client'), 5), updates: [makeFakeEnvelope(6), makeFakeEnvelope(7)] }
		]);
		const seqs = seqsOf(adoption);
		expect(seqs).toHaveLength(2);
		expect(seqs[0]).toBeGreaterThan(b1);
		expect(seqs[1]).toBeGreaterThan(seqs[0]);
		expect(await s.lastSeq()).toBe(seqs[1]);
	});

	it('stores several summaries in one call, replacing stored ones', async () => {
		const s = await open();
		const [x, y, z] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
		await s.putSummary({ clientId: x, profile: makeFakeEnvelope(1), clinical: makeFakeEnvelope(2) });
		await s.putSummary({ clientId: y, profile: makeFakeEnvelope(3), clinical: null });
		await s.putSummaries([
			{ clientId: x, profile: makeFakeEnvelope(4), clinical: null },
			{ clientId: z, profile: makeFakeEnvelope(5), clinical: makeFakeEnvelope(6) }
		]);
		await s.putSummaries([]);
		expect(sortByClient(await s.listSummaries())).toEqual(
			sortByClient([
				{ clientId: x, profile: makeFakeEnvelope(4), clinical: null },
				{ clientId: y, profile: makeFakeEnvelope(3), clinical: null },
				{ clientId: z, profile: makeFakeEnvelope(5), clinical: makeFakeEnvelope(6) }
			])
		);
	});

	it('skips the summary of an erased card and keeps an erased clinical part cleared, storing the rest', async () => {
		const s = await open();
		const [kept, erasedCard, erasedClinical] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
		await s.tombstone(makeTestDocId('client', erasedCard));
		await s.tombstone(makeTestDocId('clinical', erasedClinical));
		await s.putSummaries([
			{ clientId: erasedCard, profile: makeFakeEnvelope(1), clinical: makeFakeEnvelope(2) },
			{ clientId: kept, profile: makeFakeEnvelope(3), clinical: makeFakeEnvelope(4) },
			{ clientId: erasedClinical, profile: makeFakeEnvelope(5), clinical: makeFakeEnvelope(6) }
		]);
		expect(sortByClient(await s.listSummaries())).toEqual(
			sortByClient([
				{ clientId: kept, profile: makeFakeEnvelope(3), clinical: makeFakeEnvelope(4) },
				{ clientId: erasedClinical, profile: makeFakeEnvelope(5), clinical: null }
			])
		);
	});

	it('keeps its own copy in bulk reads and writes too', async () => {
		const s = await open();
		const [doc, clientId] = [makeTestDocId('client'), crypto.randomUUID()];
		const entry = makeEntry(doc, 1);
		const update = makeFakeEnvelope(2);
		await s.adoptDocs([{ entry, updates: [update] }]);
		entry.wrappedKey!.ciphertext[0] ^= 0xff;
		update.ciphertext[0] ^= 0xff;

		const [first, second] = await s.readDocs([doc, doc]);
		expect(first.updates[0].update).toEqual(makeFakeEnvelope(2));
		first.updates[0].update.ciphertext[0] ^= 0xff;
		expect(second.updates[0].update).toEqual(makeFakeEnvelope(2));
		expect((await s.readDocs([doc]))[0].updates[0].update).toEqual(makeFakeEnvelope(2));

		const [read] = await s.getRegistryEntries([doc]);
		expect(read).toEqual(makeEntry(doc, 1));
		read!.wrappedKey!.ciphertext[0] ^= 0xff;
		expect(await s.getRegistryEntries([doc])).toEqual([makeEntry(doc, 1)]);

		const summary = { clientId, profile: makeFakeEnvelope(3), clinical: makeFakeEnvelope(4) };
		await s.putSummaries([summary]);
		summary.profile.ciphertext[0] ^= 0xff;
		expect(await s.listSummaries()).toEqual([
			{ clientId, profile: makeFakeEnvelope(3), clinical: makeFakeEnvelope(4) }
		]);
	});
}
