import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { makeClientProfile } from '../../../tests/factories/clients';
import type { ConsentId, TemplateId } from '../domain/clinical/ids';
import { SIGNATURE } from '../domain/clinical/test-fixtures';
import type { DeviceId, StaffId } from '../domain/ids';
import { giveConsent, hasActiveConsent, listConsents, withdrawConsent, type ConsentInput } from './consents-doc';
import { initProfileDoc, readHistory, readProfile, type ChangeAuthor } from './profile-doc';

function author(at: string, device = 'tablet-a', staff = 'staff-ewa'): ChangeAuthor {
	return { at, staff: staff as StaffId, staffName: 'Ewa Zając', device: device as DeviceId };
}

const HEALTH: ConsentInput = { kind: 'health-data', templateId: 'ct-health-data' as TemplateId, templateVersion: 1, signature: SIGNATURE };

function newCard(): Y.Doc {
	const doc = new Y.Doc();
	initProfileDoc(doc, makeClientProfile(4), author('2025-01-01T09:00:00.000Z'));
	return doc;
}

function sync(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
}

describe('consents in the profile doc', () => {
	it('records which template version was signed, by whom and when', () => {
		const doc = newCard();
		const id = giveConsent(doc, HEALTH, author('2025-01-01T09:05:00.000Z'));
		expect(listConsents(doc)).toEqual([
			{ id, ...HEALTH, givenAt: '2025-01-01T09:05:00.000Z', staff: 'staff-ewa', signerName: '' }
		]);
		expect(hasActiveConsent(doc, 'health-data')).toBe(true);
		expect(readHistory(doc)[0].fields).toEqual([`consents/${id}`]);
	});

	it('withdraws a consent keeping the record, and giving it again is a new record', () => {
		const doc = newCard();
		const id = giveConsent(doc, HEALTH, author('2025-01-01T09:05:00.000Z'));
		expect(withdrawConsent(doc, id, author('2025-03-01T10:00:00.000Z', 'tablet-a', 'staff-ola'))).toBe(true);
		expect(withdrawConsent(doc, id, author('2025-03-02T10:00:00.000Z'))).toBe(false);
		expect(listConsents(doc)[0]).toMatchObject({ id, givenAt: '2025-01-01T09:05:00.000Z', withdrawnAt: '2025-03-01T10:00:00.000Z', withdrawnBy: 'staff-ola' });
		expect(hasActiveConsent(doc, 'health-data')).toBe(false);
		expect(hasActiveConsent(doc, 'health-data', '2025-02-01T00:00:00.000Z')).toBe(true);
		giveConsent(doc, HEALTH, author('2025-04-01T10:00:00.000Z'));
		expect(listConsents(doc)).toHaveLength(2);
		expect(hasActiveConsent(doc, 'health-data')).toBe(true);
	});

	it('records a parent signing for a minor', () => {
		const doc = newCard();
		giveConsent(doc, { ...HEALTH, kind: 'parent-for-minor', templateId: 'ct-parent-for-minor' as TemplateId, signerName: 'Anna Kowalczyk (matka)' }, author('2025-01-01T09:05:00.000Z'));
		expect(listConsents(doc)[0]).toMatchObject({ kind: 'parent-for-minor', signerName: 'Anna Kowalczyk (matka)' });
	});

	it('refuses an unsigned consent, an unknown kind, or withdrawing one that does not exist', () => {
		const doc = newCard();
		const before = Y.encodeStateAsUpdate(doc);
		const at = author('2025-01-01T09:05:00.000Z');
		expect(() => giveConsent(doc, { ...HEALTH, signature: { strokes: [], sha256: '' } }, at)).toThrow(expect.objectContaining({ reason: 'invalid-input' }));
		expect(() => giveConsent(doc, { ...HEALTH, kind: 'newsletter' as never }, at)).toThrow(expect.objectContaining({ reason: 'invalid-input' }));
		expect(() => withdrawConsent(doc, 'nope' as ConsentId, at)).toThrow(expect.objectContaining({ reason: 'not-found' }));
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});

	it('keeps consents given on two devices offline, and leaves the profile alone', () => {
		const a = newCard();
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		giveConsent(a, HEALTH, author('2025-01-02T10:00:00.000Z', 'tablet-a'));
		giveConsent(b, { ...HEALTH, kind: 'marketing-sms', templateId: 'ct-marketing-sms' as TemplateId }, author('2025-01-02T10:01:00.000Z', 'tablet-b'));
		sync(a, b);
		expect(listConsents(a).map((c) => c.kind)).toEqual(['marketing-sms', 'health-data']);
		expect(listConsents(b)).toEqual(listConsents(a));
		expect(readProfile(a)).toEqual(makeClientProfile(4));
	});

	it('skips a consent record it cannot read', () => {
		const doc = newCard();
		giveConsent(doc, HEALTH, author('2025-01-02T10:00:00.000Z'));
		const junk = new Y.Map<unknown>();
		doc.getMap('consents').set('junk', junk);
		junk.set('kind', 'health-data');
		expect(listConsents(doc)).toHaveLength(1);
	});
});
