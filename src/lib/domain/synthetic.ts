// Synthetic Polish clients for the demo salon, tests and benchmarks. Guarantees: the same seed
// always gives the same client; names are drawn from common Polish names (no real person is
// described), e-mails use reserved example domains, surnames agree with the client's gender
// (Wiśniewska/Wiśniewski), and every profile passes validation and the profile doc's schema.
import type { ClientProfile, ContactChannel } from './client';
import { daysInMonth } from './dates';
import { foldText } from './search';

const FEMALE = [
	'Anna', 'Maria', 'Katarzyna', 'Małgorzata', 'Agnieszka', 'Barbara', 'Ewa', 'Krystyna',
	'Elżbieta', 'Zofia', 'Grażyna', 'Łucja', 'Żaneta', 'Jolanta', 'Bożena', 'Halina', 'Jadwiga',
	'Urszula', 'Danuta', 'Wiesława', 'Aleksandra', 'Zuzanna', 'Joanna', 'Dorota', 'Beata',
	'Iwona', 'Teresa', 'Stanisława', 'Józefa', 'Kinga', 'Weronika', 'Patrycja'
];
const MALE = ['Zdzisław', 'Łukasz', 'Paweł', 'Michał', 'Grzegorz', 'Wojciech', 'Józef', 'Tomasz', 'Mirosław', 'Jędrzej'];

// [masculine, feminine]; one spelling when the surname does not change with gender.
const LAST_NAMES: [string, string][] = [
	['Wiśniewski', 'Wiśniewska'], ['Żółkiewski', 'Żółkiewska'], ['Kowalski', 'Kowalska'],
	['Nowicki', 'Nowicka'], ['Wróblewski', 'Wróblewska'], ['Dąbrowski', 'Dąbrowska'],
	['Lewandowski', 'Lewandowska'], ['Zieliński', 'Zielińska'], ['Szymański', 'Szymańska'],
	['Woźniak', 'Woźniak'], ['Kołodziej', 'Kołodziej'], ['Gąsior', 'Gąsior'], ['Nowak', 'Nowak'],
	['Kamiński', 'Kamińska'], ['Jabłoński', 'Jabłońska'], ['Mazur', 'Mazur'], ['Król', 'Król'],
	['Wójcik', 'Wójcik'], ['Kaczmarek', 'Kaczmarek'], ['Pietrzak', 'Pietrzak'], ['Sikora', 'Sikora'],
	['Ślusarczyk', 'Ślusarczyk'], ['Łęcki', 'Łęcka'], ['Źrebiec', 'Źrebiec'], ['Żak', 'Żak'],
	['Świątek', 'Świątek'], ['Głowacki', 'Głowacka'], ['Michalski', 'Michalska'], ['Czerwiński', 'Czerwińska'],
	['Błaszczyk', 'Błaszczyk'], ['Grabowski', 'Grabowska'], ['Pawłowski', 'Pawłowska'],
	['Ostrowski', 'Ostrowska'], ['Zając', 'Zając'], ['Chmielewski', 'Chmielewska'], ['Ćwik', 'Ćwik'],
	['Adamczyk', 'Adamczyk'], ['Olszewski', 'Olszewska'], ['Stępień', 'Stępień'], ['Rutkowski', 'Rutkowska']
];

const STREETS = ['Lipowa', 'Kwiatowa', 'Słoneczna', 'Mickiewicza', 'Długa', 'Źródlana', 'Ogrodowa', 'Polna'];
const CITIES = ['Kraków', 'Łódź', 'Gdańsk', 'Poznań', 'Wrocław', 'Żyrardów', 'Bielsko-Biała'];
const NOTES = [
	'Skóra wrażliwa, skłonna do zaczerwienień. Unikać kwasów o wysokim stężeniu.',
	'Preferuje wizyty rano. Kawa bez cukru.',
	'Alergia na lateks — używać rękawiczek nitrylowych.',
	'Cera mieszana, strefa T przetłuszczająca się.',
	''
];
const CHANNELS: ContactChannel[] = ['phone', 'sms', 'sms', 'email', 'none'];
const DOMAINS = ['example.com', 'example.net', 'example.org'];

/** A seeded PRNG (mulberry32): tiny, fast, and the same sequence on every platform. */
export function makeRandom(seed: number): () => number {
	let a = (seed * 2654435761) >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A deterministic synthetic client profile for `seed`. */
export function makeClientProfile(seed: number): ClientProfile {
	const random = makeRandom(seed);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
	const isFemale = random() < 0.85; // most salon clients are women
	const firstName = pick(isFemale ? FEMALE : MALE);
	const lastName = pick(LAST_NAMES)[isFemale ? 1 : 0];
	const prefix = pick(['5', '6', '7']);
	const rest = String(Math.floor(random() * 1e8)).padStart(8, '0');
	const year = 1950 + Math.floor(random() * 59);
	const month = 1 + Math.floor(random() * 12);
	const day = 1 + Math.floor(random() * daysInMonth(year, month));
	const hasBirthDate = random() < 0.9;
	const slug = (s: string) => foldText(s).replace(/[^a-z0-9]/g, '');
	return {
		firstName,
		lastName,
		birthDate: hasBirthDate ? `${year}-${pad(month)}-${pad(day)}` : null,
		phone: `+48${prefix}${rest}`,
		email: random() < 0.8 ? `${slug(firstName)}.${slug(lastName)}${seed % 1000}@${pick(DOMAINS)}` : '',
		address: `ul. ${pick(STREETS)} ${1 + Math.floor(random() * 120)}, ${pick(CITIES)}`,
		contactChannel: pick(CHANNELS),
		note: pick(NOTES),
		archived: random() < 0.05
	};
}

function pad(n: number): string {
	return String(n).padStart(2, '0');
}
