// The catalogue editor over a real (in-memory) sealed store: the owner's edits are stored and read
// back by a fresh load; allergens typed as a comma list resolve to known ids; non-owners cannot edit.
import { describe, expect, it } from 'vitest';
import { makeTestSalon } from '../../../tests/factories/salon';
import type { AllergenId } from '../domain/clinical/allergens';
import type { TreatmentId } from '../domain/clinical/ids';
import { CatalogueEditor, parseAllergens } from './catalogue.svelte';

const MICRONEEDLING = 'tr-microneedling' as TreatmentId;

describe('the catalogue editor', () => {
	it('parses a comma list of allergens, Polish names and synonyms included, and reports the rest', () => {
		expect(parseAllergens('lateks, Latex , nikiel, ')).toEqual({ ids: ['latex', 'nickel'], unknown: [] });
		expect(parseAllergens('lateks, coś dziwnego')).toEqual({ ids: ['latex'], unknown: ['coś dziwnego'] });
		expect(parseAllergens('')).toEqual({ ids: [], unknown: [] });
	});

	it("stores a treatment's price and a rule's weight; a fresh load reads them back", async () => {
		const { session } = await makeTestSalon();
		const editor = new CatalogueEditor(session);
		await editor.load();
		const before = editor.treatments.find((t) => t.id === MICRONEEDLING)!;
		const rule = before.rules.find((r) => r.weight === 'blocks')!;
		await editor.editTreatment(MICRONEEDLING, { pricePln: 420, name: 'Mikronakłuwanie igłowe' }, 'pl');
		await editor.setRuleWeight(MICRONEEDLING, rule, 'warns');
		const fresh = new CatalogueEditor(session);
		await fresh.load();
		const after = fresh.treatments.find((t) => t.id === MICRONEEDLING)!;
		expect(after.pricePln).toBe(420);
		expect(after.name).toEqual({ pl: 'Mikronakłuwanie igłowe', en: before.name.en });
		expect(after.rules.find((r) => r.id === rule.id)?.weight).toBe('warns');
		expect(after.rules).toHaveLength(before.rules.length);
	});

	it('adds a treatment and a product', async () => {
		const { session } = await makeTestSalon();
		const editor = new CatalogueEditor(session);
		await editor.load();
		await editor.addTreatment({ name: 'Masaż twarzy', category: 'face', durationMin: 30, pricePln: 120 });
		await editor.addProduct({ name: 'Serum', brand: 'Marka', allergens: ['latex' as AllergenId] });
		expect(editor.treatments.find((t) => t.name.pl === 'Masaż twarzy')).toMatchObject({ durationMin: 30, pricePln: 120, rules: [], needsPatchTest: false });
		expect(editor.products.find((p) => p.name === 'Serum')).toMatchObject({ brand: 'Marka', allergens: ['latex'] });
	});

	it('refuses edits from anyone but the owner', async () => {
		const { session } = await makeTestSalon();
		const editor = new CatalogueEditor(session);
		await editor.load();
		session.staff = { ...session.staff, role: 'cosmetologist' };
		await expect(editor.editTreatment(MICRONEEDLING, { pricePln: 1 }, 'pl')).rejects.toThrow();
	});
});
