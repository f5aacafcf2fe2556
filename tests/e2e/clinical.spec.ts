// The clinical record at the tablet: the client signs the health-data consent and an interview
// with a finger; microneedling for a client on isotretinoin is blocked until a reason is
// written, and the reason stays in the visit's history; reception cannot open the health
// record, and no clinical envelope is even decrypted while reception works.
import { expect, test, type Page } from '@playwright/test';
import { CardScreens, ConsentScreens, daysAgo, InterviewScreens, VisitScreens } from './pages/clinical';
import { ClientScreens, SessionScreens, StaffScreens } from './pages/app';

const OVERRIDE = 'Konsultacja z dermatologiem: leczenie zakończone, zgoda lekarza na piśmie.';

/** Records every AES-GCM decryption's additional data (which doc and record kind it opened). */
async function recordDecryptions(page: Page): Promise<void> {
	await page.addInitScript(() => {
		const w = window as unknown as { __opened: string[] };
		w.__opened = [];
		const original = SubtleCrypto.prototype.decrypt;
		SubtleCrypto.prototype.decrypt = function (algorithm, key, data) {
			const aad = (algorithm as AesGcmParams).additionalData;
			if (aad) w.__opened.push(new TextDecoder().decode(aad as ArrayBuffer));
			return original.call(this, algorithm, key, data);
		};
	});
}

async function openedSinceReset(page: Page): Promise<string[]> {
	return page.evaluate(() => (window as unknown as { __opened: string[] }).__opened);
}

test('a signed consent and interview; microneedling on isotretinoin starts only with an override reason, kept in the history', async ({ page }) => {
	const session = new SessionScreens(page);
	const clients = new ClientScreens(page);
	const card = new CardScreens(page);
	const consents = new ConsentScreens(page);
	const interview = new InterviewScreens(page);
	const visits = new VisitScreens(page);
	await session.open();
	await session.setUpSalon({ owner: 'Halina Testowa' });
	await clients.addClient({ firstName: 'Zuzanna', lastName: 'Kaczmarek', phone: '601 222 333', birthDate: '1994-05-17' });

	// Without the health-data consent the interview cannot be filled in, and the app says why.
	await card.openTab('Wywiad');
	await expect(page.getByTestId('consent-gate')).toContainText('nie wyraził zgody na przetwarzanie danych o zdrowiu');
	await expect(page.getByRole('button', { name: 'Przeprowadź wywiad' })).toHaveCount(0);
	await page.getByRole('button', { name: 'Odbierz zgodę na dane o zdrowiu' }).click();
	await expect(page.getByTestId('consent-text')).toContainText('art. 9 ust. 2 lit. a RODO');
	await consents.signShownConsent();
	await expect(consents.row('health-data')).toContainText('Udzielona');
	await expect(consents.row('health-data')).toContainText('Halina Testowa');

	// The interview: isotretinoin last taken about three months ago (its flag ticks itself), a latex allergy.
	await card.openTab('Wywiad');
	await expect(page.getByTestId('consent-gate')).toHaveCount(0);
	await interview.startNew();
	await interview.tickCondition('Skłonność do opryszczki');
	const med = await interview.addMedication({ name: 'Izotretynoina', lastTaken: daysAgo(90) });
	await expect(med.getByLabel('Izotretynoina lub inne retinoidy doustne')).toBeChecked();
	await interview.addAllergy({ text: 'lateks', reaction: 'wysypka', severity: 'łagodna' });
	await expect(interview.form.getByTestId('allergy-row').last().getByLabel('Alergen z listy')).toHaveValue('latex');
	await interview.confirmSignAndSave();
	await expect(page.getByTestId('interview-view')).toContainText('Izotretynoina');
	await expect(page.getByText(/Podpisany .* Halina Testowa/)).toBeVisible();

	// Microneedling: the blocking warning names isotretinoin; Start waits for a written reason.
	await card.openTab('Wizyty');
	await visits.begin('Mikronakłuwanie');
	await visits.answerCheck({ newMedication: false, pregnancy: false, tanOrSun: false, herpesNow: false, procedureElsewhere: false });
	const blocking = visits.warnings.filter({ hasText: 'Blokuje' });
	await expect(blocking.filter({ hasText: 'Izotretynoina' })).toHaveCount(1);
	await expect(blocking.filter({ hasText: 'Izotretynoina' })).toContainText('retinoidy doustne');
	await expect(visits.startButton).toBeDisabled();
	await visits.giveOverrideReason('   ');
	await expect(visits.startButton).toBeDisabled();
	await visits.giveOverrideReason(OVERRIDE);
	await expect(visits.startButton).toBeEnabled();
	await visits.start();
	await expect(visits.timeline).toHaveCount(1);
	await expect(visits.timeline.first()).toContainText('rozpoczęta');
	await expect(visits.timeline.first().getByTestId('override-reason')).toContainText(OVERRIDE);

	// Completion: the product with its batch; the history keeps the reason.
	await visits.completeLatest({ area: 'twarz, szyja', batch: 'LOT-2025-117', expiry: '2027-01-31', notes: 'Głębokość 0,5 mm, bez krwawienia.' });
	const done = visits.timeline.first();
	await expect(done).toContainText('zakończona');
	await expect(done).toContainText('Koktajl z kwasem hialuronowym · partia LOT-2025-117');
	await expect(done).toContainText('Głębokość 0,5 mm, bez krwawienia.');
	await expect(done.getByTestId('override-reason')).toContainText(OVERRIDE);
	await expect(done).toContainText('Wykonuje: Halina Testowa');

	// The list shows clinical staff the allergy and warning badges, from the summaries.
	await clients.openList();
	const row = page.getByRole('link', { name: /Kaczmarek Zuzanna/ });
	await expect(row.getByTestId('badge-allergy')).toBeVisible();
	await expect(row.getByTestId('badge-warning')).toBeVisible();
	await expect(row).toContainText('Ostatnia wizyta:');
});

test('reception cannot open the health record, and no clinical data is decrypted while it works', async ({ page }) => {
	await recordDecryptions(page);
	const session = new SessionScreens(page);
	const clients = new ClientScreens(page);
	const staff = new StaffScreens(page);
	const card = new CardScreens(page);
	const consents = new ConsentScreens(page);
	const interview = new InterviewScreens(page);
	const visits = new VisitScreens(page);
	await session.open();
	await session.setUpSalon({ owner: 'Halina Testowa' });
	await staff.addStaff({ name: 'Renata Recepcyjna', role: 'Recepcja', passphrase: 'recepcja lubi zielona herbate', pin: '1357' });
	await clients.addClient({ firstName: 'Marianna', lastName: 'Wójcik', phone: '604 555 666' });
	await card.openTab('Zgody');
	await consents.give('health-data');
	await card.openTab('Wywiad');
	await interview.startNew();
	await interview.addMedication({ name: 'Aknenormin', lastTaken: 'ongoing' });
	await interview.fillNotes('Notatka-Zdrowotna-3141');
	await interview.confirmSignAndSave();
	await expect(page.getByTestId('interview-view')).toContainText('Aknenormin');
	await card.openTab('Wizyty');
	await visits.begin('Manicure hybrydowy');
	await visits.answerCheck({ newMedication: false, pregnancy: false, tanOrSun: false, herpesNow: false, procedureElsewhere: false });
	await visits.start();

	// The receptionist takes over with her PIN: the clinical key leaves memory.
	await page.getByRole('button', { name: 'Zablokuj ekran' }).click();
	await staff.unlockScreen('Renata Recepcyjna', '1357');
	await expect(page.getByTestId('signed-in')).toHaveText('Zalogowano: Renata Recepcyjna');
	// The card left open under the lock drops its health record the moment she takes over.
	await expect(page.getByTestId('clinical-staff-only')).toBeVisible();
	await expect(page.locator('body')).not.toContainText('Aknenormin');
	await page.evaluate(() => ((window as unknown as { __opened: string[] }).__opened = []));

	await clients.openList();
	const row = page.getByRole('link', { name: /Wójcik Marianna/ });
	await expect(row).toContainText('Ostatnia wizyta:');
	await expect(row.getByTestId('badge-allergy')).toHaveCount(0);
	await expect(row.getByTestId('badge-warning')).toHaveCount(0);
	await row.click();
	await expect(page.getByRole('tab', { name: 'Wywiad' })).toHaveCount(0);
	await card.openTab('Zdrowie i wizyty');
	await expect(page.getByTestId('clinical-staff-only')).toHaveText('Dane zdrowotne są tylko dla personelu zabiegowego (kosmetolog, właściciel).');
	await card.openTab('Zgody');
	await expect(consents.row('health-data')).toContainText('Udzielona');
	await expect(page.locator('body')).not.toContainText('Aknenormin');
	await expect(page.locator('body')).not.toContainText('Notatka-Zdrowotna-3141');

	const opened = await openedSinceReset(page);
	// The profile doc was opened (the control), and nothing bound to a clinical doc or summary part.
	expect(opened.some((aad) => aad.includes('|client:'))).toBe(true);
	expect(opened.filter((aad) => aad.includes('clinical'))).toEqual([]);
});

test('withdrawing the health-data consent asks first, keeps the record, and leaves the health record read-only', async ({ page }) => {
	const session = new SessionScreens(page);
	const clients = new ClientScreens(page);
	const card = new CardScreens(page);
	const consents = new ConsentScreens(page);
	const interview = new InterviewScreens(page);
	await session.open();
	await session.setUpSalon({ owner: 'Halina Testowa' });
	await clients.addClient({ firstName: 'Bogumiła', lastName: 'Sowa', phone: '605 777 888' });
	await card.openTab('Zgody');
	await consents.give('health-data');
	await card.openTab('Wywiad');
	await interview.startNew();
	await interview.addMedication({ name: 'Warfaryna', lastTaken: 'ongoing' });
	await interview.confirmSignAndSave();

	await card.openTab('Zgody');
	await consents.row('health-data').getByRole('button', { name: 'Wycofaj zgodę' }).click();
	await expect(page.getByRole('alertdialog')).toContainText('Na pewno wycofać tę zgodę?');
	await page.getByRole('button', { name: 'Tak, wycofaj' }).click();
	await expect(consents.row('health-data')).toContainText('Wycofana');
	await expect(consents.row('health-data')).toContainText(/Udzielona .* Halina Testowa/);

	// Read-only with the reason shown; what was recorded stays readable.
	await card.openTab('Wywiad');
	await expect(page.getByTestId('consent-gate')).toContainText('została wycofana');
	await expect(page.getByRole('button', { name: /Nowy wywiad/ })).toHaveCount(0);
	await expect(page.getByTestId('interview-view')).toContainText('Warfaryna');
	await card.openTab('Wizyty');
	await expect(page.getByRole('button', { name: 'Rozpocznij wizytę' })).toHaveCount(0);
	await card.openTab('Dane');
	await expect(page.getByTestId('history').locator('li').first()).toContainText('wycofanie zgody');

	// A new consent, signed again, opens the record for writing.
	await card.openTab('Wizyty');
	await page.getByRole('button', { name: 'Odbierz zgodę na dane o zdrowiu' }).click();
	await consents.signShownConsent();
	await card.openTab('Wizyty');
	await expect(page.getByTestId('consent-gate')).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Rozpocznij wizytę' })).toBeVisible();
});
