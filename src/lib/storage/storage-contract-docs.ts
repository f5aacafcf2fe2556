// The part of the storage contract seen through a DocStore: real sealed Yjs docs, compaction racing
// with writes, reload after reopening, concurrent writers. Called by runStorageContract.
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AppError } from '../domain/errors';
import { DocStore, type DocStoreKeys, type DocStoreOptions } from './doc-store';
import type { Storage } from './storage';
import { makeKeyEdits, makeTestDocId, makeTestKeys, recordUpdates } from './storage-fixtures';

// Delegates to `storage`, but runs `hook` before a snapshot replaces the log: the moment a
// compaction has read and sealed everything and is about to delete what it folded.
function hookReplaceSnapshot(storage: Storage, hook: () => Promise<void>): Storage {
	const replaceSnapshot: Storage['replaceSnapshot'] = async (d, snapshot, sv, upTo) => {
		await hook();
		return storage.replaceSnapshot(d, snapshot, sv, upTo);
	};
	return new Proxy(storage, {
		get(target, prop) {
			if (prop === 'replaceSnapshot') return replaceSnapshot;
			const value: unknown = Reflect.get(target, prop);
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
}

function expectSameDoc(loaded: Y.Doc, original: Y.Doc): void {
	// A loaded doc only knows a root type's kind once asked for it under that kind.
	for (const [name, type] of original.share) loaded.get(name, type.constructor as typeof Y.AbstractType);
	expect(loaded.toJSON()).toEqual(original.toJSON());
	expect(Y.encodeStateVector(loaded)).toEqual(Y.encodeStateVector(original));
}

/** Registers the DocStore-level contract cases inside the current describe. */
export function describeDocContract(
	open: () => Promise<Storage>,
	reopen: (storage: Storage) => Promise<Storage>
): void {
	// Background failures (compaction) would otherwise pass unnoticed; each case asserts there were none.
	const errors: AppError[] = [];
	const makeStore = (s: Storage, keys: DocStoreKeys, options: DocStoreOptions = {}) =>
		new DocStore(s, keys, { onError: (e) => errors.push(e), ...options });
	afterEach(() => {
		expect(errors.splice(0)).toEqual([]);
	});

	it('loses no write appended while a compaction is in flight', async () => {
		const s = await open();
		const keys = await makeTestKeys();
		const docId = makeTestDocId('client');
		const { doc, updates } = makeKeyEdits(10, 'before');
		const store = makeStore(s, keys, { compactAfterUpdates: 1000, compactMinUpdates: 1000 });
		await store.createDoc(docId, 'profile');
		for (const u of updates.splice(0)) await store.append(docId, u);

		let hooked: DocStore | null = null;
		const midway = async () => {
			// Runs once, after the compaction read its updates and before it deletes them.
			if (!hooked) return;
			const writer = hooked;
			hooked = null;
			for (let i = 0; i < 5; i++) doc.getMap('m').set(`during${i}`, i);
			for (const u of updates.splice(0)) await writer.append(docId, u);
		};
		hooked = makeStore(hookReplaceSnapshot(s, midway), keys, { compactAfterUpdates: 1000, compactMinUpdates: 1000 });
		await hooked.compact(docId);
		expect(hooked).toBeNull(); // the writes really happened mid-compaction

		expect((await s.readDoc(docId)).updates).toHaveLength(5);
		const loaded = await makeStore(await reopen(s), keys).load(docId);
		expectSameDoc(loaded, doc);
		expect(loaded.getMap('m').get('during4')).toBe(4);
	});

	it('reloads the same doc after edits, compaction and reopening', async () => {
		const s = await open();
		const keys = await makeTestKeys();
		const docId = makeTestDocId('clinical');
		const store = makeStore(s, keys, { compactAfterUpdates: 7 });
		await store.createDoc(docId, 'clinical');
		const doc = new Y.Doc();
		const updates = recordUpdates(doc);
		const note = doc.getText('note');
		for (let i = 0; i < 20; i++) {
			doc.transact(() => {
				doc.getMap('visit').set(`p${i % 5}`, { round: i });
				note.insert(note.length, `wizyta ${i}; `);
			});
			if (i % 3 === 0) note.delete(0, 3);
		}
		for (const u of updates.splice(0)) await store.append(docId, u);
		await store.waitForCompactions();
		await store.compact(docId);
		expect(await store.stateVector(docId)).toEqual(Y.encodeStateVector(doc));

		const again = await reopen(s);
		const loaded = await makeStore(again, keys).load(docId);
		expectSameDoc(loaded, doc);
		expect(loaded.getText('note').toString()).toBe(note.toString());
	});

	it('completes concurrent writes to two docs without losing an update', async () => {
		const s = await open();
		const keys = await makeTestKeys();
		const store = makeStore(s, keys, { compactAfterUpdates: 10 });
		const [a, b] = [makeTestDocId('client'), makeTestDocId('clinical')];
		await Promise.all([store.createDoc(a, 'profile'), store.createDoc(b, 'clinical')]);
		const editsA = makeKeyEdits(60, 'a');
		const editsB = makeKeyEdits(60, 'b');
		const seqs = await Promise.all([
			...editsA.updates.map((u) => store.append(a, u)),
			...editsB.updates.map((u) => store.append(b, u))
		]);
		await store.waitForCompactions();
		expect(new Set(seqs).size).toBe(120);

		const reloaded = makeStore(await reopen(s), keys);
		expectSameDoc(await reloaded.load(a), editsA.doc);
		expectSameDoc(await reloaded.load(b), editsB.doc);
	});
}
