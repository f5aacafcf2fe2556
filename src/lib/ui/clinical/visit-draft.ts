// The visit forms' drafts and their conversion to domain records. Guarantees: an unanswered check
// question stays null (the rules then warn rather than pass); empty dates read as null; product
// and parameter rows with nothing chosen or typed are dropped.
import type { Product, Treatment } from '$lib/domain/clinical/catalogue';
import type { ProductId } from '$lib/domain/clinical/ids';
import type { PreTreatmentCheck, UsedProduct, VisitCompletion } from '$lib/domain/clinical/visit';
import { medicationsOf, proceduresOf, type MedicationRow, type ProcedureRow } from './interview-draft';

/** The pre-treatment check as the form holds it. */
export interface CheckDraft {
	newMedication: boolean | null;
	medications: MedicationRow[];
	pregnancy: boolean | null;
	tanOrSun: boolean | null;
	tanDate: string;
	herpesNow: boolean | null;
	procedureElsewhere: boolean | null;
	procedures: ProcedureRow[];
	note: string;
}

/** A check nobody has answered. */
export function newCheckDraft(): CheckDraft {
	return { newMedication: null, medications: [], pregnancy: null, tanOrSun: null, tanDate: '', herpesNow: null, procedureElsewhere: null, procedures: [], note: '' };
}

/** The check to evaluate and store; details count only when their question was answered yes. */
export function checkOf(d: CheckDraft): PreTreatmentCheck {
	return {
		newMedication: d.newMedication,
		medications: d.newMedication === true ? medicationsOf(d.medications) : [],
		pregnancy: d.pregnancy,
		tanOrSun: d.tanOrSun,
		tanDate: d.tanOrSun === true && d.tanDate !== '' ? d.tanDate : null,
		herpesNow: d.herpesNow,
		procedureElsewhere: d.procedureElsewhere,
		procedures: d.procedureElsewhere === true ? proceduresOf(d.procedures).map((p) => ({ ...p, where: 'elsewhere' as const })) : [],
		note: d.note.trim()
	};
}

/** A used-product row. */
export interface ProductRow {
	productId: string;
	batch: string;
	expiry: string;
}

/** A parameter row ("głębokość igieł" = "0,5 mm"). */
export interface ParameterRow {
	key: string;
	value: string;
}

/** The completion form. */
export interface CompletionDraft {
	area: string;
	products: ProductRow[];
	parameters: ParameterRow[];
	notes: string;
	reaction: string;
	satisfaction: string;
	recommendations: string;
	nextVisit: string;
}

/** A completion form pre-filled with the treatment's products (batches to be typed). */
export function newCompletionDraft(treatment: Treatment | undefined): CompletionDraft {
	const products = (treatment?.productIds ?? []).map((id) => ({ productId: id as string, batch: '', expiry: '' }));
	return { area: '', products, parameters: [{ key: '', value: '' }], notes: '', reaction: '', satisfaction: '', recommendations: '', nextVisit: '' };
}

/** The completion to store; product names are taken from the catalogue as it is now. */
export function completionOf(d: CompletionDraft, catalogue: readonly Product[]): Omit<VisitCompletion, 'completedAt' | 'completedBy'> {
	const products: UsedProduct[] = d.products
		.map((r) => ({ row: r, product: catalogue.find((p) => p.id === r.productId) }))
		.filter((x) => x.product !== undefined)
		.map(({ row, product }) => ({ productId: product!.id as ProductId, name: product!.name, batch: row.batch.trim(), expiry: row.expiry || null }));
	const parameters: Record<string, string> = {};
	for (const p of d.parameters) if (p.key.trim() !== '') parameters[p.key.trim()] = p.value.trim();
	return {
		area: d.area.trim(),
		products,
		parameters,
		notes: d.notes.trim(),
		reaction: d.reaction.trim(),
		satisfaction: d.satisfaction ? Number(d.satisfaction) : null,
		recommendations: d.recommendations.trim(),
		nextVisit: d.nextVisit || null
	};
}
