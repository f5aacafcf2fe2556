// The profile doc `client:<id>` in Yjs: root Y.Map 'profile' (one key per scalar field), root
// Y.Text 'note', root Y.Array 'history' (ChangeRecord plain objects), root Y.Map 'meta'
// ({schema}). Guarantees: an edit is one transaction that writes only the keys whose values
// really changed (the note by its differing middle only) plus one history entry, so edits of
// different fields or different parts of the note on two tablets merge; keys this version does
// not know are never touched; a write that breaks the schema throws; reads tolerate anything.
import * as Y from 'yjs';
import { emptyProfile, type ChangeRecord, type ClientProfile, type ClientSummary, type ProfileField } from '../domain/client';
import type { ClientId } from '../domain/ids';
import { assertBlank, assertReadable, assertWritable, failSchema, getMeta, SCHEMA_MAJOR } from './doc-version';
import { assertChange, assertProfileValue, readChangeRecord, readProfileValue } from './profile-schema';
import { replaceText } from './y-text';

export { docMajorVersion } from './doc-version';

/** The author of a save: everything of a ChangeRecord but the fields, which the edit finds out. */
export type ChangeAuthor = Omit<ChangeRecord, 'fields'>;

// Fixed order, so changed fields and history entries list fields the same way on every device.
const FIELDS: readonly ProfileField[] = [
	'firstName', 'lastName', 'birthDate', 'phone', 'email', 'address', 'contactChannel', 'note', 'archived'
];

function getProfileMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap('profile');
}

function getNote(doc: Y.Doc): Y.Text {
	return doc.getText('note');
}

function getHistory(doc: Y.Doc): Y.Array<unknown> {
	return doc.getArray('history');
}

/** Writes a new card into a blank doc in one transaction, with its first history entry. */
export function initProfileDoc(doc: Y.Doc, profile: ClientProfile, change: ChangeAuthor): void {
	assertBlank(doc);
	assertChange(change);
	for (const field of FIELDS) assertProfileValue(field, profile[field]);
	const empty = emptyProfile();
	// The first entry names what was filled in, which is what "created the card" means to a reader.
	const fields = FIELDS.filter((field) => profile[field] !== empty[field]);
	doc.transact(() => {
		getMeta(doc).set('schema', SCHEMA_MAJOR);
		const map = getProfileMap(doc);
		for (const field of FIELDS) if (field !== 'note') map.set(field, profile[field]);
		if (profile.note !== '') getNote(doc).insert(0, profile.note);
		getHistory(doc).push([toRecord(change, fields)]);
	});
}

/** Reads the card's profile; missing or malformed values read as the empty profile's. */
export function readProfile(doc: Y.Doc): ClientProfile {
	assertReadable(doc);
	const map = getProfileMap(doc);
	const profile = emptyProfile() as unknown as Record<ProfileField, unknown>;
	for (const field of FIELDS) {
		if (field === 'note') profile.note = getNote(doc).toString();
		else profile[field] = readProfileValue(field, map.get(field));
	}
	return profile as unknown as ClientProfile;
}

/** Applies the fields of `patch` that really change, with one history entry; returns those fields. */
export function editProfile(doc: Y.Doc, patch: Partial<ClientProfile>, change: ChangeAuthor): ProfileField[] {
	assertWritable(doc);
	assertChange(change);
	for (const key of Object.keys(patch)) {
		if (!FIELDS.includes(key as ProfileField)) failSchema(`unknown profile field ${key}`);
	}
	const current = readProfile(doc);
	const changed = FIELDS.filter((field) => {
		if (!(field in patch)) return false;
		assertProfileValue(field, patch[field]);
		return patch[field] !== current[field];
	});
	// Nothing to say: no transaction, so no update is stored or sent to peers.
	if (changed.length === 0) return [];
	doc.transact(() => {
		const map = getProfileMap(doc);
		for (const field of changed) {
			if (field === 'note') replaceText(getNote(doc), patch.note!);
			else map.set(field, patch[field]);
		}
		getHistory(doc).push([toRecord(change, changed)]);
	});
	return changed;
}

/** The card's change history, newest first. */
export function readHistory(doc: Y.Doc): ChangeRecord[] {
	assertReadable(doc);
	const records = getHistory(doc)
		.toArray()
		.map(readChangeRecord)
		.filter((r): r is ChangeRecord => r !== null);
	// Concurrent saves land in Yjs order, not time order; the reversed array keeps ties stable.
	return records.reverse().sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/** The profile part of the card's summary; visit dates come from the clinical and schedule docs. */
export function profileSummary(doc: Y.Doc, id: ClientId): ClientSummary {
	const p = readProfile(doc);
	return {
		id,
		firstName: p.firstName,
		lastName: p.lastName,
		phone: p.phone,
		email: p.email,
		birthDate: p.birthDate,
		archived: p.archived,
		lastVisit: null,
		nextVisit: null
	};
}

function toRecord(change: ChangeAuthor, fields: string[]): ChangeRecord {
	// Copy only known keys: a caller's extra properties must not end up synced to every device.
	return { at: change.at, staff: change.staff, staffName: change.staffName, device: change.device, fields };
}
