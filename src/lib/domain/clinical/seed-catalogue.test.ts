import { describe, expect, it } from 'vitest';
import { ALLERGENS } from './allergens';
import { PRODUCT_FIELDS, RULE_FIELDS, TREATMENT_FIELDS } from './catalogue-schema';
import { CONDITIONS, MEDICATION_FLAGS, PROCEDURE_KINDS } from './interview';
import { CONDITION_LABELS, MEDICATION_FLAG_LABELS, PROCEDURE_LABELS } from './labels';
import { assertFields, TEMPLATE_FIELDS } from './schema';
import { SEED_PRODUCTS, SEED_TREATMENTS } from './seed-catalogue';
import { SEED_CONSENT_TEMPLATES } from './seed-consents';
import { CONSENT_KINDS } from './consent';

describe('seed catalogue', () => {
	it('has unique fixed ids for treatments, products and rules', () => {
		const ids = [...SEED_TREATMENTS.map((t) => t.id), ...SEED_PRODUCTS.map((p) => p.id)];
		expect(new Set(ids).size).toBe(ids.length);
		for (const t of SEED_TREATMENTS) expect(new Set(t.rules.map((r) => r.id)).size).toBe(t.rules.length);
	});

	it('covers the treatments of DOMAIN.md plus simple ones', () => {
		expect(SEED_TREATMENTS.map((t) => t.id)).toEqual(
			expect.arrayContaining(['tr-chemical-peel', 'tr-microneedling', 'tr-mesotherapy', 'tr-laser-hair-removal', 'tr-ipl', 'tr-microdermabrasion', 'tr-ha-filler', 'tr-manicure', 'tr-facial-cleansing'])
		);
	});

	it('passes the schema a salon edit must pass, and names only known products and allergens', () => {
		const productIds = new Set(SEED_PRODUCTS.map((p) => p.id));
		const allergenIds = new Set(ALLERGENS.map((a) => a.id));
		for (const { id: _, rules, ...t } of SEED_TREATMENTS) {
			assertFields(TREATMENT_FIELDS, t, 'treatment');
			for (const r of rules) assertFields(RULE_FIELDS, r as unknown as Record<string, unknown>, 'rule');
			for (const p of t.productIds) expect(productIds).toContain(p);
		}
		for (const { id: _, ...p } of SEED_PRODUCTS) {
			assertFields(PRODUCT_FIELDS, p, 'product');
			for (const a of p.allergens) expect(allergenIds).toContain(a);
		}
	});

	it('marks exactly the treatments with a patch-test rule as needing a patch test', () => {
		for (const t of SEED_TREATMENTS) expect(t.needsPatchTest).toBe(t.rules.some((r) => r.trigger.type === 'patch-test'));
	});

	it('labels every condition, medication flag and procedure kind in Polish and English', () => {
		for (const c of CONDITIONS) expect(CONDITION_LABELS[c].pl && CONDITION_LABELS[c].en).toBeTruthy();
		for (const f of MEDICATION_FLAGS) expect(MEDICATION_FLAG_LABELS[f].pl && MEDICATION_FLAG_LABELS[f].en).toBeTruthy();
		for (const k of PROCEDURE_KINDS) expect(PROCEDURE_LABELS[k].pl && PROCEDURE_LABELS[k].en).toBeTruthy();
	});

	it('has version 1 of a consent text for every kind, each saying it is a template', () => {
		expect(SEED_CONSENT_TEMPLATES.map((t) => t.kind).sort()).toEqual([...CONSENT_KINDS].sort());
		for (const t of SEED_CONSENT_TEMPLATES) {
			assertFields(TEMPLATE_FIELDS, t as unknown as Record<string, unknown>, 'template');
			expect(t.text.pl).toContain('nie stanowi porady prawnej');
		}
	});
});
