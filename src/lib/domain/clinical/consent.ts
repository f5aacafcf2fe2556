// Consents as the domain sees them (they live in the profile doc). Guarantees: a consent is a
// dated record naming the exact template version the client saw and a hash of what was signed;
// withdrawal only adds a date, so the history of what was agreed when is never lost; whether a
// consent held at an instant is decided from timestamps alone, so every device that holds the
// same records reaches the same answer without writing anything.
import type { StaffId } from '../ids';
import type { ConsentId, LocalizedText, TemplateId } from './ids';

/** The kinds of consent a card holds (DOMAIN "Consents"). */
export type ConsentKind =
	| 'treatment'
	| 'health-data'
	| 'marketing-sms'
	| 'marketing-email'
	| 'photos-documentation'
	| 'photos-publication'
	| 'parent-for-minor';

/** Every consent kind, in the order the card lists them. */
export const CONSENT_KINDS: readonly ConsentKind[] = [
	'health-data',
	'treatment',
	'parent-for-minor',
	'photos-documentation',
	'photos-publication',
	'marketing-sms',
	'marketing-email'
];

/** One point of a finger-drawn stroke, in the signature pad's own units. */
export type SignaturePoint = [x: number, y: number];

/** A signature as vector strokes, with the SHA-256 (hex) of exactly what was signed. */
export interface Signature {
	strokes: SignaturePoint[][];
	sha256: string;
}

/** A consent given by the client; withdrawal adds `withdrawnAt`/`withdrawnBy` and changes nothing else. */
export interface ConsentRecord {
	id: ConsentId;
	kind: ConsentKind;
	templateId: TemplateId;
	templateVersion: number;
	/** UTC ISO instant. */
	givenAt: string;
	/** The staff member who took the consent. */
	staff: StaffId;
	signature: Signature;
	/** Who signed when it is not the client (a parent or guardian); '' for the client. */
	signerName: string;
	withdrawnAt?: string;
	withdrawnBy?: StaffId;
}

/** One version of a consent text; a change is a new version, never an edit. */
export interface ConsentTemplate {
	templateId: TemplateId;
	version: number;
	kind: ConsentKind;
	title: LocalizedText;
	/** The text the client reads and signs (Polish first; the salon may add English). */
	text: LocalizedText;
	/** UTC ISO instant. */
	createdAt: string;
}

/** Where the card stands on a consent kind at an instant. */
export type ConsentState = 'active' | 'withdrawn' | 'never';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Whether a signature has at least one stroke of finite points and a SHA-256 in lowercase hex. */
export function isSignature(value: unknown): value is Signature {
	if (typeof value !== 'object' || value === null) return false;
	const s = value as Record<string, unknown>;
	if (typeof s.sha256 !== 'string' || !SHA256_HEX.test(s.sha256)) return false;
	if (!Array.isArray(s.strokes) || s.strokes.length === 0) return false;
	return s.strokes.every(
		(stroke) =>
			Array.isArray(stroke) &&
			stroke.length > 0 &&
			stroke.every((p) => Array.isArray(p) && p.length === 2 && p.every((n) => typeof n === 'number' && Number.isFinite(n)))
	);
}

/** Whether `consent` held at `at` (UTC ISO; default: now, i.e. unless withdrawn). */
export function isConsentActiveAt(consent: ConsentRecord, at?: string): boolean {
	if (at === undefined) return consent.withdrawnAt === undefined;
	return consent.givenAt <= at && (consent.withdrawnAt === undefined || consent.withdrawnAt > at);
}

/** Whether some consent of `kind` held at `at` (default: now). */
export function hasActiveConsent(consents: readonly ConsentRecord[], kind: ConsentKind, at?: string): boolean {
	return consents.some((c) => c.kind === kind && isConsentActiveAt(c, at));
}

/** Active if some consent of `kind` held at `at`; withdrawn if one had been withdrawn by then; else never. */
export function consentStateAt(consents: readonly ConsentRecord[], kind: ConsentKind, at?: string): ConsentState {
	if (hasActiveConsent(consents, kind, at)) return 'active';
	const withdrawn = consents.some(
		(c) => c.kind === kind && c.withdrawnAt !== undefined && (at === undefined || c.withdrawnAt <= at)
	);
	return withdrawn ? 'withdrawn' : 'never';
}

/** Whether any of `instants` fell after the health-data consent was withdrawn and before a new one. */
export function wasRecordedAfterWithdrawal(instants: readonly string[], consents: readonly ConsentRecord[]): boolean {
	// Derived from timestamps, not stored: a withdrawal on one tablet and a visit on another mark
	// the visit on both after they merge, with no write that could race.
	return instants.some((at) => consentStateAt(consents, 'health-data', at) === 'withdrawn');
}
