// Editing a card: invalid input is explained next to the field and nothing is saved half-way;
// a save names who changed which fields; archive and restore.
import { expect, test } from '@playwright/test';
import { ClientScreens, SessionScreens } from './pages/app';

test('invalid phone and e-mail are explained next to the field and nothing is saved', async ({ page }) => {
	const session = new SessionScreens(page);
	const clients = new ClientScreens(page);
	await session.open();
	await session.setUpSalon();
	await page.getByRole('link', { name: 'Nowy klient' }).click();
	await clients.fillForm({ firstName: 'Bożena', lastName: 'Nowak', phone: '12 34', email: 'bozena@' });
	await page.getByRole('button', { name: 'Zapisz' }).click();
	await expect(page.locator('#phone-error')).toContainText('To nie wygląda na numer telefonu');
	await expect(page.locator('#email-error')).toContainText('imie@domena.pl');
	await expect(page.getByText('Popraw zaznaczone pola — nic nie zostało zapisane.')).toBeVisible();
	await clients.openList();
	await expect(page.getByText('Brak klientów.')).toBeVisible();
});

test('an edit shows who changed which fields, and archive hides the client until restored', async ({ page }) => {
	const session = new SessionScreens(page);
	const clients = new ClientScreens(page);
	await session.open();
	await session.setUpSalon({ owner: 'Jadwiga Właścicielka' });
	await clients.addClient({ firstName: 'Teresa', lastName: 'Mazur', phone: '602 000 111' });
	await page.getByRole('button', { name: 'Edytuj dane' }).click();
	await clients.fillForm({ email: 'teresa.mazur@example.org', note: 'Woli wizyty rano.' });
	await page.getByRole('button', { name: 'Zapisz' }).click();
	const history = page.getByTestId('history').locator('li');
	await expect(history).toHaveCount(2);
	await expect(history.first()).toContainText('Jadwiga Właścicielka');
	await expect(history.first()).toContainText('e-mail, notatka');
	await expect(page.getByText('Woli wizyty rano.')).toBeVisible();

	await page.getByRole('button', { name: 'Archiwizuj' }).click();
	await expect(page.getByText('Ta karta jest w archiwum.')).toBeVisible();
	await clients.openList();
	await expect(page.getByText('Brak klientów', { exact: false })).toHaveCount(0);
	await expect(clients.listNames()).toHaveCount(0);
	await page.getByLabel('Pokaż zarchiwizowanych').check();
	await expect(clients.listNames()).toHaveText(['Mazur Teresa']);
	await page.getByRole('link', { name: /Mazur Teresa/ }).click();
	await page.getByRole('button', { name: 'Przywróć z archiwum' }).click();
	await expect(page.getByText('Ta karta jest w archiwum.')).toHaveCount(0);
	await clients.openList();
	await page.getByLabel('Pokaż zarchiwizowanych').uncheck();
	await expect(clients.listNames()).toHaveText(['Mazur Teresa']);
});

test('the interface switches to English and back', async ({ page }) => {
	const session = new SessionScreens(page);
	await session.open();
	await session.setUpSalon();
	await page.getByRole('link', { name: 'Ustawienia' }).click();
	await page.getByRole('radio', { name: 'English' }).click();
	await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
	await expect(page.getByTestId('storage-usage')).toContainText(/Used: .* of .* available/);
	await page.getByRole('radio', { name: 'Polski' }).click();
	await expect(page.getByRole('heading', { name: 'Ustawienia' })).toBeVisible();
});
