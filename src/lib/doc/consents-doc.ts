// Consents in the profile doc `client:<id>`: root Y.Map 'consents' (consent id -> Y.Map, one key
// per field), with a history entry in the profile's 'history' per save. Guarantees: giving a
// consent adds a record under a fresh id, so consents given on two devices are both kept; a
// withdrawal only adds `withdrawnAt`/`withdrawnBy` to the record, so what was agreed when is never
// lost (giving it again is a new record); a consent without a valid signature cannot be written;
// records this version cannot read are skipped, never rewritten.
import * as Y from 'yjs';
import { hasActiveConsent as hasActive, type ConsentKind, type ConsentRecord, type Signature } from '../domain/clinical/consent';
import type { ConsentId, TemplateId } from '../domain/clinical/ids';
import { assertFields, CONSENT_FIELDS, readFields } from '../domain/clinical/schema';
import type { ChangeRecord } from '../domain/client';
import { AppError } from '../domain/errors';
import { newId } from '../domain/ids';
import { assertReadable, assertWritable } from './doc-version';
import type { ChangeAuthor } from './profile-doc';
import { assertChange } from './profile-schema';

/** What the client signed; the author supplies when and which staff member took it. */
export interface ConsentInput {
	kind: ConsentKind;
	templateId: TemplateId;
	templateVersion: number;
	signature: Signature;
	/** A parent's or guardian's name when they sign; '' for the client. */
	signerName?: string;
}

function getConsents(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap('consents');
}

/** Records a signed consent; returns its id. */
export function giveConsent(doc: Y.Doc, input: ConsentInput, author: ChangeAuthor): ConsentId {
	assertWritable(doc);
	assertChange(author);
	const record = {
		kind: input.kind,
		templateId: input.templateId,
		templateVersion: input.templateVersion,
		givenAt: author.at,
		staff: author.staff,
		signature: input.signature,
		signerName: input.signerName ?? ''
	};
	assertFields(CONSENT_FIELDS, record, 'consent');
	const id = newId<ConsentId>();
	const stored = readFields(CONSENT_FIELDS, record)!;
	doc.transact(() => {
		const map = new Y.Map<unknown>();
		getConsents(doc).set(id, map);
		for (const [key, value] of Object.entries(stored)) map.set(key, value);
		pushHistory(doc, author, [`consents/${id}`]);
	});
	return id;
}

/** Withdraws a consent, keeping the record; returns false when it was already withdrawn. */
export function withdrawConsent(doc: Y.Doc, id: ConsentId, author: ChangeAuthor): boolean {
	assertWritable(doc);
	assertChange(author);
	const map = getConsents(doc).get(id);
	if (!(map instanceof Y.Map)) throw new AppError('not-found', `consent ${id}`);
	// Two devices withdrawing at once both write; either instant is a true withdrawal time.
	if (typeof map.get('withdrawnAt') === 'string') return false;
	doc.transact(() => {
		map.set('withdrawnAt', author.at);
		map.set('withdrawnBy', author.staff);
		pushHistory(doc, author, [`consents/${id}/withdrawnAt`]);
	});
	return true;
}

/** Every consent, withdrawn ones included, newest first. */
export function listConsents(doc: Y.Doc): ConsentRecord[] {
	assertReadable(doc);
	const consents: ConsentRecord[] = [];
	getConsents(doc).forEach((value, id) => {
		if (!(value instanceof Y.Map)) return;
		const record = readFields(CONSENT_FIELDS, (key) => value.get(key));
		if (record) consents.push({ id, ...record } as unknown as ConsentRecord);
	});
	return consents.sort((a, b) => (a.givenAt !== b.givenAt ? (a.givenAt < b.givenAt ? 1 : -1) : a.id < b.id ? 1 : -1));
}

/** Whether a consent of `kind` held at `at` (UTC ISO; default: now, i.e. given and not withdrawn). */
export function hasActiveConsent(doc: Y.Doc, kind: ConsentKind, at?: string): boolean {
	return hasActive(listConsents(doc), kind, at);
}

function pushHistory(doc: Y.Doc, author: ChangeAuthor, fields: string[]): void {
	// Same shape and array as profile-doc's history, so the card's history shows consents too.
	const record: ChangeRecord = { at: author.at, staff: author.staff, staffName: author.staffName, device: author.device, fields };
	doc.getArray('history').push([record]);
}
