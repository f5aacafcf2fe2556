// English messages of the clinical record; every key of pl-clinical.ts.
import type { plClinical } from './pl-clinical';

/** Clinical-record strings in English. */
export const enClinical: Record<keyof typeof plClinical, string> = {};
