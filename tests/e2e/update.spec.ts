// A new version of the app waits until the user chooses to reload, so code is never swapped under
// someone's hands in the middle of a visit. The test serves the built app from a copy, then, on the
// same origin, a copy whose service worker differs (a new release), as a salon's server would.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { createAppHandler } from '../../server/index.js';

const dirs: string[] = [];
const servers: http.Server[] = [];
test.afterEach(async () => {
	for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the build; `release` changes its service worker as a new release would. */
function copyBuild(release?: string): string {
	const dir = mkdtempSync(join(os.tmpdir(), 'kartoteka-release-'));
	dirs.push(dir);
	cpSync('build', dir, { recursive: true });
	if (release) writeFileSync(join(dir, 'sw.js'), readFileSync(join(dir, 'sw.js'), 'utf8') + `\n// release ${release}\n`);
	return dir;
}

async function serve(dir: string, port = 0): Promise<number> {
	const server = http.createServer(createAppHandler(dir));
	servers.push(server);
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	return (server.address() as { port: number }).port;
}

test('a new release is offered as "reload to update" and taken only when the user reloads', async ({ page }) => {
	const port = await serve(copyBuild());
	const origin = `http://127.0.0.1:${port}`;
	await page.goto(`${origin}/`);
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
	await page.reload(); // the worker controls the pages loaded after it was installed
	await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
	await expect(page.getByText('Jest nowa wersja aplikacji.')).toHaveCount(0);

	// The salon's server now serves a new release on the same address; the app checks for it.
	await new Promise((resolve) => servers.pop()!.close(resolve));
	await serve(copyBuild('2'), port);
	await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
	await expect(page.getByText('Jest nowa wersja aplikacji.')).toBeVisible({ timeout: 20_000 });
	// Nothing is swapped until the user says so: the old worker still controls the page.
	expect(await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => !!r?.waiting))).toBe(true);

	// The new worker takes over, then the app reloads itself once.
	const reloaded = page.waitForEvent('load');
	await page.getByRole('button', { name: 'Przeładuj, aby zaktualizować' }).click();
	await reloaded;
	await expect.poll(() => page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => !r?.waiting && !!r?.active))).toBe(true);
	await expect(page.getByText('Jest nowa wersja aplikacji.')).toHaveCount(0);
});
