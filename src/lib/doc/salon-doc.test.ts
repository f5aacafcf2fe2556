import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { StaffId } from '../domain/ids';
import { newSalonProfile, type StaffMember } from '../domain/salon';
import { docMajorVersion } from './doc-version';
import { editSalon, editSettings, initSalonDoc, listStaff, readSalon, readSettings, upsertStaff } from './salon-doc';

const CREATED_AT = '2025-01-02T10:00:00.000Z';

function member(id: string, name: string, role: StaffMember['role'] = 'cosmetologist'): StaffMember {
	return { id: id as StaffId, name, role, keyringEntryId: `kr-${id}`, disabled: false, pin: null };
}

const OWNER = member('s1', 'Małgorzata Kołodziej', 'owner');

function newSalon(): Y.Doc {
	const doc = new Y.Doc();
	initSalonDoc(doc, newSalonProfile('Salon Róża', CREATED_AT), { staff: [OWNER] });
	return doc;
}

function synced(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
}

describe('salon doc', () => {
	it('reads back the salon, its owner and default settings, at schema 1', () => {
		const doc = newSalon();
		expect(readSalon(doc)).toEqual({ name: 'Salon Róża', timeZone: 'Europe/Warsaw', createdAt: CREATED_AT });
		expect(listStaff(doc)).toEqual([OWNER]);
		expect(readSettings(doc)).toEqual({ retentionYears: 5, screenLockMinutes: 5, backupReminderDays: 7, interviewMaxAgeDays: 183 });
		expect(docMajorVersion(doc)).toBe(1);
	});

	it('refuses to initialise a salon twice', () => {
		expect(() => initSalonDoc(newSalon(), newSalonProfile('Inny', CREATED_AT))).toThrow(expect.objectContaining({ reason: 'invalid-input' }));
	});

	it('lists staff by name in Polish collation, disabled ones included', () => {
		const doc = newSalon();
		upsertStaff(doc, member('s2', 'Żaneta Gąsior'));
		upsertStaff(doc, { ...member('s3', 'Łucja Zając', 'reception'), disabled: true });
		upsertStaff(doc, member('s4', 'Lena Mazur', 'reception'));
		expect(listStaff(doc).map((m) => m.name)).toEqual(['Lena Mazur', 'Łucja Zając', 'Małgorzata Kołodziej', 'Żaneta Gąsior']);
	});

	it('says whether an upsert changed anything', () => {
		const doc = newSalon();
		expect(upsertStaff(doc, { ...OWNER })).toBe(false);
		expect(upsertStaff(doc, { ...OWNER, disabled: true })).toBe(true);
		expect(listStaff(doc)[0].disabled).toBe(true);
	});

	it('keeps properties a newer version added to a staff member', () => {
		const doc = newSalon();
		doc.getMap('staff').set('s1', { ...OWNER, pinHint: 'kot' });
		upsertStaff(doc, { ...OWNER, name: 'Małgorzata Wiśniewska' });
		expect(doc.getMap('staff').get('s1')).toMatchObject({ name: 'Małgorzata Wiśniewska', pinHint: 'kot' });
	});

	it('skips a staff entry with a role this version does not know', () => {
		const doc = newSalon();
		doc.getMap('staff').set('s9', { ...member('s9', 'Ktoś Nowy'), role: 'manager' });
		expect(listStaff(doc)).toEqual([OWNER]);
	});

	it('throws on a staff member that breaks the schema', () => {
		const doc = newSalon();
		expect(() => upsertStaff(doc, { ...member('s5', 'Ewa'), role: 'boss' as StaffMember['role'] })).toThrow();
		expect(() => upsertStaff(doc, member('s6', '  '))).toThrow();
	});

	it('keeps both staff added on two devices offline', () => {
		const a = newSalon();
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		upsertStaff(a, member('s2', 'Grażyna Król'));
		upsertStaff(b, member('s3', 'Zdzisław Żak', 'reception'));
		synced(a, b);
		expect(listStaff(a)).toEqual(listStaff(b));
		expect(listStaff(a)).toHaveLength(3);
	});

	it('changes only the settings that differ and refuses nonsense', () => {
		const doc = newSalon();
		expect(editSettings(doc, { retentionYears: 10, screenLockMinutes: 5 })).toEqual(['retentionYears']);
		expect(readSettings(doc).retentionYears).toBe(10);
		expect(() => editSettings(doc, { retentionYears: 0 })).toThrow();
		expect(() => editSettings(doc, { screenLockMinutes: 2.5 })).toThrow();
	});

	it('renames the salon and refuses an unknown time zone', () => {
		const doc = newSalon();
		expect(editSalon(doc, { name: 'Salon Róża i Bez' })).toEqual(['name']);
		expect(editSalon(doc, { name: 'Salon Róża i Bez' })).toEqual([]);
		expect(() => editSalon(doc, { timeZone: 'Europe/Nowhere' })).toThrow();
		expect(readSalon(doc)).toMatchObject({ name: 'Salon Róża i Bez', timeZone: 'Europe/Warsaw' });
	});

	it('leaves a salon from a newer major version untouched and says so', () => {
		const doc = newSalon();
		doc.getMap('meta').set('schema', 2);
		const newer = expect.objectContaining({ reason: 'newer-version' });
		expect(() => readSalon(doc)).toThrow(newer);
		expect(() => upsertStaff(doc, member('s2', 'Ewa'))).toThrow(newer);
	});
});
