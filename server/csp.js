// The Content-Security-Policy of DESIGN ("Where it runs"): code, styles, images and fonts from the
// app's own origin only; connections to the app's origin and to a wss: relay.
/** Directives shared by the build (meta tag) and the server (header). */
export const cspDirectives = {
	'default-src': ['self'],
	'script-src': ['self'],
	'style-src': ['self'],
	'img-src': ['self', 'data:', 'blob:'],
	'font-src': ['self'],
	'connect-src': ['self', 'wss:'],
	'worker-src': ['self'],
	'manifest-src': ['self'],
	'object-src': ['none'],
	'base-uri': ['self'],
	'form-action': ['self']
};

const quoted = new Set(['self', 'none', 'unsafe-inline', 'wasm-unsafe-eval', 'strict-dynamic']);

/**
 * Renders the directives as a header value; `scriptHashes` are 'sha256-...' sources to add.
 * @param {string[]} [scriptHashes]
 */
export function formatCsp(scriptHashes = []) {
	const parts = Object.entries(cspDirectives).map(([name, values]) => {
		const sources = values.map((v) => (quoted.has(v) ? `'${v}'` : v));
		if (name === 'script-src') sources.push(...scriptHashes.map((h) => `'${h}'`));
		return `${name} ${sources.join(' ')}`;
	});
	// frame-ancestors is ignored in a <meta> policy, so only the header carries it.
	parts.push("frame-ancestors 'none'");
	return parts.join('; ');
}
