// Small display helpers of the clinical screens: catalogue labels in the interface language,
// calendar dates in the user's locale, staff names by id.
import type { LocalizedText } from '$lib/domain/clinical/ids';
import { parseCalendarDate } from '$lib/domain/dates';
import type { StaffId } from '$lib/domain/ids';
import type { StaffMember } from '$lib/domain/salon';
import { i18n } from '$lib/i18n/i18n.svelte';

/** A catalogue label (treatment, rule, condition) in the interface language, Polish as fallback. */
export function loc(text: LocalizedText): string {
	return text[i18n.locale] || text.pl;
}

/** A calendar date (`YYYY-MM-DD`) as the user's locale writes it; the raw text when malformed. */
export function formatDay(date: string | null): string {
	if (!date) return '—';
	const d = parseCalendarDate(date);
	if (!d) return date;
	// Formatted in UTC: a calendar date has no time zone, so it must not shift a day.
	return new Intl.DateTimeFormat(i18n.locale === 'pl' ? 'pl-PL' : 'en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(d.year, d.month - 1, d.day));
}

/** The name of a staff member, or the id when the member is unknown here. */
export function staffName(staff: readonly StaffMember[], id: StaffId | string): string {
	return staff.find((s) => s.id === id)?.name ?? '—';
}
