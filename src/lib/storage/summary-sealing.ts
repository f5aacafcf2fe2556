// Sealing of client summaries: the profile part under the salon key, the clinical part under the
// clinical key, each bound to `summary:<clientId>` and its part, so a part cannot be moved to another
// client or swapped with the other part.
import { AppError, isAppError } from '../domain/errors';
import { openJson, sealJson, type Binding, type DataKey, type Envelope } from '../crypto/envelope';
import type { ClientId } from '../domain/ids';
import type { StoredSummary } from './storage';

/** A client's summary as opened at unlock; `clinical` is null without the clinical key or part. */
export interface OpenedSummary {
	clientId: ClientId;
	profile: unknown;
	clinical: unknown | null;
}

function bindSummary(clientId: string, part: 'summary-profile' | 'summary-clinical'): Binding {
	return { docId: `summary:${clientId}`, kind: part };
}

/** What to store as a summary's clinical part: a value to seal now, or an envelope (or null) kept as is. */
export type ClinicalPart = { seal: object } | { keep: Envelope | null };

/** Seals a summary; sealing a clinical value needs the clinical key ('locked' without it). */
export async function sealSummary(
	keys: { salon: DataKey; clinical: DataKey | null },
	clientId: string,
	profile: object,
	clinical: ClinicalPart
): Promise<StoredSummary> {
	const sealedProfile = sealJson(keys.salon, profile, bindSummary(clientId, 'summary-profile'));
	let sealedClinical: Promise<Envelope | null>;
	if ('keep' in clinical) sealedClinical = Promise.resolve(clinical.keep);
	else if (!keys.clinical) throw new AppError('locked', 'clinical summary without clinical key');
	else sealedClinical = sealJson(keys.clinical, clinical.seal, bindSummary(clientId, 'summary-clinical'));
	const [p, c] = await Promise.all([sealedProfile, sealedClinical]);
	return { clientId, profile: p, clinical: c };
}

/**
 * Opens summaries in parallel. One unreadable summary must not hide the whole client list, so it is
 * reported and skipped (an unreadable clinical part becomes null); summaries can be rebuilt from docs.
 */
export async function openSummaries(
	keys: { salon: DataKey; clinical: DataKey | null },
	stored: StoredSummary[],
	report: (error: AppError) => void
): Promise<OpenedSummary[]> {
	const opened = await Promise.all(
		stored.map(async (s): Promise<OpenedSummary | null> => {
			const [profile, clinical] = await Promise.all([
				openJson<unknown>(keys.salon, s.profile, bindSummary(s.clientId, 'summary-profile')).catch((e) =>
					reportFailure(e, report)
				),
				s.clinical && keys.clinical
					? openJson<unknown>(keys.clinical, s.clinical, bindSummary(s.clientId, 'summary-clinical')).catch((e) =>
							reportFailure(e, report)
						)
					: null
			]);
			if (profile === FAILED) return null;
			return { clientId: s.clientId as ClientId, profile, clinical: clinical === FAILED ? null : clinical };
		})
	);
	return opened.filter((s): s is OpenedSummary => s !== null);
}

const FAILED = Symbol('failed');

function reportFailure(e: unknown, report: (error: AppError) => void): typeof FAILED {
	report(isAppError(e) ? e : new AppError('decrypt-failed', String(e)));
	return FAILED;
}
