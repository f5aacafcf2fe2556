// What the rule engine returns. Guarantees: every warning names the rule (id and label) and the
// card entry that triggered it, so the screen can say "Izotretynoina, ostatnio 2025-01-10" rather
// than "contraindication"; a warning the card could not decide carries 'warns', never 'blocks'.
import type { AllergenId } from './allergens';
import type { LocalizedText, ProductId, RuleId } from './ids';
import type { ConditionId, LastTaken, MedicationFlag, PatchTestResult, ProcedureKind } from './interview';
import type { RuleWeight } from './catalogue';

/** Why a warning exists: the entry fits the rule, or the card lacks the date or answer to decide. */
export type WarningReason = 'matched' | 'date-unknown' | 'not-asked';

/** The card entry behind a warning. */
export type WarningEntry =
	| { type: 'interview'; date: string | null }
	| { type: 'condition'; condition: ConditionId; source: 'interview' | 'check' }
	| { type: 'medication'; name: string; flag: MedicationFlag; lastTaken: LastTaken }
	| { type: 'allergy'; allergen: AllergenId | null; text: string; productId: ProductId | null; productName: string | null }
	| { type: 'procedure'; kind: ProcedureKind; date: string | null; where: 'this-salon' | 'elsewhere' | null }
	| { type: 'tan'; date: string | null }
	| { type: 'age'; age: number | null; parentConsent: boolean }
	| { type: 'patch-test'; productId: ProductId | null; date: string | null; result: PatchTestResult | 'missing' }
	/** The check said yes (new medication, procedure elsewhere) but did not say what. */
	| { type: 'check'; question: 'newMedication' | 'procedureElsewhere' };

/** One warning shown before a treatment starts. */
export interface Warning {
	ruleId: RuleId;
	label: LocalizedText;
	weight: RuleWeight;
	reason: WarningReason;
	entry: WarningEntry;
}

/** Whether any warning blocks the treatment (it may then start only with an override reason). */
export function hasBlocking(warnings: readonly Warning[]): boolean {
	return warnings.some((w) => w.weight === 'blocks');
}
