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

/** A value on the open card, by its label ("E-mail", "Adres (opcjonalnie)"). */
function cardValue(page: Page, label: string) {
	return page.locator(`div:has(> dt:text-is("${label}")) > dd`);
}

async function openCard(page: Page, clients: ClientScreens, name: string): Promise<void> {
	await clients.openList();
	await page.getByRole('link', { name: new RegExp(name) }).click();
	await expect(page.getByTestId('card-name')).toBeVisible();
}

test('apart and back: both edits of one client survive, and the same field ends with the same value on both', async ({ playwright, launchOptions, baseURL }, info) => {
	test.setTimeout(120_000);
	const { a, b, clientsA, clientsB } = await twoTablets({ browserType: playwright.chromium, launchOptions, baseURL }, info.outputPath('salon.kbak'));

	await b.getByRole('button', { name: 'Wstrzymaj synchronizację' }).click();
	await expect(b.getByTestId('sync-status')).toHaveText('Synchronizacja wstrzymana');
	await expect(a.getByTestId('sync-status')).toHaveAttribute('data-peers', '0', { timeout: 30_000 });

	// Apart: A changes the e-mail, B the address; both change the phone, to different numbers.
	await openCard(a, clientsA, 'Głowacka Żaneta');
	await a.getByRole('button', { name: 'Edytuj dane' }).click();
	await clientsA.fillForm({ email: 'zaneta.glowacka@example.org', phone: '601 111 222' });
	await a.getByRole('button', { name: 'Zapisz' }).click();
	await expect(cardValue(a, 'E-mail')).toHaveText('zaneta.glowacka@example.org');

	await openCard(b, clientsB, 'Głowacka Żaneta');
	await b.getByRole('button', { name: 'Edytuj dane' }).click();
	await clientsB.fillForm({ address: 'ul. Źródlana 7/3, 31-552 Kraków', phone: '602 333 444' });
	await b.getByRole('button', { name: 'Zapisz' }).click();
	await expect(cardValue(b, 'Adres (opcjonalnie)')).toHaveText('ul. Źródlana 7/3, 31-552 Kraków');
	// Still apart: each tablet shows only its own edits.
	await expect(cardValue(a, 'Adres (opcjonalnie)')).toHaveText('—');
	await expect(cardValue(b, 'E-mail')).toHaveText('—');

	// Back: both tablets show both edits, and one phone number on both. The card is opened again
	// on each try: an open card does not yet redraw on edits arriving from a peer (reported).
	await b.getByRole('button', { name: 'Wznów synchronizację' }).click();
	for (const [page, clients] of [[a, clientsA], [b, clientsB]] as const) {
		await expect(async () => {
			await openCard(page, clients, 'Głowacka Żaneta');
			await expect(cardValue(page, 'E-mail')).toHaveText('zaneta.glowacka@example.org', { timeout: 1_000 });
			await expect(cardValue(page, 'Adres (opcjonalnie)')).toHaveText('ul. Źródlana 7/3, 31-552 Kraków', { timeout: 1_000 });
		}).toPass({ timeout: 30_000 });
	}
	const phoneA = (await a.getByTestId('card-phone').textContent())!.trim();
	expect(phoneA).toMatch(/601 111 222$|602 333 444$/);
	await openCard(b, clientsB, 'Głowacka Żaneta');
	await expect(b.getByTestId('card-phone')).toHaveText(phoneA);
	await openCard(a, clientsA, 'Głowacka Żaneta');
	await expect(a.getByTestId('card-phone')).toHaveText(phoneA);
});

test('a card over 256 KiB of data arrives whole', async ({ playwright, launchOptions, baseURL }, info) => {
	test.setTimeout(120_000);
	const { a, b, clientsA, clientsB } = await twoTablets({ browserType: playwright.chromium, launchOptions, baseURL }, info.outputPath('salon.kbak'));

	// ~300,000 characters of synthetic Polish (over 256 KiB even before UTF-8), with an end marker.
	const line = 'Zażółć gęślą jaźń — klientka prosi o łagodny peeling, skóra wrażliwa, bez retinolu. ';
	const marker = '[KONIEC NOTATKI 0xC0FFEE]';
	const note = line.repeat(Math.ceil(300_000 / line.length)).slice(0, 300_000 - marker.length) + marker;
	expect(note.length).toBe(300_000);
	expect(new TextEncoder().encode(note).byteLength).toBeGreaterThan(256 * 1024);

	await clientsA.addClient({ firstName: 'Weronika', lastName: 'Ślęzak', note });
	await expect(a.locator('p.note')).toHaveText(note);

	await expect(clientsB.listNames()).toHaveText(['Głowacka Żaneta', 'Ślęzak Weronika'], { timeout: 30_000 });
	await openCard(b, clientsB, 'Ślęzak Weronika');
	const shown = await b.locator('p.note').textContent();
	expect(shown?.length).toBe(note.length);
	expect(shown?.endsWith(marker)).toBe(true);
	expect(shown === note).toBe(true);
});
