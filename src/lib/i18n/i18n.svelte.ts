// The message funnel: every user-visible string goes through t(), so switching the language
// re-renders everything that reads it (the locale is a rune).
import { en } from './en';
import { pl, type Catalogue, type MessageKey } from './pl';

/** Languages of the interface, Polish first. */
export type Locale = 'pl' | 'en';
export type { MessageKey };

const catalogues: Record<Locale, Catalogue> = { pl, en };
const STORAGE_KEY = 'kartoteka.locale';

function readSavedLocale(): Locale {
	try {
		const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
		return saved === 'en' ? 'en' : 'pl';
	} catch {
		return 'pl';
	}
}

class I18n {
	locale = $state<Locale>(readSavedLocale());

	/** Switches the language and remembers it on this device (not personal data). */
	setLocale(locale: Locale): void {
		this.locale = locale;
		try {
			globalThis.localStorage?.setItem(STORAGE_KEY, locale);
		} catch {
			// A private window may refuse storage; the choice then lasts for this session only.
		}
		if (typeof document !== 'undefined') document.documentElement.lang = locale;
	}
}

/** The app's language state. */
export const i18n = new I18n();

/** Translates `key` into the current language, filling `{param}` placeholders. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
	const text = catalogues[i18n.locale][key] ?? pl[key] ?? key;
	if (!params) return text;
	return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Whether a string is a known message key (validation reasons come as keys). */
export function isMessageKey(key: string): key is MessageKey {
	return key in pl;
}

/** Formats a date-time instant for the current language (pl-PL by default). */
export function formatInstant(iso: string, timeZone?: string): string {
	return new Intl.DateTimeFormat(i18n.locale === 'pl' ? 'pl-PL' : 'en-GB', {
		dateStyle: 'medium',
		timeStyle: 'short',
		timeZone
	}).format(new Date(iso));
}

/** Formats a byte count (kB, MB, GB). */
export function formatBytes(bytes: number): string {
	const units = ['B', 'kB', 'MB', 'GB', 'TB'];
	let v = bytes;
	let i = 0;
	while (v >= 1000 && i < units.length - 1) {
		v /= 1000;
		i++;
	}
	return `${v.toLocaleString(i18n.locale === 'pl' ? 'pl-PL' : 'en-GB', { maximumFractionDigits: 1 })} ${units[i]}`;
}
