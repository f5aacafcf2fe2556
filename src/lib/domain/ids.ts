/** Branded ids: a client id cannot be passed where a doc id is expected. */
export type ClientId = string & { readonly __brand: 'ClientId' };
/** `client:<id>` (profile), `clinical:<id>`, `salon`, later `schedule:<yyyy-mm>`. */
export type DocId = string & { readonly __brand: 'DocId' };
export type SalonId = string & { readonly __brand: 'SalonId' };
export type StaffId = string & { readonly __brand: 'StaffId' };
export type DeviceId = string & { readonly __brand: 'DeviceId' };

/** The kinds of Yjs document a salon holds. */
export type DocKind = 'profile' | 'clinical' | 'salon';

/** Creates a random id (UUID v4) of any branded kind. */
export function newId<T extends string>(): T {
	return crypto.randomUUID() as T;
}

/** The profile doc of a client. */
export function profileDocId(id: ClientId): DocId {
	return `client:${id}` as DocId;
}

/** The clinical doc of a client. */
export function clinicalDocId(id: ClientId): DocId {
	return `clinical:${id}` as DocId;
}

/** The one salon doc. */
export const SALON_DOC_ID = 'salon' as DocId;

/** Reads the kind and client of a doc id; throws on a malformed id. */
export function parseDocId(docId: string): { kind: DocKind; clientId?: ClientId } {
	if (docId === SALON_DOC_ID) return { kind: 'salon' };
	const m = /^(client|clinical):([0-9a-f-]{36})$/.exec(docId);
	if (!m) throw new Error(`malformed doc id: ${docId}`);
	return { kind: m[1] === 'client' ? 'profile' : 'clinical', clientId: m[2] as ClientId };
}
