// Polish messages of the clinical record (consents, interview, visits, warnings).

/** Clinical-record strings in Polish. */
export const plClinical = {} as const;
