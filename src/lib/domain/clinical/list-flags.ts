// The badges the client list shows clinical staff, from a stored clinical summary (no card is
// opened). Guarantees: an allergy on record always shows; the warning badge shows while a red
// flag the rules read may still apply: a condition, a failed patch test, or a flagged medication
// that is ongoing, of unknown date, or taken within the longest look-back the seed rules use.
import { dayNumber } from './days';
import type { ClinicalSummary } from './summary';

/** The longest medication look-back of the default rules (oral retinoids before a peel: a year). */
export const FLAG_LOOK_BACK_DAYS = 365;

/** What the list marks on a client's row. */
export interface ListFlags {
	hasAllergy: boolean;
	hasWarning: boolean;
}

/** The list badges of a client on `today` (`YYYY-MM-DD`); no summary, no badges. */
export function listFlags(summary: ClinicalSummary | null, today: string): ListFlags {
	if (!summary) return { hasAllergy: false, hasWarning: false };
	const now = dayNumber(today);
	const isRecent = (lastTaken: string | null) => {
		if (lastTaken === null || lastTaken === 'ongoing' || now === null) return true;
		const day = dayNumber(lastTaken);
		return day === null || now - day <= FLAG_LOOK_BACK_DAYS;
	};
	const hasWarning =
		summary.conditions.length > 0 ||
		summary.patchTests.some((p) => p.result === 'failed') ||
		summary.medications.some((m) => isRecent(m.lastTaken));
	return { hasAllergy: summary.allergies.length > 0, hasWarning };
}
