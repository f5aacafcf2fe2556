import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [
		sveltekit(),
		SvelteKitPWA({
			// A new version waits for the user's "reload" instead of swapping code under their hands.
			registerType: 'prompt',
			injectRegister: false,
			manifest: false,
			workbox: {
				globPatterns: ['client/**/*.{js,css,ico,png,svg,webmanifest,woff2}', 'prerendered/**/*.html'],
				navigateFallback: '/',
				cleanupOutdatedCaches: true
			},
			kit: { spa: true }
		})
	],
	test: {
		include: ['src/**/*.test.ts', 'server/**/*.test.ts'],
		environment: 'node'
	}
});
