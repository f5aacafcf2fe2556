// Client search over summaries. Guarantees: matching ignores case and Polish diacritics
// (ł included), a phone query matches with or without the +48 country code, results come
// sorted by last name then first name in Polish collation, and a keystroke costs one pass of
// substring checks over precomputed strings (no folding or sorting per keystroke).
import type { ClientId } from './ids';
import type { ClientSummary } from './client';

// NFD does not decompose ł (it is a letter of its own, not l + a mark), so it is mapped by hand.
const STROKED_L = /ł/g;
const COMBINING_MARKS = /\p{M}/gu;
const NON_DIGITS = /\D/g;
// A query made only of these reads as a phone number ("+48 (600) 100-200").
const PHONE_QUERY = /^[\d\s+\-()]+$/;
// Separates fields in a haystack; queries are split on whitespace, so no token can span two fields.
const FIELD_SEPARATOR = '\n';

/** Lowercases and strips diacritics, so "ZÓŁW" and "zolw" compare equal. */
export function foldText(s: string): string {
	return s.toLowerCase().normalize('NFD').replace(COMBINING_MARKS, '').replace(STROKED_L, 'l');
}

/** Keeps only the ASCII digits of `s` ("+48 600-100" -> "48600100"). */
export function digitsOf(s: string): string {
	return s.replace(NON_DIGITS, '');
}

/** Options of a search. */
export interface SearchOptions {
	/** Also return archived clients (default: false). */
	includeArchived?: boolean;
}

interface IndexedClient {
	summary: ClientSummary;
	haystack: string;
	phoneDigits: string;
	/** Phone digits without the Polish country code, or '' when the phone is not Polish. */
	phoneNational: string;
}

const collator = new Intl.Collator('pl');

function compareClients(a: IndexedClient, b: IndexedClient): number {
	const x = a.summary;
	const y = b.summary;
	return (
		collator.compare(x.lastName, y.lastName) ||
		collator.compare(x.firstName, y.firstName) ||
		// Same name: fall back to the id so the order never depends on insertion order.
		(x.id < y.id ? -1 : x.id > y.id ? 1 : 0)
	);
}

function indexClient(summary: ClientSummary): IndexedClient {
	const phoneDigits = digitsOf(summary.phone);
	const isPolish = summary.phone.startsWith('+48');
	return {
		summary,
		haystack: [summary.firstName, summary.lastName, summary.email].map(foldText).join(FIELD_SEPARATOR),
		phoneDigits,
		phoneNational: isPolish ? phoneDigits.slice(2) : ''
	};
}

/** Reads the digits of a phone-like query ("0048 600" -> "48600"), or null when it is not one. */
function readPhoneQuery(query: string): string | null {
	if (!PHONE_QUERY.test(query)) return null;
	const digits = digitsOf(query);
	if (digits === '') return null;
	// "0048..." is how people dial abroad; the stored E.164 has "+" instead of "00".
	return query.trimStart().startsWith('00') ? digits.slice(2) : digits;
}

/** In-memory search over client summaries; rebuilt from stored summaries at unlock. */
export class ClientSearchIndex {
	#byId = new Map<ClientId, IndexedClient>();
	// Sorted lazily on the first search, so loading 10,000 summaries sorts once; kept sorted after.
	#sorted: IndexedClient[] | null = null;

	/** Builds the index from summaries (later duplicates of an id replace earlier ones). */
	constructor(summaries: Iterable<ClientSummary> = []) {
		for (const s of summaries) this.#byId.set(s.id, indexClient(s));
	}

	/** How many clients the index holds, archived included. */
	get size(): number {
		return this.#byId.size;
	}

	/** Adds a client or replaces its summary. */
	upsert(summary: ClientSummary): void {
		const previous = this.#byId.get(summary.id);
		const entry = indexClient(summary);
		this.#byId.set(summary.id, entry);
		// Keep an existing order up to date in place: a re-sort of 10,000 takes ~20-40 ms, and a
		// peer's change arriving while someone types must not stall the keystroke.
		if (this.#sorted) {
			if (previous) this.#sorted.splice(findPosition(this.#sorted, previous), 1);
			this.#sorted.splice(findPosition(this.#sorted, entry), 0, entry);
		}
	}

	/** Removes a client; returns whether it was there. */
	remove(id: ClientId): boolean {
		const previous = this.#byId.get(id);
		if (!previous) return false;
		this.#byId.delete(id);
		this.#sorted?.splice(findPosition(this.#sorted, previous), 1);
		return true;
	}

	/** Returns the summary of a client, if indexed. */
	get(id: ClientId): ClientSummary | undefined {
		return this.#byId.get(id)?.summary;
	}

	/** Returns the clients matching `query`, sorted by last name then first name. */
	search(query: string, options: SearchOptions = {}): ClientSummary[] {
		const tokens = foldText(query).split(/\s+/).filter(Boolean);
		const phoneDigits = readPhoneQuery(query);
		const includeArchived = options.includeArchived ?? false;
		const result: ClientSummary[] = [];
		for (const entry of this.#sortedEntries()) {
			if (entry.summary.archived && !includeArchived) continue;
			if (matchesTokens(entry, tokens) || (phoneDigits !== null && matchesPhone(entry, phoneDigits))) {
				result.push(entry.summary);
			}
		}
		return result;
	}

	#sortedEntries(): IndexedClient[] {
		this.#sorted ??= [...this.#byId.values()].sort(compareClients);
		return this.#sorted;
	}
}

/** The index of the first entry not ordered before `entry` (the order is total: ids break ties). */
function findPosition(sorted: IndexedClient[], entry: IndexedClient): number {
	let low = 0;
	let high = sorted.length;
	while (low < high) {
		const mid = (low + high) >>> 1;
		if (compareClients(sorted[mid], entry) < 0) low = mid + 1;
		else high = mid;
	}
	return low;
}

function matchesTokens(entry: IndexedClient, tokens: string[]): boolean {
	for (const token of tokens) if (!entry.haystack.includes(token)) return false;
	return true;
}

function matchesPhone(entry: IndexedClient, digits: string): boolean {
	if (entry.phoneDigits === '') return false;
	return entry.phoneDigits.includes(digits) || entry.phoneNational.includes(digits);
}
