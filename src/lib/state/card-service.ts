// Writing cards: every user-level save is one Yjs transaction whose update is sealed and appended
// to the doc's log, after which the client's summary is re-derived from the doc and re-sealed.
// Validation happens before anything is written, so an invalid form saves nothing.
import * as Y from 'yjs';
import type { ChangeRecord, ClientProfile, ClientSummary } from '../domain/client';
import { AppError } from '../domain/errors';
import { clinicalDocId, newId, profileDocId, type ClientId } from '../domain/ids';
import { normalizeProfile, validateProfile } from '../domain/validation';
import { editProfile, initProfileDoc, profileSummary } from '../doc/profile-doc';
import type { DocStore } from '../storage/doc-store';

/** Who is saving: what a history entry records besides the fields. */
export type Author = Omit<ChangeRecord, 'fields' | 'at'>;

/** Runs `mutate` on `doc` and returns the Yjs update(s) it produced, merged into one. */
export function captureUpdate(doc: Y.Doc, mutate: () => void): Uint8Array | null {
	const updates: Uint8Array[] = [];
	const onUpdate = (u: Uint8Array) => updates.push(u);
	doc.on('update', onUpdate);
	try {
		mutate();
	} finally {
		doc.off('update', onUpdate);
	}
	if (updates.length === 0) return null;
	return updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
}

/** Throws AppError('invalid-input') listing the invalid fields; the UI shows them per field. */
export function assertValidProfile(profile: ClientProfile): void {
	const errors = validateProfile(profile);
	if (Object.keys(errors).length > 0) throw new AppError('invalid-input', JSON.stringify(errors));
}

/** Creates a client: both docs (the clinical one empty until the clinical issue), their keys, the summary. */
export async function createClient(store: DocStore, profile: ClientProfile, author: Author): Promise<ClientSummary> {
	assertValidProfile(profile);
	profile = normalizeProfile(profile);
	const id = newId<ClientId>();
	await store.createDoc(profileDocId(id), 'profile');
	// Reception holds no clinical key: the clinical doc is then created by the first clinical
	// staff member who opens the card's health sections.
	if (store.hasClinicalKey) await store.createDoc(clinicalDocId(id), 'clinical');
	const doc = new Y.Doc();
	const update = captureUpdate(doc, () => initProfileDoc(doc, profile, { ...author, at: new Date().toISOString() }));
	if (update) await store.append(profileDocId(id), update);
	const summary = profileSummary(doc, id);
	await store.putSummary(id, summary);
	doc.destroy();
	return summary;
}

/** Saves a patch to an open card: one transaction, one history entry; returns the changed fields. `previous` is the stored summary. */
export async function saveProfile(
	store: DocStore,
	id: ClientId,
	doc: Y.Doc,
	patch: Partial<ClientProfile>,
	author: Author,
	current: ClientProfile,
	previous?: ClientSummary
): Promise<{ fields: string[]; summary: ClientSummary }> {
	assertValidProfile({ ...current, ...patch });
	const next = normalizeProfile({ ...current, ...patch });
	let fields: string[] = [];
	const update = captureUpdate(doc, () => {
		fields = editProfile(doc, next, { ...author, at: new Date().toISOString() });
	});
	// Visit dates come from the clinical doc, which this save does not open: keep the stored ones.
	const summary = { ...profileSummary(doc, id), lastVisit: previous?.lastVisit ?? null, nextVisit: previous?.nextVisit ?? null };
	if (update) {
		await store.append(profileDocId(id), update);
		await store.putSummary(id, summary);
	}
	return { fields, summary };
}
