// Page objects: what a user does on each screen, in their words. Specs read as stories.
import { expect, type Page } from '@playwright/test';

/** The owner's passphrase used across browser tests (synthetic). */
export const OWNER_PASSPHRASE = 'zielony kot pije mleko';
/** The owner's screen-lock PIN in browser tests. */
export const OWNER_PIN = '2468';

/** Welcome, setup, recovery key and unlock screens. */
export class SessionScreens {
	constructor(private readonly page: Page) {}

	/** Opens the app and waits for its first screen. */
	async open(): Promise<void> {
		await this.page.goto('/');
		await expect(this.page.locator('main, header').first()).toBeVisible();
	}

	/** Sets up a salon from the welcome screen; returns the recovery key shown once. */
	async setUpSalon(opts: { salon?: string; owner?: string; passphrase?: string; pin?: string } = {}): Promise<string> {
		const page = this.page;
		await page.getByRole('button', { name: 'Załóż salon' }).click();
		await page.getByLabel('Nazwa salonu').fill(opts.salon ?? 'Salon Testowy „Bez”');
		await page.getByLabel('Imię i nazwisko właściciela').fill(opts.owner ?? 'Halina Testowa');
		await page.getByLabel('Hasło właściciela').fill(opts.passphrase ?? OWNER_PASSPHRASE);
		await page.getByLabel('Powtórz hasło').fill(opts.passphrase ?? OWNER_PASSPHRASE);
		await page.getByLabel('PIN do blokady ekranu').fill(opts.pin ?? OWNER_PIN);
		await page.getByRole('button', { name: 'Załóż salon' }).click();
		const key = page.getByTestId('recovery-key');
		await expect(key).toBeVisible({ timeout: 20_000 });
		const text = (await key.textContent())!.trim();
		await page.getByLabel('Zapisałam/zapisałem klucz').check();
		await page.getByRole('button', { name: 'Przejdź do kartoteki' }).click();
		await expect(page.getByRole('heading', { name: 'Klienci' })).toBeVisible();
		return text;
	}

	/** Unlocks with a passphrase. */
	async unlock(passphrase = OWNER_PASSPHRASE): Promise<void> {
		await this.page.getByLabel('Hasło', { exact: true }).fill(passphrase);
		await this.page.getByRole('button', { name: 'Odblokuj' }).click();
	}

	/** Unlocks with the recovery key. */
	async unlockWithRecovery(key: string): Promise<void> {
		await this.page.getByRole('button', { name: /klucza odzyskiwania/ }).click();
		await this.page.getByLabel('Klucz odzyskiwania').fill(key);
		await this.page.getByRole('button', { name: 'Odblokuj' }).click();
	}

	/** Locks the app from the header; nothing of the salon stays on screen. */
	async lock(): Promise<void> {
		await this.page.getByRole('button', { name: 'Zablokuj całkowicie' }).click();
		await expect(this.page.getByTestId('signed-in')).toHaveCount(0);
	}
}

/** A client's personal and contact data as typed into the form. */
export interface ClientInput {
	firstName: string;
	lastName: string;
	phone?: string;
	email?: string;
	birthDate?: string;
	address?: string;
	note?: string;
}

/** The client list, the client form and the card. */
export class ClientScreens {
	constructor(private readonly page: Page) {}

	/** Fills the client form with what is given. */
	async fillForm(c: Partial<ClientInput>): Promise<void> {
		const page = this.page;
		if (c.firstName !== undefined) await page.getByLabel('Imię', { exact: true }).fill(c.firstName);
		if (c.lastName !== undefined) await page.getByLabel('Nazwisko', { exact: true }).fill(c.lastName);
		if (c.birthDate !== undefined) await page.getByLabel('Data urodzenia').fill(c.birthDate);
		if (c.phone !== undefined) await page.getByLabel('Telefon', { exact: true }).fill(c.phone);
		if (c.email !== undefined) await page.getByLabel('E-mail', { exact: true }).fill(c.email);
		if (c.address !== undefined) await page.getByLabel('Adres (opcjonalnie)').fill(c.address);
		if (c.note !== undefined) await page.getByLabel('Notatka').fill(c.note);
	}

	/** Adds a client through the form and waits for the new card. */
	async addClient(c: ClientInput): Promise<void> {
		await this.openList();
		await this.page.getByRole('link', { name: 'Nowy klient' }).click();
		await this.fillForm(c);
		await this.page.getByRole('button', { name: 'Zapisz' }).click();
		await expect(this.page.getByTestId('card-name')).toHaveText(`${c.firstName} ${c.lastName}`);
	}

	/** Goes to the client list. */
	async openList(): Promise<void> {
		await this.page.getByRole('navigation').getByRole('link', { name: 'Klienci' }).click();
		await expect(this.page.getByRole('heading', { name: 'Klienci' })).toBeVisible();
	}

	/** Types a search query. */
	async search(query: string): Promise<void> {
		await this.page.getByPlaceholder('Szukaj: imię, nazwisko, telefon lub e-mail').fill(query);
	}

	/** The names shown in the list ("Nazwisko Imię"). */
	listNames() {
		return this.page.getByTestId('client-list').locator('.name');
	}
}

/** The staff page and the screen lock. */
export class StaffScreens {
	constructor(private readonly page: Page) {}

	/** The owner adds a staff member on the staff page. */
	async addStaff(m: { name: string; role: 'Właściciel' | 'Kosmetolog' | 'Recepcja'; passphrase: string; pin: string }): Promise<void> {
		const page = this.page;
		await page.getByRole('navigation').getByRole('link', { name: 'Personel' }).click();
		await page.getByLabel('Imię i nazwisko').fill(m.name);
		await page.getByLabel('Rola').selectOption({ label: m.role });
		await page.getByLabel('Hasło pracownika').fill(m.passphrase);
		await page.getByLabel('PIN (4–6 cyfr)').fill(m.pin);
		await page.getByRole('button', { name: 'Dodaj pracownika' }).click();
		await expect(page.getByTestId('staff-list')).toContainText(m.name);
	}

	/** At the screen lock: tap a name and type a PIN. */
	async unlockScreen(name: string, pin: string): Promise<void> {
		const page = this.page;
		await expect(page.getByRole('heading', { name: 'Ekran zablokowany' })).toBeVisible();
		await page.getByRole('dialog').getByRole('button', { name }).click();
		await page.getByLabel('PIN', { exact: true }).fill(pin);
		await page.getByRole('dialog').getByRole('button', { name: 'Odblokuj' }).click();
	}
}
