import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { diffSpan, replaceText } from './y-text';

function textOf(s: string): { doc: Y.Doc; text: Y.Text } {
	const doc = new Y.Doc();
	const text = doc.getText('note');
	text.insert(0, s);
	return { doc, text };
}

describe('replaceText', () => {
	it.each([
		['', 'nowa notatka'],
		['stara notatka', ''],
		['Ala ma kota', 'Ala ma psa'],
		['abc', 'abXc'],
		['aaaa', 'aa'],
		['uśmiech 😀 koniec', 'uśmiech 😁 koniec'],
		['😀', '😀😀'],
		['a😀b', 'ab']
	])('turns "%s" into "%s"', (prev, next) => {
		const { text } = textOf(prev);
		expect(replaceText(text, next)).toBe(true);
		expect(text.toString()).toBe(next);
	});

	it('changes nothing, and says so, when the text is already the same', () => {
		const { doc, text } = textOf('bez zmian');
		let updates = 0;
		doc.on('update', () => updates++);
		expect(replaceText(text, 'bez zmian')).toBe(false);
		expect(updates).toBe(0);
	});

	it('touches only the middle that differs', () => {
		expect(diffSpan('Ala ma kota', 'Ala ma psa')).toEqual({ start: 7, endOld: 10, endNew: 9 });
	});

	it('never splits a surrogate pair', () => {
		// 😀 and 😁 share their high surrogate; the span must start before it.
		expect(diffSpan('x😀', 'x😁')).toEqual({ start: 1, endOld: 3, endNew: 3 });
		// U+1F600 and U+1FA00 share their low surrogate; the span must end after it.
		expect(diffSpan('\u{1F600}y', '\u{1FA00}y')).toEqual({ start: 0, endOld: 2, endNew: 2 });
	});
});
