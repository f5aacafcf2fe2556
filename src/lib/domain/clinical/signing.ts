// What exactly a client signs, as text to hash (crypto/digest.ts). Guarantees: the same content
// gives the same text on every device (fixed key order, no locale formatting), so a signature's
// hash can be checked later against the stored records; a consent names its template id, version
// and the very text shown, an interview the answers as shown plus the statement the client confirmed.
import type { ConsentTemplate } from './consent';
import type { HealthInterview } from './interview';

/** The content of an interview the client reads before signing. */
export type SignedInterview = Pick<HealthInterview, 'conditions' | 'allergies' | 'medications' | 'procedures' | 'notes'>;

/** The text a consent signature covers: template id, version and the text in the language shown. */
export function consentSignedContent(template: ConsentTemplate, locale: 'pl' | 'en'): string {
	return JSON.stringify({ templateId: template.templateId, version: template.version, locale, text: template.text[locale] });
}

/** The text an interview signature covers: every answer, in a fixed order, and the statement. */
export function interviewSignedContent(content: SignedInterview, statement: string): string {
	return JSON.stringify({
		conditions: [...content.conditions],
		allergies: content.allergies.map((a) => ({ allergen: a.allergen, text: a.text, reaction: a.reaction, severity: a.severity })),
		medications: content.medications.map((m) => ({ name: m.name, since: m.since, lastTaken: m.lastTaken, flags: [...m.flags] })),
		procedures: content.procedures.map((p) => ({ kind: p.kind, date: p.date, where: p.where, note: p.note })),
		notes: content.notes,
		statement
	});
}
