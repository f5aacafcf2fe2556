// A stand-in for the browser's localStorage in Node suites (test code only): fresh and empty for
// every test, gone after it.
import { afterEach, beforeEach } from 'vitest';

/** Gives every test of the calling suite its own empty localStorage. */
export function useLocalStorageStandIn(): void {
	beforeEach(() => {
		const data = new Map<string, string>();
		(globalThis as { localStorage?: unknown }).localStorage = {
			getItem: (k: string) => data.get(k) ?? null,
			setItem: (k: string, v: string) => void data.set(k, v),
			removeItem: (k: string) => void data.delete(k)
		};
	});
	afterEach(() => {
		delete (globalThis as { localStorage?: unknown }).localStorage;
	});
}
