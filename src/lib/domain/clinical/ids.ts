// Branded ids of the clinical record and the catalogue. Guarantees: a visit id cannot be passed
// where a consent id is expected; record ids are UUIDs, catalogue seeds use fixed readable ids.

/** A consent record in the profile doc. */
export type ConsentId = string & { readonly __brand: 'ConsentId' };
/** A consent template family ("health data"); its versions share it. */
export type TemplateId = string & { readonly __brand: 'TemplateId' };
/** A health interview entry. */
export type InterviewId = string & { readonly __brand: 'InterviewId' };
/** A patch test. */
export type PatchTestId = string & { readonly __brand: 'PatchTestId' };
/** A skin assessment. */
export type SkinAssessmentId = string & { readonly __brand: 'SkinAssessmentId' };
/** A lifestyle and home-care entry. */
export type LifestyleId = string & { readonly __brand: 'LifestyleId' };
/** A visit (started, maybe completed). */
export type VisitId = string & { readonly __brand: 'VisitId' };
/** A treatment of the catalogue. */
export type TreatmentId = string & { readonly __brand: 'TreatmentId' };
/** A product of the catalogue. */
export type ProductId = string & { readonly __brand: 'ProductId' };
/** A contraindication rule of a treatment, or a built-in rule. */
export type RuleId = string & { readonly __brand: 'RuleId' };

/** A label in both languages of the app; catalogue data, so the salon can edit it. */
export interface LocalizedText {
	pl: string;
	en: string;
}
