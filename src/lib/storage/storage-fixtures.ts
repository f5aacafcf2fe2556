// Test data for the storage suites: fake envelopes, doc ids, keys and Yjs edits. Synthetic only.
import { expect } from 'vitest';
import * as Y from 'yjs';
import { importDataKey, randomKeyBytes, type Envelope } from '../crypto/envelope';
import { isAppError } from '../domain/errors';
import type { DocId } from '../domain/ids';
import type { DocStoreKeys } from './doc-store';

/** Builds a fake opaque envelope; storage never looks inside. */
export function makeFakeEnvelope(tag: number, size = 16): Envelope {
	return {
		keyId: `test/${tag}`,
		iv: new Uint8Array(12).fill(tag % 256),
		ciphertext: new Uint8Array(size).map((_, i) => (tag + i) % 256)
	};
}

/** Makes a valid doc id (`client:<uuid>` or `clinical:<uuid>`), of a fresh client unless given. */
export function makeTestDocId(kind: 'client' | 'clinical', clientId: string = crypto.randomUUID()): DocId {
	return `${kind}:${clientId}` as DocId;
}

/** Makes a salon key and a clinical key. */
export async function makeTestKeys(): Promise<DocStoreKeys> {
	return {
		salon: await importDataKey('salon/1', randomKeyBytes()),
		clinical: await importDataKey('clinical/1', randomKeyBytes())
	};
}

/** Records a Y.Doc's updates as they happen, so a test can append them in order. */
export function recordUpdates(doc: Y.Doc): Uint8Array[] {
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	return updates;
}

/** Makes one update per edit: `count` keys set on map `m` of a fresh doc, one transaction each. */
export function makeKeyEdits(count: number, prefix: string): { doc: Y.Doc; updates: Uint8Array[] } {
	const doc = new Y.Doc();
	const updates = recordUpdates(doc);
	for (let i = 0; i < count; i++) doc.getMap('m').set(`${prefix}${i}`, i);
	return { doc, updates };
}

/** Asserts that `promise` rejects with an AppError of `reason`. */
export async function expectReason(promise: Promise<unknown>, reason: string): Promise<void> {
	const error = await promise.then(
		() => 'resolved',
		(e: unknown) => e
	);
	expect(isAppError(error) ? error.reason : error).toBe(reason);
}

/** Changes in seq order (implementations may list them in any order). */
export function sortBySeq(changes: Array<{ docId: DocId; seq: number }>): Array<{ docId: DocId; seq: number }> {
	return [...changes].sort((x, y) => x.seq - y.seq);
}
