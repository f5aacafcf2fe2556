// The catalogue page's state: the salon's treatments (with their rules) and products, and the
// owner's edits to them. Guarantees: every edit is one update to the salon doc, stored before the
// lists are re-read; only the owner may edit (SalonSession refuses anyone else).
import { resolveAllergen, type AllergenId } from '../domain/clinical/allergens';
import type { Product, Rule, RuleWeight, Treatment, TreatmentCategory } from '../domain/clinical/catalogue';
import type { ProductId, TreatmentId } from '../domain/clinical/ids';
import { addProduct, addTreatment, editProduct, editTreatment, upsertRule } from '../doc/catalogue-doc';
import { loadCatalogue } from './card-docs';
import type { SalonSession } from './salon-session';

/** What the owner types for a new treatment. */
export interface NewTreatment {
	name: string;
	category: TreatmentCategory;
	durationMin: number;
	pricePln: number;
}

/** Allergens typed as a comma list: the known ids, and the parts no allergen matched. */
export function parseAllergens(text: string): { ids: AllergenId[]; unknown: string[] } {
	const ids: AllergenId[] = [];
	const unknown: string[] = [];
	for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
		const id = resolveAllergen(part);
		if (id === null) unknown.push(part);
		else if (!ids.includes(id)) ids.push(id);
	}
	return { ids, unknown };
}

/** The salon's catalogue while the catalogue page is open. */
export class CatalogueEditor {
	treatments = $state.raw<Treatment[]>([]);
	products = $state.raw<Product[]>([]);

	constructor(private readonly salon: SalonSession) {}

	/** Reads the catalogue (seeding what the salon doc lacks). */
	async load(): Promise<void> {
		const catalogue = await loadCatalogue(this.salon.store);
		this.treatments = catalogue.treatments;
		this.products = catalogue.products.filter((p) => !p.archived);
	}

	/** Changes a treatment's name (in the current language), duration, price or patch-test need. */
	async editTreatment(id: TreatmentId, patch: { name?: string; durationMin?: number; pricePln?: number; needsPatchTest?: boolean }, locale: 'pl' | 'en'): Promise<void> {
		const current = this.treatments.find((t) => t.id === id);
		if (!current) return;
		const { name, ...rest } = patch;
		const next: Partial<Treatment> = { ...rest };
		if (name !== undefined) next.name = { ...current.name, [locale]: name.trim() };
		await this.salon.editCatalogue((doc) => editTreatment(doc, id, next));
		await this.load();
	}

	/** Switches a rule between blocking and warning. */
	async setRuleWeight(treatmentId: TreatmentId, rule: Rule, weight: RuleWeight): Promise<void> {
		await this.salon.editCatalogue((doc) => upsertRule(doc, treatmentId, { ...rule, weight }));
		await this.load();
	}

	/** Adds a treatment without products or rules (the owner adds them later). */
	async addTreatment(input: NewTreatment): Promise<void> {
		const name = input.name.trim();
		await this.salon.editCatalogue((doc) =>
			addTreatment(doc, {
				name: { pl: name, en: name },
				category: input.category,
				procedureKind: 'other',
				durationMin: input.durationMin,
				pricePln: input.pricePln,
				needsPatchTest: false,
				productIds: [],
				rules: [],
				archived: false
			})
		);
		await this.load();
	}

	/** Changes a product's name, brand or allergens. */
	async editProduct(id: ProductId, patch: { name?: string; brand?: string; allergens?: AllergenId[] }): Promise<void> {
		await this.salon.editCatalogue((doc) => editProduct(doc, id, patch));
		await this.load();
	}

	/** Adds a product. */
	async addProduct(input: { name: string; brand: string; allergens: AllergenId[] }): Promise<void> {
		await this.salon.editCatalogue((doc) => addProduct(doc, { name: input.name.trim(), brand: input.brand.trim(), allergens: input.allergens, archived: false }));
		await this.load();
	}
}
