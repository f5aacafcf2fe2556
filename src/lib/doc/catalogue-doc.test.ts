import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Rule } from '../domain/clinical/catalogue';
import type { RuleId, TemplateId, TreatmentId } from '../domain/clinical/ids';
import { SEED_PRODUCTS, SEED_TREATMENTS } from '../domain/clinical/seed-catalogue';
import { SEED_CONSENT_TEMPLATES } from '../domain/clinical/seed-consents';
import { newSalonProfile } from '../domain/salon';
import {
	addProduct,
	addTemplateVersion,
	addTreatment,
	catalogueSeeds,
	editProduct,
	editTreatment,
	latestTemplate,
	listConsentTemplates,
	listProducts,
	listTreatments,
	readTreatment,
	removeRule,
	seedCatalogue,
	seedClientId,
	upsertRule
} from './catalogue-doc';
import { initSalonDoc } from './salon-doc';

const PEEL = 'tr-chemical-peel' as TreatmentId;

function newSalon(): Y.Doc {
	const doc = new Y.Doc();
	initSalonDoc(doc, newSalonProfile('Salon Róża', '2025-01-02T10:00:00.000Z'));
	return doc;
}

function copyOf(doc: Y.Doc): Y.Doc {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
}

function sync(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
}

const RULE: Rule = { id: 'chemical-peel.vitiligo' as RuleId, label: { pl: 'Bielactwo', en: 'Vitiligo' }, trigger: { type: 'condition', condition: 'vitiligo' }, weight: 'warns' };

describe('catalogue in the salon doc', () => {
	it('seeds the default treatments, products and consent templates, read back as seeded', () => {
		const doc = newSalon();
		expect(seedCatalogue(doc)).toBe(SEED_TREATMENTS.length + SEED_PRODUCTS.length + SEED_CONSENT_TEMPLATES.length);
		expect(readTreatment(doc, PEEL)).toEqual(SEED_TREATMENTS.find((t) => t.id === PEEL));
		expect(listTreatments(copyOf(doc))).toHaveLength(SEED_TREATMENTS.length);
		expect(listProducts(doc).map((p) => p.id).sort()).toEqual(SEED_PRODUCTS.map((p) => p.id).sort());
		expect(listConsentTemplates(doc)).toHaveLength(SEED_CONSENT_TEMPLATES.length);
	});

	it('seeds once: a second seed adds nothing and sends no update', () => {
		const doc = newSalon();
		seedCatalogue(doc);
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		expect(seedCatalogue(doc)).toBe(0);
		expect(updates).toEqual([]);
	});

	it('ends with one catalogue when two devices seed offline, keeping an edit made before they met', () => {
		const a = newSalon();
		const b = copyOf(a);
		seedCatalogue(a);
		editTreatment(a, PEEL, { pricePln: 290 });
		seedCatalogue(b);
		editTreatment(b, PEEL, { durationMin: 50 });
		upsertRule(b, PEEL, RULE);
		const bBefore = Y.encodeStateAsUpdate(b);
		sync(a, b);
		for (const doc of [a, b]) {
			expect(doc.getMap('treatments').size).toBe(SEED_TREATMENTS.length);
			expect(doc.getMap('products').size).toBe(SEED_PRODUCTS.length);
			expect(readTreatment(doc, PEEL)).toMatchObject({ pricePln: 290, durationMin: 50 });
			expect(readTreatment(doc, PEEL)?.rules.at(-1)).toEqual(RULE);
		}
		expect(listTreatments(a)).toEqual(listTreatments(b));
		// The other order of arrival gives the same catalogue.
		const c = copyOf(a);
		const d = new Y.Doc();
		Y.applyUpdate(d, bBefore);
		Y.applyUpdate(d, Y.encodeStateAsUpdate(a));
		expect(listTreatments(d)).toEqual(listTreatments(c));
	});

	it('gives every seed entry its own client id, derived from what it writes', () => {
		const seeds = catalogueSeeds();
		expect(new Set(seeds.map((s) => s.clientId)).size).toBe(seeds.length);
		for (const s of seeds) expect(Y.decodeUpdate(s.update).structs.every((item) => item.id.client === s.clientId)).toBe(true);
		expect(seedClientId(new Uint8Array([1, 2]))).not.toBe(seedClientId(new Uint8Array([1, 3])));
	});

	it('keeps both edits when two devices change different fields of one treatment', () => {
		const a = newSalon();
		seedCatalogue(a);
		const b = copyOf(a);
		expect(editTreatment(a, PEEL, { pricePln: 260, durationMin: 45 })).toEqual(['pricePln']);
		editTreatment(b, PEEL, { name: { pl: 'Peeling kwasem migdałowym', en: 'Mandelic peel' } });
		sync(a, b);
		expect(readTreatment(a, PEEL)).toMatchObject({ pricePln: 260, name: { pl: 'Peeling kwasem migdałowym' } });
		expect(readTreatment(b, PEEL)).toEqual(readTreatment(a, PEEL));
	});

	it('adds, replaces and removes rules, keeping rules added on two devices', () => {
		const a = newSalon();
		seedCatalogue(a);
		const b = copyOf(a);
		upsertRule(a, PEEL, RULE);
		upsertRule(b, PEEL, { ...RULE, id: 'chemical-peel.tan-14' as RuleId, trigger: { type: 'recent-tan', withinDays: 14 } });
		sync(a, b);
		expect(readTreatment(a, PEEL)?.rules.map((r) => r.id)).toEqual(expect.arrayContaining(['chemical-peel.vitiligo', 'chemical-peel.tan-14']));
		expect(upsertRule(a, PEEL, RULE)).toBe(false);
		expect(upsertRule(a, PEEL, { ...RULE, weight: 'blocks' })).toBe(true);
		expect(removeRule(a, PEEL, RULE.id)).toBe(true);
		expect(readTreatment(a, PEEL)?.rules.map((r) => r.id)).not.toContain(RULE.id);
	});

	it('refuses a rule with an unknown trigger or a negative window, and a price in fractions of a grosz', () => {
		const doc = newSalon();
		seedCatalogue(doc);
		expect(() => upsertRule(doc, PEEL, { ...RULE, trigger: { type: 'moon-phase' } as never })).toThrow(expect.objectContaining({ reason: 'invalid-input' }));
		expect(() => upsertRule(doc, PEEL, { ...RULE, trigger: { type: 'recent-tan', withinDays: -1 } })).toThrow();
		expect(() => editTreatment(doc, PEEL, { pricePln: 99.999 })).toThrow();
		expect(editTreatment(doc, PEEL, { pricePln: 99.99 })).toEqual(['pricePln']);
	});

	it('skips a rule from a newer version it cannot evaluate, keeping the rest', () => {
		const doc = newSalon();
		seedCatalogue(doc);
		const rules = (doc.getMap('treatments').get(PEEL) as Y.Map<unknown>).get('rules') as Y.Map<unknown>;
		rules.set('future', { ...RULE, id: 'future', trigger: { type: 'moon-phase' } });
		expect(readTreatment(doc, PEEL)?.rules.map((r) => r.id)).not.toContain('future');
		expect(readTreatment(doc, PEEL)?.rules).toHaveLength(SEED_TREATMENTS.find((t) => t.id === PEEL)!.rules.length);
	});

	it('adds treatments and products of the salon own, and hides archived ones unless asked', () => {
		const doc = newSalon();
		const productId = addProduct(doc, { name: 'Serum z witaminą C', brand: 'Marka', allergens: [], archived: false });
		const id = addTreatment(doc, { name: { pl: 'Masaż Kobido', en: 'Kobido massage' }, category: 'face', procedureKind: 'facial', durationMin: 60, pricePln: 220, needsPatchTest: false, productIds: [productId], rules: [], archived: false });
		expect(readTreatment(doc, id)).toMatchObject({ id, productIds: [productId] });
		editProduct(doc, productId, { archived: true });
		expect(listProducts(doc)).toEqual([]);
		expect(listProducts(doc, { includeArchived: true })).toHaveLength(1);
	});

	it('adds a consent template as a new version and never changes an earlier one', () => {
		const doc = newSalon();
		seedCatalogue(doc);
		const id = 'ct-health-data' as TemplateId;
		const v1 = latestTemplate(doc, id)!;
		const v2 = addTemplateVersion(doc, { ...v1, text: { pl: 'Nowa treść zgody.', en: 'New text.' }, createdAt: '2025-06-01T10:00:00.000Z' });
		expect(v2).toMatchObject({ templateId: id, version: 2 });
		expect(latestTemplate(doc, id)?.text.pl).toBe('Nowa treść zgody.');
		expect(listConsentTemplates(doc).filter((t) => t.templateId === id)).toEqual([v1, v2]);
		const own = addTemplateVersion(doc, { kind: 'treatment', title: { pl: 'Zgoda na Kobido', en: 'Kobido consent' }, text: { pl: 'Treść', en: '' }, createdAt: '2025-06-01T10:00:00.000Z' });
		expect(own.version).toBe(1);
	});
});
