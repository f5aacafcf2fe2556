// Two tablets of one salon, as two separate Chromium instances, sync over WebRTC through the relay
// of the test server. The second tablet joins with a one-time invite from the first (the link the
// QR code holds), then its user signs in with their own passphrase. Traffic stays on this machine:
// no STUN/TURN (iceServers []), mDNS host names off, and the microphone permission granted so
// Chromium gathers host candidates (DESIGN, sync section).
import { expect, test, type Browser, type BrowserType, type LaunchOptions, type Page } from '@playwright/test';
import { ClientScreens, SessionScreens, StaffScreens } from './pages/app';

// Added to the config's Debian Chromium and CHROMIUM_ARGS (scripts/setup.mjs).
const WEBRTC_ARGS = ['--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'];

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
		permissions: ['microphone', 'clipboard-read', 'clipboard-write']
	});
	return context.newPage();
}

/** On an unlocked tablet: Urządzenia → Dodaj urządzenie; returns the invite link the QR code holds. */
async function showInvite(page: Page): Promise<string> {
	await page.getByRole('navigation').getByRole('link', { name: 'Urządzenia' }).click();
	await page.getByRole('button', { name: 'Dodaj urządzenie' }).click();
	await expect(page.getByTestId('invite-qr')).toBeVisible();
	await expect(page.getByTestId('invite-status')).toHaveText('Czekam na nowe urządzenie…');
	return page.getByLabel('Link z zaproszeniem').inputValue();
}

/** A fresh tablet opens the invite link and names itself; returns what it then shows. */
async function openInvite(page: Page, link: string, name: string) {
	await page.goto(link);
	await expect(page.getByRole('heading', { name: 'Dołącz to urządzenie do salonu' })).toBeVisible();
	// The invite key is taken out of the address bar as soon as it is read.
	await expect.poll(() => new URL(page.url()).hash).toBe('');
	await page.getByLabel('Nazwa tego urządzenia').fill(name);
	await page.getByRole('button', { name: 'Dołącz' }).click();
}

/** Tablet A sets up the salon with one client; tablet B joins it by invite and receives the client. */
async function twoTablets(launcher: Launcher) {
	const a = await openTablet(launcher);
	const b = await openTablet(launcher);
	const tablets = { a, b, clientsA: new ClientScreens(a), clientsB: new ClientScreens(b) };
	await new SessionScreens(a).open();
	await new SessionScreens(a).setUpSalon();
	await tablets.clientsA.addClient({ firstName: 'Żaneta', lastName: 'Głowacka', phone: '600 700 800' });

	const link = await showInvite(a);
	await openInvite(b, link, 'Tablet gabinet');
	await expect(b.getByTestId('join-done')).toHaveText('Dołączono do salonu „Salon Testowy „Bez””. Zaloguj się swoim hasłem.');
	await expect(a.getByTestId('invite-status')).toHaveText('Dodano urządzenie: Tablet gabinet. Pracownik loguje się na nim własnym hasłem.');
	await b.getByRole('button', { name: 'Przejdź do logowania' }).click();
	await new SessionScreens(b).unlock();
	// The first sync brings the salon and its cards; the app then opens by itself.
	await expect(tablets.clientsB.listNames()).toHaveText(['Głowacka Żaneta'], { timeout: 30_000 });
	for (const page of [a, b]) await expect(page.getByTestId('sync-status')).toHaveAttribute('data-peers', '1', { timeout: 30_000 });
	await expect(b.getByRole('banner')).toContainText('Salon Testowy „Bez”');
	return tablets;
}

test('a tablet joins by invite: it gets the salon, both show each other in the device list, a used invite is refused', async ({ playwright, launchOptions, baseURL }) => {
	test.setTimeout(120_000);
	const launcher = { browserType: playwright.chromium, launchOptions, baseURL };
	const a = await openTablet(launcher);
	const b = await openTablet(launcher);
	const c = await openTablet(launcher);
	await new SessionScreens(a).open();
	await new SessionScreens(a).setUpSalon();
	const clientsA = new ClientScreens(a);
	for (const [firstName, lastName] of [['Żaneta', 'Głowacka'], ['Urszula', 'Świątek'], ['Józef', 'Łęcki']]) await clientsA.addClient({ firstName, lastName });

	const link = await showInvite(a);
	expect(new URL(link).pathname).toBe('/join');
	await openInvite(b, link, 'Tablet gabinet');
	await expect(b.getByTestId('join-done')).toBeVisible({ timeout: 20_000 });

	// The same link on a third tablet, while A's invite screen is still open: refused, nothing stored.
	await openInvite(c, link, 'Tablet obcy');
	await expect(c.getByTestId('join-error')).toHaveText('To zaproszenie zostało już użyte przez inne urządzenie. Poproś o nowe.', { timeout: 20_000 });
	await c.goto('/');
	await expect(c.getByRole('button', { name: 'Załóż salon' })).toBeVisible();

	await b.getByRole('button', { name: 'Przejdź do logowania' }).click();
	await new SessionScreens(b).unlock();
	await expect(new ClientScreens(b).listNames()).toHaveText(['Głowacka Żaneta', 'Łęcki Józef', 'Świątek Urszula'], { timeout: 30_000 });

	// A's device list: itself (the salon's first device), and B by the name it chose, added by the
	// owner, connected, synced, nothing waiting.
	await a.getByRole('button', { name: 'Zamknij zaproszenie' }).click();
	await expect(a.getByTestId('device-row').filter({ hasText: 'to urządzenie' })).toContainText('Pierwsze urządzenie salonu');
	const rowB = a.getByTestId('device-row').filter({ hasText: 'Tablet gabinet' });
	await expect(rowB).toContainText('Dodane przez: Halina Testowa', { timeout: 30_000 });
	await expect(rowB).toHaveAttribute('data-online', 'true', { timeout: 30_000 });
	await expect(rowB.getByTestId('device-synced')).toContainText('Ostatnia synchronizacja z tym urządzeniem:', { timeout: 30_000 });
	await expect(rowB.getByTestId('device-pending')).toHaveText('Zmiany czekające na wysłanie: 0', { timeout: 30_000 });
	// B sees A too, as the salon's first device.
	await b.getByRole('navigation').getByRole('link', { name: 'Urządzenia' }).click();
	await expect(b.getByTestId('device-row')).toHaveCount(2, { timeout: 30_000 });
	await expect(b.getByTestId('device-row').filter({ hasText: 'to urządzenie' })).toContainText('Tablet gabinet');

	// An invite link that was cut short is no invite.
	await c.goto(link.slice(0, link.indexOf('&')));
	await expect(c.getByTestId('join-error')).toContainText('Ten link nie jest poprawnym zaproszeniem');
});

test('a card open on the other tablet is shown as open there', async ({ playwright, launchOptions, baseURL }) => {
	test.setTimeout(120_000);
	const { a, b, clientsA, clientsB } = await twoTablets({ browserType: playwright.chromium, launchOptions, baseURL });
	await openCard(a, clientsA, 'Głowacka Żaneta');
	await openCard(b, clientsB, 'Głowacka Żaneta');
	await expect(b.getByTestId('presence')).toContainText('Ta karta jest też otwarta na:', { timeout: 30_000 });
	await expect(b.getByTestId('presence')).toContainText('(Halina Testowa)');
	await expect(a.getByTestId('presence')).toContainText('Tablet gabinet (Halina Testowa)', { timeout: 30_000 });
	// A leaves the card: B no longer shows it as open there.
	await clientsA.openList();
	await expect(b.getByTestId('presence')).toHaveCount(0, { timeout: 30_000 });
});

test('a staff member added on one tablet signs in on the other with their own passphrase, and is locked out there when disabled', async ({ playwright, launchOptions, baseURL }) => {
	test.setTimeout(120_000);
	const { a, b, clientsB } = await twoTablets({ browserType: playwright.chromium, launchOptions, baseURL });
	await new StaffScreens(a).addStaff({ name: 'Kinga Kosmetolog', role: 'Kosmetolog', passphrase: 'kinga maluje brwi henna', pin: '8642' });
	// B learns of her through sync (salon doc and keyring); it is then locked and she signs in there.
	await b.getByRole('navigation').getByRole('link', { name: 'Personel' }).click();
	await expect(b.getByTestId('staff-list')).toContainText('Kinga Kosmetolog', { timeout: 30_000 });
	await new SessionScreens(b).lock();
	await new SessionScreens(b).unlock('kinga maluje brwi henna');
	await expect(b.getByTestId('signed-in')).toContainText('Kinga Kosmetolog', { timeout: 20_000 });
	await expect(clientsB.listNames()).toHaveText(['Głowacka Żaneta']);

	// The owner disables her on A: B, where she is signed in, locks completely, and her passphrase opens nothing.
	a.once('dialog', (d) => d.accept());
	await a.getByTestId('staff-list').locator('li').filter({ hasText: 'Kinga Kosmetolog' }).getByRole('button', { name: 'Wyłącz dostęp' }).click();
	await expect(a.getByTestId('staff-list').locator('li').filter({ hasText: 'Kinga Kosmetolog' })).toContainText('Dostęp wyłączony');
	await expect(b.getByRole('heading', { name: 'Odblokuj kartotekę' })).toBeVisible({ timeout: 30_000 });
	await new SessionScreens(b).unlock('kinga maluje brwi henna');
	await expect(b.getByText('Nieprawidłowe hasło.')).toBeVisible();
});

test('a client added on one tablet appears on the other, both ways', async ({ playwright, launchOptions, baseURL }) => {
	test.setTimeout(120_000);
	const { clientsA, clientsB } = await twoTablets({ browserType: playwright.chromium, launchOptions, baseURL });

	// Live: nothing is reloaded, the new card arrives over the peer link.
	await clientsA.addClient({ firstName: 'Urszula', lastName: 'Świątek', email: 'ula@example.org' });
	await expect(clientsB.listNames()).toHaveText(['Głowacka Żaneta', 'Świątek Urszula'], { timeout: 30_000 });

	await clientsB.addClient({ firstName: 'Józef', lastName: 'Łęcki' });
	await clientsA.openList();
	await expect(clientsA.listNames()).toHaveText(['Głowacka Żaneta', 'Łęcki Józef', 'Świątek Urszula'], { timeout: 30_000 });
});

test('with sync paused each tablet keeps its own new clients; after resuming both have all', async ({ playwright, launchOptions, baseURL }) => {
	test.setTimeout(120_000);
	const { a, b, clientsA, clientsB } = await twoTablets({ browserType: playwright.chromium, launchOptions, baseURL });

	await pauseSync(b, a);

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

/** Tablet `b` pauses sync; `a` then sees no other device. */
async function pauseSync(b: Page, a: Page): Promise<void> {
	await b.getByRole('button', { name: 'Wstrzymaj synchronizację' }).click();
	await expect(b.getByTestId('sync-status')).toHaveText('Synchronizacja wstrzymana');
	await expect(a.getByTestId('sync-status')).toHaveAttribute('data-peers', '0', { timeout: 30_000 });
}

/** A value on the open card, by its label ("E-mail", "Adres (opcjonalnie)"). */
function cardValue(page: Page, label: string) {
	return page.locator(`div:has(> dt:text-is("${label}")) > dd`);
}

async function openCard(page: Page, clients: ClientScreens, name: string): Promise<void> {
	await clients.openList();
	await page.getByRole('link', { name: new RegExp(name) }).click();
	await expect(page.getByTestId('card-name')).toBeVisible();
}

test('apart and back: both edits of one client survive, and the same field ends with the same value on both', async ({ playwright, launchOptions, baseURL }) => {
	test.setTimeout(120_000);
	const { a, b, clientsA, clientsB } = await twoTablets({ browserType: playwright.chromium, launchOptions, baseURL });

	await pauseSync(b, a);

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

	// Back: both tablets show both edits, and one phone number on both.
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

test('a card over 256 KiB of data arrives whole', async ({ playwright, launchOptions, baseURL }) => {
	test.setTimeout(120_000);
	const { a, b, clientsA, clientsB } = await twoTablets({ browserType: playwright.chromium, launchOptions, baseURL });

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
