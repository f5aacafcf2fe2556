// The storage contract: what every Storage implementation must do, as a vitest suite. Run it
// against each implementation (memory, Dexie on fake-indexeddb and in real Chromium, and
// ObservedStorage over them) so they cannot drift. Storage-level cases use opaque fake envelopes;
// the bulk cases of a sync are in storage-contract-bulk.ts; the cases about docs (compaction,
// reload) run a DocStore over the storage (storage-contract-docs.ts).
import { afterEach, describe, expect, it } from 'vitest';
import type { DocId } from '../domain/ids';
import type { RegistryEntry, Storage } from './storage';
import { describeBulkContract } from './storage-contract-bulk';
import { describeDocContract } from './storage-contract-docs';
import { expectReason, makeFakeEnvelope, makeTestDocId, sortBySeq } from './storage-fixtures';

/** How the contract gets storages: a fresh empty one, and (optionally) the same data reopened. */
export interface StorageContractOptions {
	/** Closes `storage` and opens the same data again; the default hands back the same instance. */
	reopen?: (storage: Storage) => Promise<Storage>;
}


/** Runs the storage contract against storages made by `makeStorage`. */
export function runStorageContract(
	name: string,
	makeStorage: () => Promise<Storage>,
	options: StorageContractOptions = {}
): void {
	describe(`storage contract: ${name}`, () => {
		const opened: Storage[] = [];
		const open = async () => {
			const s = await makeStorage();
			opened.push(s);
			return s;
		};
		const reopen = async (s: Storage) => {
			const again = options.reopen ? await options.reopen(s) : s;
			opened.push(again);
			return again;
		};
		afterEach(async () => {
			for (const s of opened.splice(0)) await s.destroy().catch(() => undefined);
		});

		it('reads back appended updates in order, with their sequence numbers', async () => {
			const s = await open();
			const doc = makeTestDocId('client');
			const seqs = [];
			for (let i = 1; i <= 5; i++) seqs.push(await s.appendUpdate(doc, makeFakeEnvelope(i)));
			const stored = await s.readDoc(doc);
			expect(stored.updates.map((u) => u.seq)).toEqual(seqs);
			expect(stored.updates.map((u) => u.update)).toEqual([1, 2, 3, 4, 5].map((i) => makeFakeEnvelope(i)));
			expect(stored.updates.every((u) => u.docId === doc)).toBe(true);
			expect(stored.snapshot).toBeNull();
			expect(stored.snapshotSeq).toBe(0);
		});

		it('reads an unknown doc as empty', async () => {
			const s = await open();
			expect(await s.readDoc(makeTestDocId('client'))).toEqual({
				snapshot: null,
				stateVector: null,
				snapshotSeq: 0,
				updates: []
			});
			expect(await s.lastSeq()).toBe(0);
		});

		it('strictly increases the change-log sequence across docs and after compaction and erasure', async () => {
			const s = await open();
			const [a, b] = [makeTestDocId('client'), makeTestDocId('clinical')];
			const seqs: number[] = [];
			for (let i = 0; i < 6; i++) seqs.push(await s.appendUpdate(i % 2 ? a : b, makeFakeEnvelope(i)));
			// Delete every stored update, including the highest sequence, then erase a doc.
			await s.replaceSnapshot(a, makeFakeEnvelope(90), makeFakeEnvelope(91), seqs[5]);
			await s.replaceSnapshot(b, makeFakeEnvelope(92), makeFakeEnvelope(93), seqs[5]);
			expect(await s.lastSeq()).toBe(seqs[5]);
			seqs.push(await s.appendUpdate(b, makeFakeEnvelope(7)));
			await s.tombstone(b);
			expect(await s.lastSeq()).toBe(seqs[6]);
			seqs.push(await s.appendUpdate(a, makeFakeEnvelope(8)));
			for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
			expect(await s.lastSeq()).toBe(seqs.at(-1));
		});

		it('replaces the snapshot and deletes exactly the updates up to upToSeq', async () => {
			const s = await open();
			const [doc, other] = [makeTestDocId('client'), makeTestDocId('client')];
			const seqs = [];
			for (let i = 1; i <= 6; i++) {
				seqs.push(await s.appendUpdate(doc, makeFakeEnvelope(i)));
				await s.appendUpdate(other, makeFakeEnvelope(100 + i));
			}
			await s.replaceSnapshot(doc, makeFakeEnvelope(50), makeFakeEnvelope(51), seqs[3]);
			const stored = await s.readDoc(doc);
			expect(stored.snapshot).toEqual(makeFakeEnvelope(50));
			expect(stored.stateVector).toEqual(makeFakeEnvelope(51));
			expect(stored.snapshotSeq).toBe(seqs[3]);
			expect(stored.updates.map((u) => u.seq)).toEqual(seqs.slice(4));
			expect((await s.readDoc(other)).updates).toHaveLength(6);
		});

		it('keeps a newer snapshot when an older one arrives late', async () => {
			const s = await open();
			const doc = makeTestDocId('client');
			const seqs = [];
			for (let i = 1; i <= 4; i++) seqs.push(await s.appendUpdate(doc, makeFakeEnvelope(i)));
			await s.replaceSnapshot(doc, makeFakeEnvelope(60), makeFakeEnvelope(61), seqs[3]);
			await s.replaceSnapshot(doc, makeFakeEnvelope(70), makeFakeEnvelope(71), seqs[1]);
			const stored = await s.readDoc(doc);
			expect(stored.snapshot).toEqual(makeFakeEnvelope(60));
			expect(stored.snapshotSeq).toBe(seqs[3]);
		});

		it('stores a state vector beside the doc', async () => {
			const s = await open();
			const doc = makeTestDocId('client');
			await s.appendUpdate(doc, makeFakeEnvelope(1));
			await s.putStateVector(doc, makeFakeEnvelope(9));
			const stored = await s.readDoc(doc);
			expect(stored.stateVector).toEqual(makeFakeEnvelope(9));
			expect(stored.updates).toHaveLength(1);
		});

		it('lists exactly the docs changed after a sequence, with their last sequence', async () => {
			const s = await open();
			const [a, b, c] = [makeTestDocId('client'), makeTestDocId('client'), makeTestDocId('clinical')];
			const a1 = await s.appendUpdate(a, makeFakeEnvelope(1));
			const b1 = await s.appendUpdate(b, makeFakeEnvelope(2));
			const a2 = await s.appendUpdate(a, makeFakeEnvelope(3));
			const c1 = await s.appendUpdate(c, makeFakeEnvelope(4));
			expect(sortBySeq(await s.changedSince(b1))).toEqual([
				{ docId: a, seq: a2 },
				{ docId: c, seq: c1 }
			]);
			expect(sortBySeq(await s.changedSince(0))).toHaveLength(3);
			expect(await s.changedSince(c1)).toEqual([]);
			// Compaction does not change content, so it does not count as a change.
			await s.replaceSnapshot(a, makeFakeEnvelope(5), makeFakeEnvelope(6), a2);
			expect(sortBySeq(await s.changedSince(a1))).toEqual([
				{ docId: b, seq: b1 },
				{ docId: a, seq: a2 },
				{ docId: c, seq: c1 }
			]);
		});

		it('round-trips registry entries and lists them all', async () => {
			const s = await open();
			const a: RegistryEntry = {
				docId: makeTestDocId('client'),
				kind: 'profile',
				wrappedKey: makeFakeEnvelope(1),
				tombstone: false
			};
			const b: RegistryEntry = {
				docId: makeTestDocId('clinical'),
				kind: 'clinical',
				wrappedKey: makeFakeEnvelope(2),
				tombstone: false
			};
			await s.putRegistryEntry(a);
			await s.putRegistryEntry(b);
			expect(await s.getRegistryEntry(a.docId)).toEqual(a);
			expect(await s.getRegistryEntry(makeTestDocId('client'))).toBeUndefined();
			const replaced = { ...a, wrappedKey: makeFakeEnvelope(3) };
			await s.putRegistryEntry(replaced);
			const all = await s.listRegistry();
			expect(all.sort((x, y) => x.docId.localeCompare(y.docId))).toEqual(
				[replaced, b].sort((x, y) => x.docId.localeCompare(y.docId))
			);
		});

		it('refuses a tombstoned doc id and leaves none of its data behind', async () => {
			const s = await open();
			const clientId = crypto.randomUUID();
			const doc = makeTestDocId('client', clientId);
			await s.putRegistryEntry({ docId: doc, kind: 'profile', wrappedKey: makeFakeEnvelope(1), tombstone: false });
			const seq = await s.appendUpdate(doc, makeFakeEnvelope(2));
			await s.putSummary({ clientId, profile: makeFakeEnvelope(3), clinical: makeFakeEnvelope(4) });
			await s.tombstone(doc);

			expect(await s.getRegistryEntry(doc)).toEqual({ docId: doc, kind: 'profile', wrappedKey: null, tombstone: true });
			expect((await s.readDoc(doc)).updates).toEqual([]);
			expect(await s.listSummaries()).toEqual([]);
			expect(await s.changedSince(0)).toEqual([]);
			await expectReason(s.appendUpdate(doc, makeFakeEnvelope(5)), 'tombstoned');
			await expectReason(
				s.putRegistryEntry({ docId: doc, kind: 'profile', wrappedKey: makeFakeEnvelope(6), tombstone: false }),
				'tombstoned'
			);
			await expectReason(s.replaceSnapshot(doc, makeFakeEnvelope(7), makeFakeEnvelope(8), seq), 'tombstoned');
			await expectReason(s.putStateVector(doc, makeFakeEnvelope(9)), 'tombstoned');
			await expectReason(s.putSummary({ clientId, profile: makeFakeEnvelope(10), clinical: null }), 'tombstoned');
			expect((await s.readDoc(doc)).snapshot).toBeNull();
			// Tombstones arrive again from peers: accepting one twice is not an error.
			await s.putRegistryEntry({ docId: doc, kind: 'profile', wrappedKey: null, tombstone: true });
			await s.tombstone(doc);
		});

		it('erases a doc when a tombstone entry arrives through the registry', async () => {
			const s = await open();
			const doc = makeTestDocId('client');
			await s.appendUpdate(doc, makeFakeEnvelope(1));
			await s.putRegistryEntry({ docId: doc, kind: 'profile', wrappedKey: makeFakeEnvelope(2), tombstone: true });
			expect(await s.getRegistryEntry(doc)).toMatchObject({ wrappedKey: null, tombstone: true });
			expect((await s.readDoc(doc)).updates).toEqual([]);
			await expectReason(s.appendUpdate(doc, makeFakeEnvelope(3)), 'tombstoned');
		});

		it('erasing a clinical doc clears only the clinical part of the summary, for good', async () => {
			const s = await open();
			const clientId = crypto.randomUUID();
			const clinical = makeTestDocId('clinical', clientId);
			await s.appendUpdate(clinical, makeFakeEnvelope(1));
			await s.putSummary({ clientId, profile: makeFakeEnvelope(2), clinical: makeFakeEnvelope(3) });
			await s.tombstone(clinical);
			expect(await s.listSummaries()).toEqual([{ clientId, profile: makeFakeEnvelope(2), clinical: null }]);
			await s.putSummary({ clientId, profile: makeFakeEnvelope(4), clinical: makeFakeEnvelope(5) });
			expect(await s.listSummaries()).toEqual([{ clientId, profile: makeFakeEnvelope(4), clinical: null }]);
		});

		it('round-trips summaries and replaces a client summary', async () => {
			const s = await open();
			const [x, y] = [crypto.randomUUID(), crypto.randomUUID()];
			await s.putSummary({ clientId: x, profile: makeFakeEnvelope(1), clinical: null });
			await s.putSummary({ clientId: y, profile: makeFakeEnvelope(2), clinical: makeFakeEnvelope(3) });
			await s.putSummary({ clientId: x, profile: makeFakeEnvelope(4), clinical: makeFakeEnvelope(5) });
			const all = (await s.listSummaries()).sort((a, b) => a.clientId.localeCompare(b.clientId));
			expect(all).toEqual(
				[
					{ clientId: x, profile: makeFakeEnvelope(4), clinical: makeFakeEnvelope(5) },
					{ clientId: y, profile: makeFakeEnvelope(2), clinical: makeFakeEnvelope(3) }
				].sort((a, b) => a.clientId.localeCompare(b.clientId))
			);
		});

		it('round-trips meta values', async () => {
			const s = await open();
			const keyring = { entries: [{ id: 'x', wrapped: makeFakeEnvelope(1) }], generation: 2 };
			await s.setMeta('keyring', keyring);
			await s.setMeta('schema', 3);
			expect(await s.getMeta('keyring')).toEqual(keyring);
			expect(await s.getMeta('schema')).toBe(3);
			expect(await s.getMeta('missing')).toBeUndefined();
			await s.setMeta('schema', 4);
			expect(await s.getMeta('schema')).toBe(4);
		});

		it('keeps its own copy, so callers mutating records change nothing stored', async () => {
			const s = await open();
			const doc = makeTestDocId('client');
			const envelope = makeFakeEnvelope(1);
			await s.appendUpdate(doc, envelope);
			envelope.ciphertext[0] ^= 0xff;
			const read = await s.readDoc(doc);
			expect(read.updates[0].update).toEqual(makeFakeEnvelope(1));
			read.updates[0].update.ciphertext[0] ^= 0xff;
			expect((await s.readDoc(doc)).updates[0].update).toEqual(makeFakeEnvelope(1));
			const meta = { n: 1 };
			await s.setMeta('m', meta);
			meta.n = 2;
			expect(await s.getMeta('m')).toEqual({ n: 1 });
		});

		describeBulkContract(open);
		describeDocContract(open, reopen);
	});
}
