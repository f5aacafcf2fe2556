// Nothing personal in plaintext anywhere the browser keeps things: after a client with a
// distinctive name, phone and note is created, every IndexedDB database and object store (keys
// and values), Cache Storage, localStorage, sessionStorage and OPFS are read from the page, and
// none of those strings may appear, as text or as UTF-8 or UTF-16 bytes inside binary values.
import { expect, test } from '@playwright/test';
import { ClientScreens, SessionScreens } from './pages/app';
import { CardScreens, ConsentScreens, InterviewScreens, VisitScreens } from './pages/clinical';
import { CANARY, plantCanary, scanBrowserStorage } from './pages/storage-scan';

const SECRETS = {
	firstName: 'Kunegunda',
	lastName: 'Przybyszewska-Ździebło',
	phone: '698 765 432',
	note: 'Notatka-Wyróżnik-7781 uczulona na pyłek brzozy'
};

test('no personal data is stored in plaintext in any browser storage', async ({ page }) => {
	const session = new SessionScreens(page);
	const clients = new ClientScreens(page);
	await session.open();
	await session.setUpSalon({ salon: 'Salon Sekretny', owner: 'Halina Testowa' });
	await clients.addClient({ ...SECRETS, email: 'kunegunda.przybyszewska@example.net', birthDate: '1987-03-09' });
	// Edit once so the update log, not only the first snapshot, holds the data.
	await page.getByRole('button', { name: 'Edytuj dane' }).click();
	await clients.fillForm({ address: 'ul. Zawiszy Czarnego 17, Żyrardów' });
	await page.getByRole('button', { name: 'Zapisz' }).click();
	await expect(page.getByText('ul. Zawiszy Czarnego 17, Żyrardów')).toBeVisible();

	const needles = [
		SECRETS.firstName,
		SECRETS.lastName,
		'Przybyszewska',
		'698765432',
		'698 765 432',
		'Notatka-Wyróżnik-7781',
		'kunegunda.przybyszewska',
		'Zawiszy Czarnego',
		'Salon Sekretny',
		'Halina Testowa'
	];
	// A control: the scanner must see a planted canary as UTF-8 bytes in IndexedDB, as UTF-16
	// bytes in a Blob and as text in sessionStorage, or a blind scanner would pass.
	await plantCanary(page);
	needles.push(CANARY);

	const found = await scanBrowserStorage(page, needles);

	// The scan must have looked at the real salon data, or an empty scan would pass.
	expect(found.databases).toBeGreaterThanOrEqual(1);
	expect(found.storesSeen).toBeGreaterThanOrEqual(5);
	expect(found.valuesSeen).toBeGreaterThan(20);
	const control = found.hits.filter((h) => h.endsWith(CANARY));
	expect(control.some((h) => h.startsWith('idb scan-control/s'))).toBe(true);
	expect(control.some((h) => h.startsWith('sessionStorage'))).toBe(true);
	expect(control.length).toBeGreaterThanOrEqual(3);
	expect(found.hits.filter((h) => !h.endsWith(CANARY))).toEqual([]);
});

// Distinctive strings typed into the health interview, the pre-treatment check and the visit.
const CLINICAL_SECRETS = {
	medication: 'Izotretynoina-Wyróżnik-5521',
	allergy: 'Truskawki-Wyróżnik-6632',
	reaction: 'Pokrzywka-Wyróżnik-1203',
	interviewNotes: 'Wywiad-Wyróżnik-4410',
	checkMedication: 'Suplement-Wyróżnik-3390',
	checkNote: 'Kontrola-Wyróżnik-7743',
	overrideReason: 'Powód-Wyróżnik-9965',
	visitNotes: 'Przebieg-Wyróżnik-8854',
	batch: 'LOT-Wyróżnik-4417'
};

test('health data typed into the interview, the check and the visit is stored in no browser storage in plaintext', async ({ page }) => {
	const session = new SessionScreens(page);
	const clients = new ClientScreens(page);
	const card = new CardScreens(page);
	const interview = new InterviewScreens(page);
	const visits = new VisitScreens(page);
	await session.open();
	await session.setUpSalon({ salon: 'Salon Zdrowy', owner: 'Halina Testowa' });
	await clients.addClient({ firstName: 'Genowefa', lastName: 'Pigwa', phone: '697 100 200' });
	await card.openTab('Zgody');
	await new ConsentScreens(page).give('health-data');

	await card.openTab('Wywiad');
	await interview.startNew();
	await interview.addMedication({ name: CLINICAL_SECRETS.medication, lastTaken: 'ongoing' });
	await interview.addAllergy({ text: CLINICAL_SECRETS.allergy, reaction: CLINICAL_SECRETS.reaction, severity: 'umiarkowana' });
	await interview.fillNotes(CLINICAL_SECRETS.interviewNotes);
	await interview.confirmSignAndSave();

	await card.openTab('Wizyty');
	await visits.begin('Mikronakłuwanie');
	await visits.answerCheck({ newMedication: true, pregnancy: false, tanOrSun: false, herpesNow: false, procedureElsewhere: false, note: CLINICAL_SECRETS.checkNote });
	await visits.describeNewMedication(CLINICAL_SECRETS.checkMedication);
	await visits.giveOverrideReason(CLINICAL_SECRETS.overrideReason);
	await visits.start();
	await visits.completeLatest({ batch: CLINICAL_SECRETS.batch, notes: CLINICAL_SECRETS.visitNotes });
	// The control: all of it is on screen, so it really was typed and saved.
	await expect(visits.timeline.first()).toContainText(CLINICAL_SECRETS.visitNotes);
	await expect(visits.timeline.first()).toContainText(CLINICAL_SECRETS.overrideReason);
	await card.openTab('Wywiad');
	await expect(page.getByTestId('interview-view')).toContainText(CLINICAL_SECRETS.allergy);

	await plantCanary(page);
	const found = await scanBrowserStorage(page, [...Object.values(CLINICAL_SECRETS), 'Wyróżnik', CANARY]);
	expect(found.storesSeen).toBeGreaterThanOrEqual(5);
	expect(found.valuesSeen).toBeGreaterThan(20);
	expect(found.hits.filter((h) => h.endsWith(CANARY)).length).toBeGreaterThanOrEqual(3);
	expect(found.hits.filter((h) => !h.endsWith(CANARY))).toEqual([]);
});
