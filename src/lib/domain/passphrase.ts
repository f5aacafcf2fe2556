// A rough strength estimate for the salon passphrase, shown while it is typed. Guarantees: a
// passphrase judged ok has at least 12 characters and a score of 3 or more; one that is a common
// word dressed up with digits or symbols ("Haslo2024!") never is; several ordinary words
// ("zielony kot pije mleko") are. It is a nudge, not a proof: key derivation cost does the rest.
import { foldText } from './search';

/** The verdict on a passphrase; `reasons` are i18n message keys for what weakens it. */
export interface PassphraseAssessment {
	score: 0 | 1 | 2 | 3 | 4;
	ok: boolean;
	reasons: string[];
}

const MIN_LENGTH = 12;
const MIN_OK_SCORE = 3;

// Folded (no diacritics), letters and digits only. Words of 3 letters or fewer are left out on
// purpose: they occur inside ordinary words and would flag good passphrases.
const COMMON = [
	'123456', '1234567', '12345678', '123456789', '1234567890', '111111', '000000', '654321',
	'password', 'passw0rd', 'qwerty', 'qwertyuiop', 'asdfgh', 'zxcvbn', 'admin', 'letmein',
	'welcome', 'monkey', 'dragon', 'football', 'iloveyou', 'abc123', 'haslo', 'haslo1', 'maslo',
	'kocham', 'kochamcie', 'misiek', 'zaq12wsx', 'polska', 'polska1', 'salon', 'kosmetyka',
	'kosmetyczka', 'uroda', 'piekno', 'beauty', 'kartoteka', 'klient', 'klientka', 'kwiatek',
	'slonko', 'sloneczko', 'kasia', 'basia', 'agnieszka', 'monika', 'marta', 'anna', 'magda',
	'ewelina', 'justyna', 'karolina', 'aleksandra', 'natalia', 'tomek', 'marcin', 'michal',
	'piotr', 'lukasz', 'mateusz', 'zaq1', 'qazwsx', 'abcd', 'test', 'witaj', 'dupa', 'aaaa'
].sort((a, b) => b.length - a.length);

/** Rates a passphrase from 0 (trivial) to 4 (strong) and says what weakens it. */
export function assessPassphrase(p: string): PassphraseAssessment {
	const length = [...p].length;
	const reasons: string[] = [];
	let score = length < 8 ? 0 : length < MIN_LENGTH ? 1 : length < 16 ? 2 : length < 20 ? 3 : 4;
	const kinds = countKinds(p);
	if (kinds >= 3) score += 1;

	if (length < MIN_LENGTH) reasons.push('passphrase.tooShort');
	if (isCommon(p)) {
		reasons.push('passphrase.common');
		score = Math.min(score, 1);
	}
	if (isRepetitive(p)) {
		reasons.push('passphrase.repetitive');
		score = Math.min(score, 1);
	}
	// Words separated by spaces are two kinds; a single kind is only weak when also short.
	if (kinds < 2 && length < 16) {
		reasons.push('passphrase.fewKinds');
		score -= 1;
	}
	const clamped = Math.max(0, Math.min(4, score)) as PassphraseAssessment['score'];
	return { score: clamped, ok: length >= MIN_LENGTH && clamped >= MIN_OK_SCORE, reasons };
}

function countKinds(p: string): number {
	const kinds = [/\p{Ll}/u, /\p{Lu}/u, /\d/, /\s/, /[^\p{L}\d\s]/u];
	return kinds.filter((kind) => kind.test(p)).length;
}

/** Whether, once common words are taken out, what is left is only digits, symbols or a few letters. */
function isCommon(p: string): boolean {
	let rest = foldText(p).replace(/[^a-z0-9]/g, '');
	if (rest === '') return false;
	let hasCommonWord = false;
	for (const word of COMMON) {
		if (rest.includes(word)) {
			hasCommonWord = true;
			rest = rest.split(word).join('');
		}
	}
	// Digits (years, "123") add little to a common word; fewer than 4 leftover letters neither.
	return hasCommonWord && rest.replace(/\d/g, '').length < 4;
}

/** Whether the passphrase repeats itself: runs, straight sequences, a repeated unit, few symbols. */
function isRepetitive(p: string): boolean {
	const chars = [...p.toLowerCase()];
	if (chars.length === 0) return false;
	if (new Set(chars).size < Math.min(5, chars.length)) return true;
	let run = 1;
	let ascending = 1;
	let descending = 1;
	for (let i = 1; i < chars.length; i++) {
		const step = chars[i].codePointAt(0)! - chars[i - 1].codePointAt(0)!;
		run = step === 0 ? run + 1 : 1;
		ascending = step === 1 ? ascending + 1 : 1;
		descending = step === -1 ? descending + 1 : 1;
		if (run >= 4 || ascending >= 5 || descending >= 5) return true;
	}
	// "abcxyzabcxyz": the whole is one short unit said twice or more.
	const s = chars.join('');
	return /^(.+?)\1+$/su.test(s);
}
