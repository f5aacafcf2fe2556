// How a warning names the card entry that triggered it ("Izotretynoina — ostatnio 15 mar 2025"),
// in the interface language, from the domain's labels.
import { ALLERGENS } from '$lib/domain/clinical/allergens';
import type { Product } from '$lib/domain/clinical/catalogue';
import { CONDITION_LABELS, PROCEDURE_LABELS } from '$lib/domain/clinical/labels';
import type { Warning, WarningEntry } from '$lib/domain/clinical/warning';
import { t } from '$lib/i18n/i18n.svelte';
import { formatDay, loc } from './format';

/** The triggering entry of a warning, in words. */
export function describeEntry(entry: WarningEntry, products: readonly Product[]): string {
	switch (entry.type) {
		case 'interview':
			return entry.date ? t('clinical.warn.interviewFrom', { date: formatDay(entry.date) }) : t('clinical.warn.interviewNone');
		case 'condition':
			return `${loc(CONDITION_LABELS[entry.condition])} (${entry.source === 'check' ? t('clinical.warn.fromCheck') : t('clinical.warn.fromInterview')})`;
		case 'medication': {
			const last = entry.lastTaken === 'ongoing' ? t('clinical.medication.mode.ongoing') : entry.lastTaken === null ? t('clinical.medication.unknownDate') : formatDay(entry.lastTaken);
			return `${entry.name} — ${t('clinical.medication.lastShort', { date: last })}`;
		}
		case 'allergy': {
			const allergen = ALLERGENS.find((a) => a.id === entry.allergen);
			const what = [entry.text, allergen && !entry.text ? loc(allergen.label) : ''].filter(Boolean).join('');
			return entry.productName ? t('clinical.warn.allergyProduct', { allergy: what, product: entry.productName }) : what;
		}
		case 'procedure': {
			const where = entry.where === 'this-salon' ? t('clinical.procedure.thisSalon') : entry.where === 'elsewhere' ? t('clinical.procedure.elsewhere') : '';
			return [loc(PROCEDURE_LABELS[entry.kind]), formatDay(entry.date), where].filter(Boolean).join(' · ');
		}
		case 'tan':
			return t('clinical.warn.tan', { date: formatDay(entry.date) });
		case 'age':
			return entry.age === null ? t('clinical.warn.ageUnknown') : t(entry.parentConsent ? 'clinical.warn.ageWithParent' : 'clinical.warn.age', { age: entry.age });
		case 'patch-test': {
			const product = products.find((p) => p.id === entry.productId)?.name ?? '';
			return [product, t(`clinical.patch.result.${entry.result}`), entry.date ? formatDay(entry.date) : ''].filter(Boolean).join(' · ');
		}
		case 'check':
			return t(`clinical.warn.check.${entry.question}`);
	}
}

/** Why the card could not decide, when it could not; '' when the entry simply matched. */
export function describeReason(w: Warning): string {
	return w.reason === 'matched' ? '' : t(`clinical.warn.reason.${w.reason}`);
}
