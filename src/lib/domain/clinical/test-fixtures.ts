// Synthetic clinical records for tests (never real people). Guarantees: deterministic, valid
// against the schema, and each helper fills in only what a test does not say.
import type { StaffId } from '../ids';
import type { Treatment } from './catalogue';
import type { ConsentRecord, Signature } from './consent';
import type { ConsentId, InterviewId, PatchTestId, ProductId, TemplateId, TreatmentId, VisitId } from './ids';
import type { HealthInterview, Medication, PatchTest } from './interview';
import { SEED_PRODUCTS, SEED_TREATMENTS } from './seed-catalogue';
import { emptyCheck, type PreTreatmentCheck, type Visit } from './visit';

/** A staff member id for tests. */
export const STAFF = 'staff-ewa' as StaffId;

/** A small valid signature. */
export const SIGNATURE: Signature = {
	strokes: [
		[
			[10, 20],
			[14, 26],
			[30, 22]
		]
	],
	sha256: 'a'.repeat(64)
};

/** A seed treatment by key ('microneedling' -> 'tr-microneedling'). */
export function seedTreatment(key: string): Treatment {
	const t = SEED_TREATMENTS.find((x) => x.id === `tr-${key}`);
	if (!t) throw new Error(`no seed treatment ${key}`);
	return t;
}

/** The seed products of a treatment. */
export function seedProductsOf(t: Treatment) {
	return SEED_PRODUCTS.filter((p) => t.productIds.includes(p.id));
}

/** A medication with sensible defaults. */
export function medication(name: string, overrides: Partial<Medication> = {}): Medication {
	return { name, since: null, lastTaken: 'ongoing', flags: [], ...overrides };
}

/** A signed interview at `at`, empty unless overridden. */
export function interview(at: string, overrides: Partial<HealthInterview> = {}): HealthInterview {
	return {
		id: `iv-${at}` as InterviewId,
		at,
		staff: STAFF,
		conditions: [],
		allergies: [],
		medications: [],
		procedures: [],
		notes: '',
		statementConfirmed: true,
		signature: SIGNATURE,
		...overrides
	};
}

/** A patch test of a product. */
export function patchTest(productId: string, date: string, result: PatchTest['result']): PatchTest {
	return { id: `pt-${productId}-${date}` as PatchTestId, productId: productId as ProductId, productName: productId, date, result, staff: STAFF, notes: '' };
}

/** A check with the given answers, everything else unanswered. */
export function check(answers: Partial<PreTreatmentCheck> = {}): PreTreatmentCheck {
	return { ...emptyCheck(), ...answers };
}

/** A started visit of a seed treatment at `at`. */
export function visit(key: string, at: string, overrides: Partial<Visit['started']> = {}): Visit {
	const t = seedTreatment(key);
	return {
		id: `v-${key}-${at}` as VisitId,
		started: {
			at,
			staff: STAFF,
			treatmentId: t.id as TreatmentId,
			treatmentName: t.name.pl,
			procedureKind: t.procedureKind,
			check: check({ pregnancy: false, tanOrSun: false, newMedication: false, herpesNow: false, procedureElsewhere: false }),
			warnings: [],
			overrideReason: null,
			...overrides
		},
		completed: null
	};
}

/** A consent of `kind` given at `givenAt`, optionally withdrawn. */
export function consent(kind: ConsentRecord['kind'], givenAt: string, withdrawnAt?: string): ConsentRecord {
	return {
		id: `c-${kind}-${givenAt}` as ConsentId,
		kind,
		templateId: `ct-${kind}` as TemplateId,
		templateVersion: 1,
		givenAt,
		staff: STAFF,
		signature: SIGNATURE,
		signerName: '',
		...(withdrawnAt ? { withdrawnAt, withdrawnBy: STAFF } : {})
	};
}
