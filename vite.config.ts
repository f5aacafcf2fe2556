import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// The service worker is generated after the build by scripts/build-sw.mjs (Workbox), from the
// finished static output, so it precaches exactly what a salon's server serves.
export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.test.ts', 'server/**/*.test.ts', 'tests/unit/**/*.test.ts'],
		// Suites for real Chromium run with vitest.browser.config.ts.
		exclude: ['**/node_modules/**', 'src/**/*.browser.test.ts'],
		environment: 'node'
	}
});
