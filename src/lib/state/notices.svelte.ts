// The one error funnel of the UI: every failure becomes a notice in the user's language saying
// what happened and what to do. Unknown errors are shown too (with their text), never swallowed.
import { isAppError } from '../domain/errors';
import { t, type MessageKey } from '../i18n/i18n.svelte';

/** A message shown to the user. */
export interface Notice {
	id: number;
	kind: 'error' | 'info';
	text: string;
}

/** Translates any thrown value into a message in the user's language. */
export function describeError(e: unknown): string {
	if (isAppError(e)) {
		if (e.reason === 'locked' && e.detail?.startsWith('wait:')) {
			return t('unlock.wait', { seconds: e.detail.slice(5) });
		}
		return t(`error.${e.reason}` as MessageKey);
	}
	const name = (e as { name?: string })?.name;
	if (name === 'QuotaExceededError') return t('error.quota-exceeded');
	console.error(e);
	return t('error.unexpected', { detail: e instanceof Error ? e.message : String(e) });
}

class Notices {
	items = $state<Notice[]>([]);
	private next = 1;

	/** Shows an error. */
	error(e: unknown): void {
		this.push('error', describeError(e));
	}

	/** Shows an information message that fades after a few seconds. */
	info(text: string): void {
		const id = this.push('info', text);
		setTimeout(() => this.dismiss(id), 4000);
	}

	private push(kind: Notice['kind'], text: string): number {
		const id = this.next++;
		this.items = [...this.items, { id, kind, text }];
		return id;
	}

	/** Removes a notice. */
	dismiss(id: number): void {
		this.items = this.items.filter((n) => n.id !== id);
	}
}

/** The app's notices. */
export const notices = new Notices();
