// The suites that must run in a real browser (STYLE: the storage contract in real Chromium), through
// vitest's browser mode with Debian's Chromium and the flags every browser suite uses.
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { CHROMIUM, CHROMIUM_ARGS } from './scripts/setup.mjs';

export default defineConfig({
	test: {
		include: ['src/**/*.browser.test.ts'],
		browser: {
			enabled: true,
			headless: true,
			provider: playwright({ launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS } }),
			instances: [{ browser: 'chromium' }]
		}
	}
});
