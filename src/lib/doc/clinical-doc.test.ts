import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { makeClientProfile } from '../../../tests/factories/clients';
import type { ConsentKind } from '../domain/clinical/consent';
import type { TemplateId, TreatmentId, VisitId } from '../domain/clinical/ids';
import { evaluateRules } from '../domain/clinical/rules';
import { summariseClinical } from '../domain/clinical/summary';
import { check, medication, seedProductsOf, seedTreatment, SIGNATURE } from '../domain/clinical/test-fixtures';
import { isRecordedAfterWithdrawal } from '../domain/clinical/visit';
import type { DeviceId, StaffId } from '../domain/ids';
import {
	addInterview,
	addLifestyle,
	addPatchTest,
	addSkinAssessment,
	clinicalSummary,
	completeVisit,
	initClinicalDoc,
	listInterviews,
	listLifestyle,
	listPatchTests,
	listSkinAssessments,
	listVisits,
	readClinicalHistory,
	readVisit,
	setPatchTestResult,
	startVisit,
	type InterviewInput,
	type VisitCompletionInput,
	type VisitStartInput
} from './clinical-doc';
import { giveConsent, listConsents, withdrawConsent } from './consents-doc';
import { docMajorVersion } from './doc-version';
import { initProfileDoc, type ChangeAuthor } from './profile-doc';

function author(at: string, device = 'tablet-a'): ChangeAuthor {
	return { at, staff: 'staff-ewa' as StaffId, staffName: 'Ewa Zając', device: device as DeviceId };
}

const INTERVIEW: InterviewInput = {
	conditions: ['diabetes'],
	allergies: [{ allergen: null, text: 'lateks', reaction: 'wysypka', severity: 'mild' }],
	medications: [medication('Izotretynoina', { lastTaken: '2025-03-15', flags: ['oral-retinoid'] })],
	procedures: [],
	notes: 'Skóra wrażliwa',
	statementConfirmed: true,
	signature: SIGNATURE
};

function start(key: string, overrides: Partial<VisitStartInput> = {}): VisitStartInput {
	const t = seedTreatment(key);
	return {
		staff: 'staff-ola' as StaffId,
		treatmentId: t.id as TreatmentId,
		treatmentName: t.name.pl,
		procedureKind: t.procedureKind,
		check: check({ pregnancy: false, tanOrSun: false }),
		warnings: [],
		overrideReason: null,
		...overrides
	};
}

const COMPLETION: VisitCompletionInput = {
	area: 'twarz',
	products: [{ productId: null, name: 'Kwas migdałowy 40%', batch: 'L2301', expiry: '2026-01-31' }],
	parameters: { 'stężenie kwasu': '40%', 'czas ekspozycji': '5 min' },
	notes: '',
	reaction: 'lekki rumień',
	satisfaction: 5,
	recommendations: 'SPF 50',
	nextVisit: '2025-07-01'
};

function sync(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
}

function copyOf(doc: Y.Doc): Y.Doc {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
}

describe('clinical doc', () => {
	it('reads back a signed interview, newest first, and marks the doc with schema 1 on first write', () => {
		const doc = new Y.Doc();
		addInterview(doc, { ...INTERVIEW, notes: 'pierwszy' }, author('2025-01-01T10:00:00.000Z'));
		const id = addInterview(doc, INTERVIEW, author('2025-06-01T10:00:00.000Z'));
		expect(docMajorVersion(doc)).toBe(1);
		expect(listInterviews(copyOf(doc))[0]).toEqual({ id, at: '2025-06-01T10:00:00.000Z', staff: 'staff-ewa', ...INTERVIEW });
		expect(listInterviews(doc).map((i) => i.notes)).toEqual(['Skóra wrażliwa', 'pierwszy']);
	});

	it('refuses an interview without the confirmed statement or a signature, and writes nothing', () => {
		const doc = new Y.Doc();
		initClinicalDoc(doc);
		const before = Y.encodeStateAsUpdate(doc);
		const bad = [{ ...INTERVIEW, statementConfirmed: false }, { ...INTERVIEW, signature: { strokes: [], sha256: SIGNATURE.sha256 } }];
		for (const input of bad) expect(() => addInterview(doc, input, author('2025-06-01T10:00:00.000Z'))).toThrow(expect.objectContaining({ reason: 'invalid-input' }));
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});

	it('records patch tests, skin assessments and lifestyle, and a patch test read later', () => {
		const doc = new Y.Doc();
		const id = addPatchTest(doc, { productId: 'pr-brow-tint' as never, productName: 'Henna', date: '2025-06-10', result: 'not-read', notes: '' }, author('2025-06-10T10:00:00.000Z'));
		expect(setPatchTestResult(doc, id, 'passed', author('2025-06-12T10:00:00.000Z'))).toBe(true);
		expect(setPatchTestResult(doc, id, 'passed', author('2025-06-12T10:00:00.000Z'))).toBe(false);
		expect(listPatchTests(doc)).toEqual([expect.objectContaining({ id, result: 'passed', staff: 'staff-ewa' })]);
		addSkinAssessment(doc, { skinType: 'combination', phototype: 3, problems: ['couperose'], notes: '' }, author('2025-06-10T10:00:00.000Z'));
		expect(listSkinAssessments(doc)[0]).toMatchObject({ skinType: 'combination', phototype: 3 });
		const lifestyle = { diet: 'wege', water: '2 l', smoking: 'nie', alcohol: 'okazjonalnie', sunAndSolarium: 'latem', sleep: '7 h', stress: 'średni', activity: 'joga', homeCare: 'SPF codziennie' };
		addLifestyle(doc, lifestyle, author('2025-06-10T10:00:00.000Z'));
		expect(listLifestyle(doc)[0]).toMatchObject(lifestyle);
		expect(readClinicalHistory(doc)).toHaveLength(4);
	});

	it('keeps both visits when two devices add different visits to one card at once', () => {
		const a = new Y.Doc();
		initClinicalDoc(a);
		const b = copyOf(a);
		const va = startVisit(a, start('manicure'), author('2025-06-10T10:00:00.000Z', 'tablet-a'));
		const vb = startVisit(b, start('facial-cleansing'), author('2025-06-10T10:05:00.000Z', 'tablet-b'));
		sync(a, b);
		expect(listVisits(a).map((v) => v.id)).toEqual([vb, va]);
		expect(listVisits(b)).toEqual(listVisits(a));
		expect(readClinicalHistory(a)).toHaveLength(2);
	});

	it('starts a blocked treatment only with an override reason, and keeps the reason with the visit', () => {
		const doc = new Y.Doc();
		const t = seedTreatment('microneedling');
		const blocking = evaluateRules({
			treatment: t, products: seedProductsOf(t), interview: null, patchTests: [], visits: [], birthDate: '1990-01-01', consents: [], today: '2025-06-10',
			check: check({ newMedication: true, medications: [medication('Izotretynoina', { lastTaken: 'ongoing', flags: ['oral-retinoid'] })] })
		});
		expect(blocking[0]).toMatchObject({ weight: 'blocks', entry: { name: 'Izotretynoina' } });
		expect(() => startVisit(doc, start('microneedling', { warnings: blocking }), author('2025-06-10T10:00:00.000Z'))).toThrow(expect.objectContaining({ reason: 'invalid-input' }));
		expect(() => startVisit(doc, start('microneedling', { warnings: blocking, overrideReason: '  ' }), author('2025-06-10T10:00:00.000Z'))).toThrow();
		const id = startVisit(doc, start('microneedling', { warnings: blocking, overrideReason: 'Zgoda lekarza dermatologa' }), author('2025-06-10T10:00:00.000Z'));
		expect(readVisit(doc, id)?.started).toMatchObject({ overrideReason: 'Zgoda lekarza dermatologa', warnings: blocking, staff: 'staff-ola' });
		const warnsOnly = blocking.filter((w) => w.weight === 'warns');
		expect(startVisit(doc, start('microneedling', { warnings: warnsOnly }), author('2025-06-10T11:00:00.000Z'))).toBeTruthy();
	});

	it('completes a visit, then writes only the fields an edit changes', () => {
		const doc = new Y.Doc();
		const id = startVisit(doc, start('chemical-peel'), author('2025-06-10T10:00:00.000Z'));
		expect(readVisit(doc, id)?.completed).toBeNull();
		completeVisit(doc, id, COMPLETION, author('2025-06-10T11:00:00.000Z'));
		expect(readVisit(doc, id)?.completed).toEqual({ ...COMPLETION, completedAt: '2025-06-10T11:00:00.000Z', completedBy: 'staff-ewa' });
		expect(completeVisit(doc, id, { ...COMPLETION, reaction: 'brak' }, author('2025-06-11T09:00:00.000Z'))).toEqual(['reaction']);
		expect(readVisit(doc, id)?.completed?.completedAt).toBe('2025-06-10T11:00:00.000Z');
		expect(() => completeVisit(doc, 'nope' as VisitId, COMPLETION, author('2025-06-11T09:00:00.000Z'))).toThrow(expect.objectContaining({ reason: 'not-found' }));
		expect(() => completeVisit(doc, id, { ...COMPLETION, satisfaction: 9 }, author('2025-06-11T09:00:00.000Z'))).toThrow(expect.objectContaining({ reason: 'invalid-input' }));
	});

	it('keeps both edits when two devices change different fields of a completed visit', () => {
		const a = new Y.Doc();
		const id = startVisit(a, start('chemical-peel'), author('2025-06-10T10:00:00.000Z'));
		completeVisit(a, id, COMPLETION, author('2025-06-10T11:00:00.000Z'));
		const b = copyOf(a);
		completeVisit(a, id, { ...COMPLETION, notes: 'klientka zadowolona' }, author('2025-06-10T12:00:00.000Z'));
		completeVisit(b, id, { ...COMPLETION, nextVisit: '2025-07-08' }, author('2025-06-10T12:01:00.000Z', 'tablet-b'));
		sync(a, b);
		expect(readVisit(a, id)?.completed).toMatchObject({ notes: 'klientka zadowolona', nextVisit: '2025-07-08' });
		expect(readVisit(b, id)).toEqual(readVisit(a, id));
	});

	it('marks a visit recorded on one device after the health-data consent was withdrawn on another, on both', () => {
		// Both devices hold the card (profile and clinical docs), then go offline.
		const profileA = new Y.Doc();
		initProfileDoc(profileA, makeClientProfile(3), author('2025-01-01T09:00:00.000Z'));
		const consentId = giveConsent(profileA, { kind: 'health-data' as ConsentKind, templateId: 'ct-health-data' as TemplateId, templateVersion: 1, signature: SIGNATURE }, author('2025-01-01T09:05:00.000Z'));
		const clinicalA = new Y.Doc();
		addInterview(clinicalA, INTERVIEW, author('2025-01-01T09:10:00.000Z'));
		const [profileB, clinicalB] = [copyOf(profileA), copyOf(clinicalA)];
		withdrawConsent(profileA, consentId, author('2025-06-10T09:00:00.000Z', 'tablet-a'));
		const visitId = startVisit(clinicalB, start('manicure'), author('2025-06-10T09:30:00.000Z', 'tablet-b'));
		sync(profileA, profileB);
		sync(clinicalA, clinicalB);
		for (const [profile, clinical] of [[profileA, clinicalA], [profileB, clinicalB]]) {
			const visit = readVisit(clinical, visitId);
			expect(visit).not.toBeNull();
			expect(isRecordedAfterWithdrawal(visit!, listConsents(profile))).toBe(true);
			expect(clinicalSummary(clinical, listConsents(profile)).recordedAfterWithdrawal).toBe(1);
		}
		// The interview signed while the consent held stays unmarked.
		expect(listInterviews(clinicalA).map((i) => i.at)).toEqual(['2025-01-01T09:10:00.000Z']);
	});

	it('summarises the doc exactly as the domain summarises its records', () => {
		const doc = new Y.Doc();
		addInterview(doc, INTERVIEW, author('2025-05-01T10:00:00.000Z'));
		startVisit(doc, start('chemical-peel'), author('2025-06-08T10:00:00.000Z'));
		const summary = clinicalSummary(doc, []);
		expect(summary).toEqual(summariseClinical({ interviews: listInterviews(doc), visits: listVisits(doc), patchTests: listPatchTests(doc) }));
		expect(summary).toMatchObject({ interviewDate: '2025-05-01', lastVisit: '2025-06-08', conditions: ['diabetes'] });
	});

	it('keeps fields a newer version added to a visit through an edit', () => {
		const doc = new Y.Doc();
		const id = startVisit(doc, start('manicure'), author('2025-06-10T10:00:00.000Z'));
		(doc.getMap('visits').get(id) as Y.Map<unknown>).set('photoIds', ['p1']);
		completeVisit(doc, id, COMPLETION, author('2025-06-10T11:00:00.000Z'));
		expect((copyOf(doc).getMap('visits').get(id) as Y.Map<unknown>).get('photoIds')).toEqual(['p1']);
	});

	it('skips a visit whose start cannot be read instead of failing', () => {
		const doc = new Y.Doc();
		startVisit(doc, start('manicure'), author('2025-06-10T10:00:00.000Z'));
		const broken = new Y.Map<unknown>();
		doc.getMap('visits').set('broken', broken);
		broken.set('started', { at: 'wczoraj' });
		doc.getMap('visits').set('junk', 7);
		expect(listVisits(doc)).toHaveLength(1);
	});

	it('leaves a clinical doc from a newer major version untouched and says so', () => {
		const doc = new Y.Doc();
		doc.getMap('meta').set('schema', 2);
		const before = Y.encodeStateAsUpdate(doc);
		const newer = expect.objectContaining({ reason: 'newer-version' });
		expect(() => listVisits(doc)).toThrow(newer);
		expect(() => startVisit(doc, start('manicure'), author('2025-06-10T10:00:00.000Z'))).toThrow(newer);
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});
});
