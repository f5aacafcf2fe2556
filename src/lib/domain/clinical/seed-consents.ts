// Default consent texts, version 1 of each kind (not legal advice: the salon must adapt them).
// Guarantees: fixed template ids ('ct-health-data') and version 1, frozen per release like the
// seed catalogue; a salon's change is a new version in the salon doc, never an edit of these.
import type { ConsentKind, ConsentTemplate } from './consent';
import type { TemplateId } from './ids';

/** When the default texts were written; the same on every device, so the seed is deterministic. */
export const SEED_TEMPLATES_CREATED_AT = '2025-01-01T00:00:00.000Z';

const DRAFT_PL = 'Wzór do dostosowania przez salon; nie stanowi porady prawnej.';
const DRAFT_EN = 'A template for the salon to adapt; not legal advice.';

function template(kind: ConsentKind, title: [string, string], pl: string, en: string): ConsentTemplate {
	return {
		templateId: `ct-${kind}` as TemplateId,
		version: 1,
		kind,
		title: { pl: title[0], en: title[1] },
		text: { pl: `${pl}\n\n${DRAFT_PL}`, en: `${en}\n\n${DRAFT_EN}` },
		createdAt: SEED_TEMPLATES_CREATED_AT
	};
}

/** Version 1 of the consent text of every kind. */
export const SEED_CONSENT_TEMPLATES: readonly ConsentTemplate[] = [
	template(
		'health-data',
		['Zgoda na przetwarzanie danych o zdrowiu', 'Consent to processing of health data'],
		'Wyrażam wyraźną zgodę na przetwarzanie przez salon moich danych dotyczących zdrowia (art. 9 ust. 2 lit. a RODO) w celu bezpiecznego wykonywania zabiegów kosmetycznych. Mogę ją w każdej chwili wycofać; wycofanie nie wpływa na zgodność z prawem przetwarzania przed wycofaniem.',
		'I give my explicit consent to the salon processing my health data (GDPR art. 9(2)(a)) to perform cosmetic treatments safely. I may withdraw it at any time; withdrawal does not affect processing before it.'
	),
	template(
		'treatment',
		['Zgoda na zabieg', 'Consent to treatment'],
		'Zostałam/em poinformowana/y o przebiegu zabiegu, przeciwwskazaniach, możliwych skutkach ubocznych i powikłaniach oraz zaleceniach po zabiegu. Udzielone przeze mnie informacje o zdrowiu są prawdziwe. Wyrażam zgodę na wykonanie zabiegu.',
		'I have been informed about the treatment, its contraindications, possible side effects and complications, and after-care. The health information I gave is true. I consent to the treatment.'
	),
	template(
		'parent-for-minor',
		['Zgoda rodzica lub opiekuna na zabieg osoby niepełnoletniej', "Parent's or guardian's consent for a minor"],
		'Jako rodzic lub opiekun prawny wyrażam pisemną zgodę na wykonanie zabiegu u osoby niepełnoletniej, po zapoznaniu się z przeciwwskazaniami i możliwymi powikłaniami.',
		'As a parent or legal guardian I give written consent to the treatment of the minor, having read its contraindications and possible complications.'
	),
	template(
		'photos-documentation',
		['Zgoda na zdjęcia do dokumentacji', 'Consent to photos for documentation'],
		'Wyrażam zgodę na wykonywanie zdjęć okolicy zabiegowej wyłącznie do dokumentacji przebiegu zabiegów w mojej karcie. Zdjęcia nie będą publikowane.',
		'I consent to photos of the treated area being taken only to document my treatments in my card. They will not be published.'
	),
	template(
		'photos-publication',
		['Zgoda na publikację wizerunku', 'Consent to publication of photos'],
		'Wyrażam zgodę na publikację zdjęć (w tym mojego wizerunku, art. 81 prawa autorskiego i art. 23 KC) w materiałach salonu. Zgodę mogę wycofać w każdej chwili.',
		'I consent to photos (including my image) being published in the salon’s materials. I may withdraw this consent at any time.'
	),
	template(
		'marketing-sms',
		['Zgoda na informacje marketingowe SMS', 'Consent to marketing by SMS'],
		'Wyrażam zgodę na otrzymywanie od salonu informacji marketingowych SMS-em na podany numer telefonu.',
		'I consent to receiving marketing information from the salon by SMS.'
	),
	template(
		'marketing-email',
		['Zgoda na informacje marketingowe e-mailem', 'Consent to marketing by e-mail'],
		'Wyrażam zgodę na otrzymywanie od salonu informacji marketingowych na podany adres e-mail.',
		'I consent to receiving marketing information from the salon by e-mail.'
	)
];
