// Staff, roles and the two locks at a shared tablet: the owner adds a receptionist, the screen
// locks by itself, the receptionist takes over with her PIN and her edit carries her name;
// five wrong PINs end in the passphrase screen; a second tab never writes on its own.
import { expect, test } from '@playwright/test';
import { ClientScreens, OWNER_PIN, SessionScreens, StaffScreens } from './pages/app';

test('a receptionist takes over with her PIN after the screen locks, and the history names her', async ({ page }) => {
	// A short screen-lock time for the test (the salon setting is in minutes).
	await page.addInitScript(() => localStorage.setItem('kartoteka.screen-lock-ms', '3000'));
	const session = new SessionScreens(page);
	const clients = new ClientScreens(page);
	const staff = new StaffScreens(page);
	await session.open();
	await session.setUpSalon({ owner: 'Halina Testowa' });
	await clients.addClient({ firstName: 'Weronika', lastName: 'Sikora', phone: '603 111 222' });
	await staff.addStaff({ name: 'Renata Recepcyjna', role: 'Recepcja', passphrase: 'recepcja lubi zielona herbate', pin: '1357' });
	await expect(page.getByTestId('staff-list')).toContainText('Recepcja');

	// Idle: the screen locks by itself and hides everything.
	await expect(page.getByRole('heading', { name: 'Ekran zablokowany' })).toBeVisible({ timeout: 15_000 });
	await expect(page.getByTestId('signed-in')).toBeHidden();
	await staff.unlockScreen('Renata Recepcyjna', '1357');
	await expect(page.getByTestId('signed-in')).toHaveText('Zalogowano: Renata Recepcyjna');

	await clients.openList();
	await page.getByRole('link', { name: /Sikora Weronika/ }).click();
	await page.getByRole('button', { name: 'Edytuj dane' }).click();
	await clients.fillForm({ phone: '603 999 888' });
	await page.getByRole('button', { name: 'Zapisz' }).click();
	const latest = page.getByTestId('history').locator('li').first();
	await expect(latest).toContainText('Renata Recepcyjna');
	await expect(latest).toContainText('telefon');
	await expect(page.getByTestId('card-phone')).toHaveText('+48 603 999 888');

	// Back to the owner by PIN: after reception, the owner types her passphrase once more.
	await page.getByRole('button', { name: 'Zablokuj ekran' }).click();
	await staff.unlockScreen('Halina Testowa', OWNER_PIN);
	await expect(page.getByText('Halina Testowa: po pracy recepcji dane zdrowotne zostały zamknięte.')).toBeVisible();
	await page.getByLabel('Hasło', { exact: true }).fill('zielony kot pije mleko');
	await page.getByRole('dialog').getByRole('button', { name: 'Odblokuj' }).click();
	await expect(page.getByTestId('signed-in')).toHaveText('Zalogowano: Halina Testowa');
});

test('five wrong PINs lead to the passphrase screen', async ({ page }) => {
	const session = new SessionScreens(page);
	const staff = new StaffScreens(page);
	await session.open();
	await session.setUpSalon({ owner: 'Halina Testowa' });
	await page.getByRole('button', { name: 'Zablokuj ekran' }).click();
	for (let i = 0; i < 4; i++) {
		await staff.unlockScreen('Halina Testowa', '0000');
		await expect(page.getByText('Nieprawidłowy PIN.')).toBeVisible();
	}
	await staff.unlockScreen('Halina Testowa', '9999');
	await expect(page.getByRole('heading', { name: 'Odblokuj kartotekę' })).toBeVisible();
	await session.unlock();
	await expect(page.getByTestId('signed-in')).toHaveText('Zalogowano: Halina Testowa');
});

test('a second tab of the app does not write on its own and takes over when the first closes', async ({ page, context }) => {
	const session = new SessionScreens(page);
	const clients = new ClientScreens(page);
	await session.open();
	await session.setUpSalon();
	await clients.addClient({ firstName: 'Jolanta', lastName: 'Pietrzak' });

	const second = await context.newPage();
	await second.goto('/');
	await expect(second.getByTestId('open-elsewhere')).toBeVisible();
	await expect(second.getByRole('button', { name: 'Odblokuj' })).toHaveCount(0);
	await expect(second.getByLabel('Hasło', { exact: true })).toHaveCount(0);

	// The first tab keeps working while the second waits.
	await clients.addClient({ firstName: 'Kinga', lastName: 'Mazur' });
	await page.close();
	const secondSession = new SessionScreens(second);
	await expect(second.getByRole('heading', { name: 'Odblokuj kartotekę' })).toBeVisible();
	await secondSession.unlock();
	await expect(new ClientScreens(second).listNames()).toHaveText(['Mazur Kinga', 'Pietrzak Jolanta']);
});
