import adapter from '@sveltejs/adapter-static';
import { cspDirectives } from './server/csp.js';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	kit: {
		// A static single-page app: every route is a prerendered shell, the data lives on the device.
		adapter: adapter({ fallback: '200.html', strict: true }),
		// Kit puts the policy into a <meta> tag with hashes of its own inline bootstrap script, so
		// the policy holds even when the page comes from the service worker's cache.
		csp: { mode: 'hash', directives: cspDirectives }
	}
};

export default config;
