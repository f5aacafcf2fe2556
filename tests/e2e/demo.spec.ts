// The demo salon: no setup, ~200 synthetic clients, marked on every screen, removable in one step,
// and never mixed with the real salon.
import { expect, test } from '@playwright/test';
import { ClientScreens, SessionScreens } from './pages/app';

test('the demo salon opens without setup, is marked everywhere and is removed in one step', async ({ page }) => {
	const session = new SessionScreens(page);
	const clients = new ClientScreens(page);
	await session.open();
	await page.getByRole('button', { name: 'Wypróbuj na danych demo' }).click();
	await expect(page.getByTestId('demo-badge')).toBeVisible({ timeout: 30_000 });
	// Some synthetic clients are archived: the count shows how many are listed of all 200.
	await expect(page.getByTestId('client-count')).toHaveText(/^\d+ z 200$/);
	await page.getByRole('link', { name: 'Ustawienia' }).click();
	await expect(page.getByTestId('demo-badge')).toBeVisible();
	// The fictional salon never syncs, and no tablet can be invited into it.
	await page.getByRole('link', { name: 'Urządzenia' }).click();
	await expect(page.getByTestId('devices-demo')).toHaveText('Salon demo nie synchronizuje się i nie można do niego dodawać urządzeń.');
	await expect(page.getByRole('button', { name: 'Dodaj urządzenie' })).toHaveCount(0);
	await clients.openList();
	await page.getByTestId('client-list').locator('a').first().click();
	await expect(page.getByTestId('demo-badge')).toBeVisible();

	// A real salon set up beside it does not see the demo's clients.
	await session.lock();
	await expect(page.getByRole('button', { name: 'Otwórz salon demo' })).toBeVisible();
	await session.setUpSalon();
	await expect(page.getByTestId('demo-badge')).toHaveCount(0);
	await expect(page.getByText('Brak klientów.')).toBeVisible();

	await session.lock();
	await page.getByRole('button', { name: 'Otwórz salon demo' }).click();
	await page.getByRole('link', { name: 'Ustawienia' }).click();
	page.once('dialog', (d) => d.accept());
	await page.getByRole('button', { name: 'Usuń salon demo z tego urządzenia' }).click();
	await expect(page.getByRole('heading', { name: 'Odblokuj kartotekę' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Otwórz salon demo' })).toHaveCount(0);
	const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
	expect(databases.filter((n) => n?.startsWith('kartoteka-salon-'))).toHaveLength(1);
	await session.unlock();
	await expect(page.getByText('Brak klientów.')).toBeVisible();
});
