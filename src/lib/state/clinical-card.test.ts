// The open card's consents and health record over a real (in-memory) sealed store: what a save
// stores, what the summaries carry, and what a role without the clinical key can and cannot do.
import { describe, expect, it } from 'vitest';
import { makeClientProfile } from '../../../tests/factories/clients';
import { makeTestSalon } from '../../../tests/factories/salon';
import type { TreatmentId } from '../domain/clinical/ids';
import { check, medication } from '../domain/clinical/test-fixtures';
import { addDays } from '../domain/clinical/days';
import { todayIn } from '../domain/dates';
import { SALON_DOC_ID } from '../domain/ids';
import type { SalonSession } from './salon-session';
import { loadCatalogue } from './card-docs';
import { createClient } from './card-service';
import { OpenCard } from './card.svelte';
import { ClientList } from './clients.svelte';

const STROKES: [number, number][][] = [
	[
		[10, 10],
		[40, 30],
		[90, 20]
	]
];
const TODAY = todayIn('Europe/Warsaw');
const MICRONEEDLING = 'tr-microneedling' as TreatmentId;

async function openCard(session: SalonSession, list = new ClientList()) {
	const summary = await createClient(session.store, makeClientProfile(3), session.author);
	list.upsert(summary);
	const card = new OpenCard(summary.id, session.store, list);
	await card.load();
	return { card, list, id: summary.id };
}

async function giveHealthConsent(card: OpenCard, session: SalonSession) {
	await card.giveConsent({ template: card.templateOf('health-data')!, locale: 'pl', strokes: STROKES, signerName: '' }, session.author);
}

const isotretinoin = () => ({
	conditions: [],
	allergies: [{ allergen: null, text: 'uczulenie na lateks', reaction: 'wysypka', severity: 'mild' as const }],
	medications: [medication('Izotretynoina', { lastTaken: addDays(TODAY, -90), flags: ['oral-retinoid'] })],
	procedures: [],
	notes: ''
});

describe('the open card', () => {
	it('seeds the catalogue of an older salon once; a second load stores nothing', async () => {
		const { session, storage } = await makeTestSalon();
		const first = await loadCatalogue(session.store);
		expect(first.treatments.map((t) => t.id)).toContain(MICRONEEDLING);
		expect(first.templates.some((t) => t.kind === 'health-data')).toBe(true);
		const before = (await storage.readDoc(SALON_DOC_ID)).updates.length;
		await loadCatalogue(session.store);
		expect((await storage.readDoc(SALON_DOC_ID)).updates.length).toBe(before);
	});

	it('records a signed consent with the hash of the text shown, and a withdrawal keeps it', async () => {
		const { session } = await makeTestSalon();
		const { card } = await openCard(session);
		await giveHealthConsent(card, session);
		expect(card.consents).toHaveLength(1);
		expect(card.consents[0]).toMatchObject({ kind: 'health-data', templateId: 'ct-health-data', templateVersion: 1, staff: session.staff.id });
		expect(card.consents[0].signature.sha256).toMatch(/^[0-9a-f]{64}$/);
		expect(card.consents[0].signature.strokes).toEqual(STROKES);
		await card.withdrawConsent(card.consents[0].id, session.author);
		expect(card.consents).toHaveLength(1);
		expect(card.consents[0].withdrawnAt).toBeDefined();
	});

	it('refuses health records without an active health-data consent', async () => {
		const { session } = await makeTestSalon();
		const { card } = await openCard(session);
		const clinical = await card.openClinical();
		expect(clinical.healthConsent).toBe('never');
		await expect(clinical.addPatchTest({ productId: 'pr-brow-tint' as never, productName: 'Henna', date: TODAY, result: 'not-read', notes: '' }, session.author)).rejects.toMatchObject({ reason: 'consent-required' });
		await giveHealthConsent(card, session);
		await card.withdrawConsent(card.consents[0].id, session.author);
		expect(clinical.healthConsent).toBe('withdrawn');
		await expect(clinical.addLifestyle({ diet: '', water: '', smoking: '', alcohol: '', sunAndSolarium: '', sleep: '', stress: '', activity: '', homeCare: 'krem' }, session.author)).rejects.toMatchObject({ reason: 'consent-required' });
		expect(clinical.lifestyle).toEqual([]);
	});

	it("uses the salon's interview age limit for the stale-interview warning", async () => {
		const { session } = await makeTestSalon();
		const { card } = await openCard(session);
		await giveHealthConsent(card, session);
		const clinical = await card.openClinical();
		await clinical.addInterview(isotretinoin(), STROKES, 'Oświadczam, że dane są prawdziwe.', session.author);
		const answers = check({ newMedication: false, pregnancy: false, tanOrSun: false, herpesNow: false, procedureElsewhere: false });
		const stale = () => clinical.warningsFor({ treatmentId: MICRONEEDLING, check: answers }).some((w) => w.ruleId === 'interview-stale');
		expect(session.settings.interviewMaxAgeDays).toBe(183);
		card.interviewMaxAgeDays = session.settings.interviewMaxAgeDays;
		expect(stale()).toBe(false);
		// A limit no interview can meet (even today's) shows the setting is what the engine uses.
		card.interviewMaxAgeDays = -1;
		expect(stale()).toBe(true);
	});

	it('warns about isotretinoin before microneedling, starts only with a reason, and the summaries carry the visit', async () => {
		const { session } = await makeTestSalon();
		const { card, list, id } = await openCard(session);
		await giveHealthConsent(card, session);
		const clinical = await card.openClinical();
		await clinical.addInterview(isotretinoin(), STROKES, 'Oświadczam, że dane są prawdziwe.', session.author);
		expect(clinical.interviews[0].signature.sha256).toMatch(/^[0-9a-f]{64}$/);

		const answers = check({ newMedication: false, pregnancy: false, tanOrSun: false, herpesNow: false, procedureElsewhere: false });
		const warnings = clinical.warningsFor({ treatmentId: MICRONEEDLING, check: answers });
		const blocking = warnings.filter((w) => w.weight === 'blocks');
		expect(blocking.map((w) => w.entry)).toContainEqual(expect.objectContaining({ type: 'medication', name: 'Izotretynoina' }));
		const start = { staff: session.staff.id, treatmentId: MICRONEEDLING, treatmentName: 'Mikronakłuwanie', procedureKind: 'microneedling' as const, check: answers, warnings, overrideReason: null };
		await expect(clinical.startVisit(start, session.author)).rejects.toMatchObject({ reason: 'invalid-input' });
		expect(clinical.visits).toEqual([]);
		const visitId = await clinical.startVisit({ ...start, overrideReason: 'Konsultacja z dermatologiem' }, session.author);
		await clinical.completeVisit(visitId, { area: 'twarz', products: [{ productId: null, name: 'Koktajl', batch: 'LOT-1', expiry: null }], parameters: { 'głębokość igieł': '0,5 mm' }, notes: '', reaction: '', satisfaction: 5, recommendations: '', nextVisit: null }, session.author);
		expect(clinical.visits[0].started.overrideReason).toBe('Konsultacja z dermatologiem');
		expect(clinical.visits[0].completed?.products[0].batch).toBe('LOT-1');

		expect(list.get(id)?.lastVisit).toBe(TODAY);
		expect(list.clinicalOf(id)?.medications[0].name).toBe('Izotretynoina');
		const stored = (await session.store.loadSummaries()).find((s) => s.clientId === id)!;
		expect(stored.profile).toMatchObject({ lastVisit: TODAY });
		expect(stored.clinical).toMatchObject({ visitCount: 1, allergies: [expect.objectContaining({ allergens: ['latex'] })] });
	});

	it('reception opens the card and its consents but not the health record, and an edit keeps the last visit', async () => {
		const { session } = await makeTestSalon();
		const { card, id } = await openCard(session);
		await giveHealthConsent(card, session);
		const clinical = await card.openClinical();
		await clinical.startVisit({ staff: session.staff.id, treatmentId: 'tr-manicure' as TreatmentId, treatmentName: 'Manicure', procedureKind: 'manicure', check: check(), warnings: [], overrideReason: null }, session.author);
		card.close();

		const renata = await session.addStaff({ name: 'Renata', role: 'reception', passphrase: 'recepcja lubi zielona herbate', pin: '1357' });
		expect(await session.switchByPin(renata.id, '1357')).toBe('switched');
		const list = new ClientList();
		await list.load(session.store);
		expect(list.clinicalOf(id)).toBeNull();
		const atReception = new OpenCard(id, session.store, list);
		await atReception.load();
		expect(atReception.consents).toHaveLength(1);
		await expect(atReception.openClinical()).rejects.toMatchObject({ reason: 'locked' });
		expect(atReception.docs.clinical).toBeNull();
		await atReception.save({ phone: '+48600111222' }, session.author);
		expect(list.get(id)?.lastVisit).toBe(TODAY);
		const stored = (await session.store.loadSummaries()).find((s) => s.clientId === id)!;
		expect(stored.profile).toMatchObject({ lastVisit: TODAY, phone: '+48600111222' });
	});

	it('a card created at reception gets its clinical doc when clinical staff first open it', async () => {
		const { session } = await makeTestSalon();
		const renata = await session.addStaff({ name: 'Renata', role: 'reception', passphrase: 'recepcja lubi zielona herbate', pin: '1357' });
		await session.switchByPin(renata.id, '1357');
		const summary = await createClient(session.store, makeClientProfile(8), session.author);
		await session.unlockClinical(session.staffList.find((s) => s.role === 'owner')!.id, 'zielony kot pije mleko');
		const list = new ClientList();
		list.upsert(summary);
		const card = new OpenCard(summary.id, session.store, list);
		await card.load();
		const clinical = await card.openClinical();
		expect(clinical.interviews).toEqual([]);
		await giveHealthConsent(card, session);
		await clinical.addSkinAssessment({ skinType: 'dry', phototype: 2, problems: ['couperose'], notes: '' }, session.author);
		expect(clinical.skinAssessments).toHaveLength(1);
	});
});
