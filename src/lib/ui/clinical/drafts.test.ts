import { describe, expect, it } from 'vitest';
import type { Product } from '$lib/domain/clinical/catalogue';
import { seedTreatment } from '$lib/domain/clinical/test-fixtures';
import { applySuggestedAllergen, applySuggestedFlags, draftOf, interviewOf, newAllergy, newMedication, newProcedure } from './interview-draft';
import { checkOf, completionOf, newCheckDraft, newCompletionDraft } from './visit-draft';

describe('interview form drafts', () => {
	it('ticks the flags a medication name implies as it is typed, and unticks them when the name changes', () => {
		const row = newMedication();
		row.name = 'Aknenormin';
		applySuggestedFlags(row);
		expect(row.flags).toEqual(['oral-retinoid']);
		row.flags.push('nsaid');
		row.name = 'Witamina D';
		applySuggestedFlags(row);
		expect(row.flags).toEqual(['nsaid']);
	});

	it('picks the allergen the text names, but never overrides a choice', () => {
		const row = { ...newAllergy(), text: 'uczulenie na lateks' };
		applySuggestedAllergen(row);
		expect(row.allergen).toBe('latex');
		const chosen = { ...newAllergy(), allergen: 'nickel', text: 'lateks' };
		applySuggestedAllergen(chosen);
		expect(chosen.allergen).toBe('nickel');
	});

	it('reads empty dates as unknown, drops empty rows, and keeps "ongoing"', () => {
		const draft = draftOf({ conditions: ['diabetes'], allergies: [], medications: [], procedures: [], notes: ' ' });
		draft.allergies.push(newAllergy(), { allergen: '', text: 'pyłki', reaction: '', severity: '' });
		draft.medications.push(newMedication(), { ...newMedication(), name: 'Izotek', lastTakenMode: 'ongoing' }, { ...newMedication(), name: 'X', lastTakenMode: 'date', lastTaken: '' });
		draft.procedures.push(newProcedure('chemical-peel'));
		const content = interviewOf(draft);
		expect(content.allergies).toEqual([{ allergen: null, text: 'pyłki', reaction: '', severity: null }]);
		expect(content.medications.map((m) => [m.name, m.lastTaken, m.since])).toEqual([
			['Izotek', 'ongoing', null],
			['X', null, null]
		]);
		expect(content.procedures).toEqual([{ kind: 'chemical-peel', date: null, where: 'elsewhere', note: '' }]);
		expect(content.notes).toBe('');
	});

	it('round-trips a stored interview through the form', () => {
		const stored = { conditions: [], allergies: [{ allergen: null, text: 'lateks', reaction: 'wysypka', severity: 'mild' as const }], medications: [{ name: 'Izotek', since: '2024-01-01', lastTaken: '2025-03-01', flags: ['oral-retinoid' as const] }], procedures: [], notes: 'n' };
		expect(interviewOf(draftOf(stored))).toEqual(stored);
	});
});

describe('visit form drafts', () => {
	it('leaves unanswered questions null and keeps details only behind a "yes"', () => {
		const draft = newCheckDraft();
		draft.medications.push({ ...newMedication(), name: 'Ibuprom' });
		draft.tanDate = '2025-05-01';
		expect(checkOf(draft)).toMatchObject({ newMedication: null, medications: [], tanOrSun: null, tanDate: null, procedures: [] });
		draft.newMedication = true;
		draft.tanOrSun = true;
		expect(checkOf(draft)).toMatchObject({ newMedication: true, medications: [{ name: 'Ibuprom' }], tanDate: '2025-05-01' });
	});

	it('pre-fills the treatment\'s products and stores only chosen products and named parameters', () => {
		const treatment = seedTreatment('microneedling');
		const draft = newCompletionDraft(treatment);
		expect(draft.products.map((p) => p.productId)).toEqual(treatment.productIds);
		draft.products[0].batch = ' LOT-1 ';
		draft.products.push({ productId: '', batch: 'x', expiry: '' });
		draft.parameters = [{ key: 'głębokość', value: '0,5 mm' }, { key: ' ', value: 'ignored' }];
		draft.satisfaction = '4';
		const catalogue: Product[] = [{ id: treatment.productIds[0], name: 'Koktajl', brand: '', allergens: [], archived: false }];
		const done = completionOf(draft, catalogue);
		expect(done.products).toEqual([{ productId: treatment.productIds[0], name: 'Koktajl', batch: 'LOT-1', expiry: null }]);
		expect(done.parameters).toEqual({ głębokość: '0,5 mm' });
		expect(done.satisfaction).toBe(4);
		expect(done.nextVisit).toBeNull();
	});
});
