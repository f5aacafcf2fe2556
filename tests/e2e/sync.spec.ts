// Two tablets of one salon, as two separate Chromium instances, sync over WebRTC through the relay
// of the test server. The second tablet joins by restoring the first one's backup (invites come
// later). Traffic stays on this machine: no STUN/TURN (iceServers []), mDNS host names off, and the
// microphone permission granted so Chromium gathers host candidates (DESIGN, sync section).
import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type BrowserType, type LaunchOptions, type Page } from '@playwright/test';
import { ClientScreens, SessionScreens } from './pages/app';

// Added to the config's Debian Chromium and CHROMIUM_ARGS (scripts/setup.mjs).
const WEBRTC_ARGS = ['--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'];
const BACKUP_PASSPHRASE = 'kopia dla drugiego tabletu';

const browsers: Browser[] = [];
test.afterEach(async () => {
	for (const browser of browsers.splice(0)) await browser.close();
});

/** What the config gives a test to launch browsers with. */
interface Launcher {
	browserType: BrowserType;
	launchOptions: LaunchOptions;
	baseURL: string | undefined;
}

/** One tablet: its own Chromium process, profile and storage. */
async function openTablet(launcher: Launcher): Promise<Page> {
	const { browserType, launchOptions, baseURL } = launcher;
	const browser = await browserType.launch({ ...launchOptions, args: [...(launchOptions.args ?? []), ...WEBRTC_ARGS] });
	browsers.push(browser);
	const context = await browser.newContext({
		baseURL,
		locale: 'pl-PL',
		timezoneId: 'Europe/Warsaw',
		viewport: { width: 1280, height: 800 },
		permissions: ['microphone']
	});
	return context.newPage();
}

async function makeBackup(page: Page, path: string): Promise<void> {
	await page.getByRole('navigation').getByRole('link', { name: 'Dane' }).click();
	await page.getByLabel('Hasło kopii zapasowej', { exact: true }).fill(BACKUP_PASSPHRASE);
	await page.getByLabel('Powtórz hasło kopii').fill(BACKUP_PASSPHRASE);
	const download = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Utwórz kopię teraz' }).click();
	await (await download).saveAs(path);
}

async function restoreBackup(page: Page, path: string): Promise<void> {
	await page.getByRole('button', { name: 'Przywróć z kopii zapasowej' }).click();
	await page.getByLabel('Plik kopii (.kbak)').setInputFiles(path);
	await page.getByLabel('Hasło tej kopii').fill(BACKUP_PASSPHRASE);
	await page.getByRole('button', { name: 'Przywróć', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Odblokuj kartotekę' })).toBeVisible();
}

/** Tablet A sets up the salon with one client; tablet B joins by restoring A's backup. */
async function twoTablets(launcher: Launcher, backupPath: string) {
	const a = await openTablet(launcher);
	const b = await openTablet(launcher);
	const tablets = { a, b, clientsA: new ClientScreens(a), clientsB: new ClientScreens(b) };
	const sessionA = new SessionScreens(a);
	const sessionB = new SessionScreens(b);
	await sessionA.open();
	await sessionA.setUpSalon();
	await tablets.clientsA.addClient({ firstName: 'Żaneta', lastName: 'Głowacka', phone: '600 700 800' });
	await makeBackup(a, backupPath);
	expect(readFileSync(backupPath).byteLength).toBeGreaterThan(0);
	await sessionB.open();
	await restoreBackup(b, backupPath);
	await sessionB.unlock();
	await expect(tablets.clientsB.listNames()).toHaveText(['Głowacka Żaneta']);
	for (const page of [a, b]) await expect(page.getByTestId('sync-status')).toHaveAttribute('data-peers', '1', { timeout: 30_000 });
	return tablets;
}

test('a client added on one tablet appears on the other, both ways', async ({ playwright, launchOptions, baseURL }, info) => {
	test.setTimeout(120_000);
	const { clientsA, clientsB } = await twoTablets({ browserType: playwright.chromium, launchOptions, baseURL }, info.outputPath('salon.kbak'));

	// Live: nothing is reloaded, the new card arrives over the peer link.
	await clientsA.addClient({ firstName: 'Urszula', lastName: 'Świątek', email: 'ula@example.org' });
	await expect(clientsB.listNames()).toHaveText(['Głowacka Żaneta', 'Świątek Urszula'], { timeout: 30_000 });

	await clientsB.addClient({ firstName: 'Józef', lastName: 'Łęcki' });
	await clientsA.openList();
	await expect(clientsA.listNames()).toHaveText(['Głowacka Żaneta', 'Łęcki Józef', 'Świątek Urszula'], { timeout: 30_000 });
});

test('with sync paused each tablet keeps its own new clients; after resuming both have all', async ({ playwright, launchOptions, baseURL }, info) => {
	test.setTimeout(120_000);
	const { a, b, clientsA, clientsB } = await twoTablets({ browserType: playwright.chromium, launchOptions, baseURL }, info.outputPath('salon.kbak'));

	await b.getByRole('button', { name: 'Wstrzymaj synchronizację' }).click();
	await expect(b.getByTestId('sync-status')).toHaveText('Synchronizacja wstrzymana');
	await expect(a.getByTestId('sync-status')).toHaveAttribute('data-peers', '0', { timeout: 30_000 });

	await clientsA.addClient({ firstName: 'Urszula', lastName: 'Świątek' });
	await clientsB.addClient({ firstName: 'Józef', lastName: 'Łęcki' });
	await clientsA.openList();
	await clientsB.openList();
	await expect(clientsA.listNames()).toHaveText(['Głowacka Żaneta', 'Świątek Urszula']);
	await expect(clientsB.listNames()).toHaveText(['Głowacka Żaneta', 'Łęcki Józef']);

	await b.getByRole('button', { name: 'Wznów synchronizację' }).click();
	const all = ['Głowacka Żaneta', 'Łęcki Józef', 'Świątek Urszula'];
	await expect(clientsA.listNames()).toHaveText(all, { timeout: 30_000 });
	await expect(clientsB.listNames()).toHaveText(all, { timeout: 30_000 });
});
