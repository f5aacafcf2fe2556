// The catalogue: the owner changes a treatment's price and makes one of its rules warn instead of
// block; after a full reload and unlocking again, both changes are still there.
import { expect, test } from '@playwright/test';
import { SessionScreens } from './pages/app';

test("the owner changes microneedling's price and a rule's weight; both survive a reload", async ({ page }) => {
	const session = new SessionScreens(page);
	await session.open();
	await session.setUpSalon();

	await page.getByRole('navigation').getByRole('link', { name: 'Katalog' }).click();
	await expect(page.getByRole('heading', { name: 'Katalog zabiegów i produktów' })).toBeVisible();
	await expect(page.getByTestId('catalogue-disclaimer')).toContainText('nie porada medyczna');

	const microneedling = page.getByTestId('treatment').filter({ hasText: 'Mikronakłuwanie' });
	await expect(microneedling.getByTestId('treatment-price')).toHaveText('350 zł');
	await microneedling.getByRole('button', { name: /Mikronakłuwanie/ }).click();
	await microneedling.getByLabel('Cena (zł)').fill('420');
	await microneedling.getByRole('button', { name: 'Zapisz' }).click();
	await expect(microneedling.getByTestId('treatment-price')).toHaveText('420 zł');

	const keloids = microneedling.getByTestId('rule').filter({ hasText: 'bliznowc' });
	await expect(keloids.getByRole('radio', { name: 'blokuje' })).toHaveAttribute('aria-checked', 'true');
	await keloids.getByRole('radio', { name: 'ostrzega' }).click();
	await expect(keloids.getByRole('radio', { name: 'ostrzega' })).toHaveAttribute('aria-checked', 'true');

	await page.reload();
	await expect(page.getByRole('heading', { name: 'Odblokuj kartotekę' })).toBeVisible();
	await session.unlock();
	await expect(page.getByTestId('signed-in')).toBeVisible();
	await page.getByRole('navigation').getByRole('link', { name: 'Katalog' }).click();

	const again = page.getByTestId('treatment').filter({ hasText: 'Mikronakłuwanie' });
	await expect(again.getByTestId('treatment-price')).toHaveText('420 zł');
	await again.getByRole('button', { name: /Mikronakłuwanie/ }).click();
	const rule = again.getByTestId('rule').filter({ hasText: 'bliznowc' });
	await expect(rule.getByRole('radio', { name: 'ostrzega' })).toHaveAttribute('aria-checked', 'true');
	await expect(rule.getByRole('radio', { name: 'blokuje' })).toHaveAttribute('aria-checked', 'false');
});

test('the owner adds a product with its allergens and corrects it in place; an unknown allergen is named', async ({ page }) => {
	const session = new SessionScreens(page);
	await session.open();
	await session.setUpSalon();
	await page.getByRole('navigation').getByRole('link', { name: 'Katalog' }).click();

	await page.locator('#new-pr-name').fill('Serum Testowe z peptydami');
	await page.locator('#new-pr-brand').fill('Marka Próbna');
	await page.locator('#new-pr-allergens').fill('lateks, mleko kozie');
	await page.getByRole('button', { name: 'Dodaj produkt' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'Nie rozpoznano: mleko kozie' })).toBeVisible();
	await expect(page.getByTestId('product').filter({ hasText: 'Serum Testowe' })).toHaveCount(0);

	await page.locator('#new-pr-allergens').fill('lateks, nikiel');
	await page.getByRole('button', { name: 'Dodaj produkt' }).click();
	const serum = page.getByTestId('product').filter({ hasText: 'Serum Testowe z peptydami' });
	await expect(serum).toContainText('Alergeny (po przecinku): Lateks, Nikiel');
	await expect(page.locator('#new-pr-name')).toHaveValue(''); // the add form is empty again

	await serum.getByRole('button', { name: /Serum Testowe/ }).click();
	await expect(serum.getByLabel('Marka')).toHaveValue('Marka Próbna');
	await serum.getByLabel('Marka').fill('Marka Poprawiona');
	await serum.getByLabel('Alergeny (po przecinku)').fill('Nikiel');
	await serum.getByRole('button', { name: 'Zapisz' }).click();
	await expect(serum).toContainText('Marka Poprawiona');
	await expect(serum).toContainText('Alergeny (po przecinku): Nikiel');
});
