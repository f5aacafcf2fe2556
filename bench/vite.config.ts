// Builds the bench harness (bench/harness.ts) into bench/dist, served under /bench/ on the same
// origin as the built app so both see the same IndexedDB. It imports the app's plain TypeScript
// modules by relative path (no rune modules), so it needs no Svelte plugin.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
	root,
	base: '/bench/',
	logLevel: 'warn',
	publicDir: false,
	build: {
		outDir: 'dist',
		emptyOutDir: true,
		target: 'es2022',
		minify: false,
		sourcemap: false,
		modulePreload: { polyfill: false },
		reportCompressedSize: false
	}
});
