// The treatment and product catalogue with its contraindication rules (salon doc). Guarantees: a
// rule names exactly one kind of card entry that triggers it and whether it blocks or warns; the
// catalogue is salon data (labels in both languages included), seeded with fixed ids.
import type { AllergenId } from './allergens';
import type { LocalizedText, ProductId, RuleId, TreatmentId } from './ids';
import type { ConditionId, MedicationFlag, ProcedureKind } from './interview';

/** What a rule does when it fires: stop the treatment (unless overridden with a reason) or warn. */
export type RuleWeight = 'blocks' | 'warns';

/** The card entry that makes a rule fire. */
export type RuleTrigger =
	| { type: 'condition'; condition: ConditionId }
	/** Fires while the medication is ongoing or was last taken at most `lookBackDays` ago. */
	| { type: 'medication-flag'; flag: MedicationFlag; lookBackDays: number }
	/** The client is allergic to `allergen` (product allergens are checked for every treatment anyway). */
	| { type: 'allergen'; allergen: AllergenId }
	/** A procedure of this kind at most `withinDays` ago, here (visits) or elsewhere (interview, check). */
	| { type: 'recent-procedure'; procedureKind: ProcedureKind; withinDays: number }
	| { type: 'recent-tan'; withinDays: number }
	/** Younger than `min` fires; younger than `requiresParentConsentBelow` fires without a parent's consent. */
	| { type: 'age'; min: number; requiresParentConsentBelow?: number }
	/** A patch test of the treatment's products is missing, failed or not read yet. */
	| { type: 'patch-test' };

/** A contraindication rule of a treatment. */
export interface Rule {
	id: RuleId;
	label: LocalizedText;
	trigger: RuleTrigger;
	weight: RuleWeight;
}

/** Categories the catalogue groups treatments by. */
export type TreatmentCategory = 'face' | 'body' | 'hair-removal' | 'injection' | 'hands-feet' | 'brows-lashes';

/** A treatment the salon offers. */
export interface Treatment {
	id: TreatmentId;
	name: LocalizedText;
	category: TreatmentCategory;
	/** What earlier visits of this treatment count as for recent-procedure rules. */
	procedureKind: ProcedureKind;
	durationMin: number;
	/** Price in PLN (up to 2 decimal places). */
	pricePln: number;
	needsPatchTest: boolean;
	/** Products the treatment uses: their allergens are checked against the client's allergies. */
	productIds: ProductId[];
	rules: Rule[];
	/** Hidden from new visits; kept so history still names it. */
	archived: boolean;
}

/** A product the salon uses. */
export interface Product {
	id: ProductId;
	name: string;
	brand: string;
	allergens: AllergenId[];
	archived: boolean;
}

/** The products of `treatment` found in `products` (archived ones too: a used product still matters). */
export function productsOf(treatment: Treatment, products: readonly Product[]): Product[] {
	const byId = new Map(products.map((p) => [p.id, p]));
	return treatment.productIds.map((id) => byId.get(id)).filter((p): p is Product => p !== undefined);
}

/** Whether a treatment's typed fields can be saved: a name, whole minutes above zero, a price of zero or more. */
export function isTreatmentInputValid(input: { name: string; durationMin: number; pricePln: number }): boolean {
	return input.name.trim() !== '' && input.durationMin > 0 && Number.isInteger(input.durationMin) && input.pricePln >= 0;
}

/** A typed price as stored: złoty rounded to grosze. */
export function roundPrice(pln: number): number {
	return Math.round(pln * 100) / 100;
}
