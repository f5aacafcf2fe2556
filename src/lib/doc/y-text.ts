// Minimal edits of a Y.Text. Guarantees: replacing a text deletes and inserts only the part
// between the common prefix and suffix, so two devices editing different parts of the same
// note both keep their edits; no surrogate pair (emoji) is ever split.
import type * as Y from 'yjs';

/** The span that differs between two strings: `[start, endOld)` in `prev` becomes `[start, endNew)` in `next`. */
export function diffSpan(prev: string, next: string): { start: number; endOld: number; endNew: number } {
	const limit = Math.min(prev.length, next.length);
	let start = 0;
	while (start < limit && prev.charCodeAt(start) === next.charCodeAt(start)) start++;
	// Never cut between the halves of a surrogate pair: both copies would hold half a character.
	if (start > 0 && isHighSurrogate(prev.charCodeAt(start - 1))) start--;
	let endOld = prev.length;
	let endNew = next.length;
	while (endOld > start && endNew > start && prev.charCodeAt(endOld - 1) === next.charCodeAt(endNew - 1)) {
		endOld--;
		endNew--;
	}
	if (endOld < prev.length && isLowSurrogate(prev.charCodeAt(endOld))) {
		endOld++;
		endNew++;
	}
	return { start, endOld, endNew };
}

/** Makes `text` read `next` with the smallest delete and insert; returns whether it changed. */
export function replaceText(text: Y.Text, next: string): boolean {
	const prev = text.toString();
	if (prev === next) return false;
	const { start, endOld, endNew } = diffSpan(prev, next);
	if (endOld > start) text.delete(start, endOld - start);
	if (endNew > start) text.insert(start, next.slice(start, endNew));
	return true;
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
	return code >= 0xdc00 && code <= 0xdfff;
}
