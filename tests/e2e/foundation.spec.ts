// The foundation as a salon meets it: setup, clients with Polish names, folded search, locking,
// the offline start, wrong passphrases and the recovery key.
import { expect, test } from '@playwright/test';
import { ClientScreens, SessionScreens } from './pages/app';

test('a weak passphrase is refused with the reason, a strong one sets up the salon', async ({ page }) => {
	const session = new SessionScreens(page);
	await session.open();
	await page.getByRole('button', { name: 'Załóż salon' }).click();
	await page.getByLabel('Hasło właściciela').fill('haslo123');
	await expect(page.getByTestId('passphrase-reasons')).toContainText('za krótkie');
	await page.getByLabel('Hasło właściciela').fill('qwerty123456');
	await expect(page.getByTestId('passphrase-reasons')).toContainText('zbyt popularne');
	await page.getByLabel('Nazwa salonu').fill('Salon X');
	await page.getByLabel('Imię i nazwisko właściciela').fill('Halina Testowa');
	await page.getByLabel('Powtórz hasło').fill('qwerty123456');
	await expect(page.getByRole('button', { name: 'Załóż salon' })).toBeDisabled();
	await page.getByRole('button', { name: 'Anuluj' }).click();
	const key = await session.setUpSalon();
	expect(key).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
	await expect(page.getByTestId('signed-in')).toContainText('Halina Testowa');
});

test('a client with diacritics is found by folded name, phone digits and e-mail', async ({ page }) => {
	const session = new SessionScreens(page);
	const clients = new ClientScreens(page);
	await session.open();
	await session.setUpSalon();
	await clients.addClient({ firstName: 'Łucja', lastName: 'Żółć-Gąsiorowska', phone: '600 100 200', email: 'lucja.z@example.com', birthDate: '1990-05-17' });
	await clients.addClient({ firstName: 'Łukasz', lastName: 'Wiśniewski', phone: '+48 511 222 333' });
	await clients.openList();
	await expect(clients.listNames()).toHaveCount(2);
	for (const query of ['zolc', 'ŻÓŁĆ', 'lucja gasiorowska', '600 100', '+48600100200', 'lucja.z@']) {
		await clients.search(query);
		await expect(clients.listNames(), query).toHaveText(['Żółć-Gąsiorowska Łucja']);
	}
	await clients.search('lukasz');
	await expect(clients.listNames()).toHaveText(['Wiśniewski Łukasz']);
	await clients.search('nikogo-takiego');
	await expect(page.getByText('Nikt nie pasuje do „nikogo-takiego”.')).toBeVisible();
});

test('after a reload with the network off the app starts, unlocks and still has the client', async ({ page, context }) => {
	const session = new SessionScreens(page);
	const clients = new ClientScreens(page);
	await session.open();
	await session.setUpSalon();
	await clients.addClient({ firstName: 'Grażyna', lastName: 'Kołodziej', phone: '601 202 303' });
	// The service worker must control the page before the network goes away.
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await page.reload();
	await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Odblokuj kartotekę' })).toBeVisible();
	await session.unlock();
	await clients.openList();
	await clients.search('grazyna');
	await expect(clients.listNames()).toHaveText(['Kołodziej Grażyna']);
	await page.getByRole('link', { name: /Kołodziej Grażyna/ }).click();
	await expect(page.getByTestId('card-phone')).toHaveText('+48 601 202 303');
});

test('a wrong passphrase gets its message and the recovery key unlocks', async ({ page }) => {
	const session = new SessionScreens(page);
	const clients = new ClientScreens(page);
	await session.open();
	const recoveryKey = await session.setUpSalon();
	await clients.addClient({ firstName: 'Zdzisław', lastName: 'Ćwik' });
	await session.lock();
	await session.unlock('zielony kot pije wodę');
	await expect(page.getByRole('alert')).toHaveText('Nieprawidłowe hasło. Sprawdź, czy nie jest włączony Caps Lock, i spróbuj ponownie.');
	await session.unlockWithRecovery('AAAA-BBBB');
	await expect(page.getByRole('alert')).toContainText('Klucz odzyskiwania ma 32 znaki');
	await page.getByLabel('Klucz odzyskiwania').fill(recoveryKey.toLowerCase().replaceAll('-', ' '));
	await page.getByRole('button', { name: 'Odblokuj' }).click();
	await expect(page.getByTestId('signed-in')).toContainText('Halina Testowa');
	await clients.openList();
	await expect(clients.listNames()).toHaveText(['Ćwik Zdzisław']);
});
