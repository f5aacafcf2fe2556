// Generates the Workbox service worker from the finished static build: it precaches the whole
// app (so after the first visit it starts with the network off) and answers navigations to any
// route from the cache. It never activates by itself: the page asks the user to reload first.
import { generateSW } from 'workbox-build';

const { count, size, warnings } = await generateSW({
	globDirectory: 'build',
	globPatterns: ['**/*.{html,js,css,png,svg,webmanifest,json}'],
	swDest: 'build/sw.js',
	// Routes carry their state in the query (/client?id=…); the cached page is the same for all.
	ignoreURLParametersMatching: [/.*/],
	navigateFallback: '/200.html',
	cleanupOutdatedCaches: true,
	skipWaiting: false,
	clientsClaim: false,
	// Hashed files under _app/immutable change name when they change; no cache-busting needed.
	dontCacheBustURLsMatching: /^_app\/immutable\//,
	maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
	sourcemap: false,
	mode: 'production'
});
for (const w of warnings) console.warn(w);
console.log(`Service worker: ${count} files precached (${(size / 1024).toFixed(0)} KiB).`);
