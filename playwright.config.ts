// Browser tests drive Debian's Chromium against the built app served by our own server on
// loopback, so what is tested is what a salon runs (CSP, service worker, offline).
import { defineConfig } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from './scripts/setup.mjs';

const PORT = 4179;

export default defineConfig({
	testDir: 'tests/e2e',
	timeout: 60_000,
	expect: { timeout: 10_000 },
	fullyParallel: false,
	workers: 2,
	retries: 0,
	reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
	outputDir: 'test-results/artifacts',
	use: {
		baseURL: `http://127.0.0.1:${PORT}`,
		viewport: { width: 1280, height: 800 },
		locale: 'pl-PL',
		timezoneId: 'Europe/Warsaw',
		serviceWorkers: 'allow',
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: CHROMIUM,
			args: CHROMIUM_ARGS
		}
	},
	webServer: {
		command: `node server/index.js --port ${PORT}`,
		url: `http://127.0.0.1:${PORT}/`,
		reuseExistingServer: false,
		timeout: 30_000
	}
});
