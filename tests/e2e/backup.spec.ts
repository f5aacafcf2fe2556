// Data that cannot be lost: back up, clear the site's data, restore from the file, every client is
// back; a wrong passphrase or a damaged file changes nothing and says so.
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ClientScreens, SessionScreens } from './pages/app';

const BACKUP_PASSPHRASE = 'kopia w szufladzie recepcji';

async function makeBackup(page: Page, path: string): Promise<void> {
	await page.getByRole('navigation').getByRole('link', { name: 'Dane' }).click();
	await page.getByLabel('Hasło kopii zapasowej', { exact: true }).fill(BACKUP_PASSPHRASE);
	await page.getByLabel('Powtórz hasło kopii').fill(BACKUP_PASSPHRASE);
	const download = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Utwórz kopię teraz' }).click();
	const file = await download;
	expect(file.suggestedFilename()).toMatch(/^kartoteka-kopia-\d{4}-\d{2}-\d{2}\.kbak$/);
	await file.saveAs(path);
	await expect(page.getByTestId('last-backup')).toContainText('Ostatnia kopia na tym urządzeniu');
}

async function clearSiteData(page: Page): Promise<void> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Storage.clearDataForOrigin', { origin: new URL(page.url()).origin, storageTypes: 'all' });
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Witamy w Kartotece' })).toBeVisible();
}

async function restore(page: Page, path: string, passphrase: string): Promise<void> {
	await page.getByLabel('Plik kopii (.kbak)').setInputFiles(path);
	await page.getByLabel('Hasło tej kopii').fill(passphrase);
	await page.getByRole('button', { name: 'Przywróć', exact: true }).click();
}

test('back up, clear the site data, restore from the file: every client is back', async ({ page }, info) => {
	const session = new SessionScreens(page);
	const clients = new ClientScreens(page);
	await session.open();
	await session.setUpSalon();
	await expect(page.getByTestId('backup-reminder')).toBeVisible();
	const names = [
		{ firstName: 'Żaneta', lastName: 'Głowacka', phone: '600 700 800' },
		{ firstName: 'Urszula', lastName: 'Świątek', email: 'ula@example.org' },
		{ firstName: 'Józef', lastName: 'Łęcki' }
	];
	for (const c of names) await clients.addClient(c);
	const path = info.outputPath('salon.kbak');
	await makeBackup(page, path);
	await clients.openList();
	await expect(page.getByTestId('backup-reminder')).toHaveCount(0);

	await clearSiteData(page);
	await page.getByRole('button', { name: 'Przywróć z kopii zapasowej' }).click();

	// A damaged copy and a wrong passphrase are refused, and nothing is created.
	const bytes = readFileSync(path);
	const damaged = info.outputPath('damaged.kbak');
	bytes[bytes.length - 100] ^= 0x01;
	writeFileSync(damaged, bytes);
	await restore(page, damaged, BACKUP_PASSPHRASE);
	await expect(page.getByTestId('restore-error')).toHaveText('Kopia jest uszkodzona. Użyj innej kopii. Nic nie zostało zmienione.');
	await restore(page, path, 'zle haslo do tej kopii');
	await expect(page.getByTestId('restore-error')).toHaveText('Nieprawidłowe hasło kopii zapasowej. Nic nie zostało zmienione.');
	expect(await page.evaluate(() => localStorage.getItem('kartoteka.salons'))).toBeNull();

	await restore(page, path, BACKUP_PASSPHRASE);
	await expect(page.getByRole('heading', { name: 'Odblokuj kartotekę' })).toBeVisible();
	await session.unlock();
	await expect(clients.listNames()).toHaveText(['Głowacka Żaneta', 'Łęcki Józef', 'Świątek Urszula']);
	await page.getByRole('link', { name: /Głowacka Żaneta/ }).click();
	await expect(page.getByTestId('card-phone')).toHaveText('+48 600 700 800');
});
