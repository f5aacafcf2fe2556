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
