// The rules both storage implementations share about erased (tombstoned) docs, kept in one place so
// the in-memory and the Dexie storage cannot drift apart on what an erasure removes.
import { AppError } from '../domain/errors';
import { clinicalDocId, parseDocId, profileDocId, type ClientId, type DocId, type DocKind } from '../domain/ids';

/** Reads a doc id's kind and client; a malformed id is refused as 'invalid-input'. */
export function readDocIdParts(docId: DocId): { kind: DocKind; clientId?: ClientId } {
	try {
		return parseDocId(docId);
	} catch {
		throw new AppError('invalid-input', `malformed doc id`);
	}
}

/** The doc ids whose tombstones decide what a client's summary may hold. */
export function findSummaryDocIds(clientId: string): { profile: DocId; clinical: DocId } {
	return { profile: profileDocId(clientId as ClientId), clinical: clinicalDocId(clientId as ClientId) };
}

// Summaries are sealed under the salon and clinical keys, not the doc keys, so destroying the doc
// key alone would leave them readable: erasure must remove them explicitly.
/** What erasing `docId` does to its client's summary: a profile erasure deletes it, a clinical one clears its clinical part. */
export function decideSummaryErasure(docId: DocId): { clientId: string; action: 'delete' | 'clear-clinical' } | null {
	let parts: { kind: DocKind; clientId?: ClientId };
	try {
		parts = parseDocId(docId);
	} catch {
		return null; // a doc kind without a client (e.g. a later schedule month) has no summary
	}
	const { kind, clientId } = parts;
	if (!clientId) return null;
	return { clientId, action: kind === 'profile' ? 'delete' : 'clear-clinical' };
}
