// The Kartoteka server: serves the built app (static files) with the security headers of DESIGN,
// and the signaling relay (server/relay.js) as a WebSocket at /signal on the same port.
// It holds no client data. Loopback by default; https when given a certificate and key.
// `--relay-only` runs the relay alone, for a salon that hosts the app elsewhere.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join, resolve } from 'node:path';
import sirv from 'sirv';
import { formatCsp } from './csp.js';
import { attachRelay } from './relay.js';

/**
 * Collects sha256 sources of inline scripts in the built HTML, so the header allows exactly them.
 * @param {string} dir
 * @returns {string[]}
 */
export function hashInlineScripts(dir) {
	/** @type {Set<string>} */
	const hashes = new Set();
	/** @param {string} d */
	const walk = (d) => {
		for (const e of readdirSync(d, { withFileTypes: true })) {
			const p = join(d, e.name);
			if (e.isDirectory()) walk(p);
			else if (e.name.endsWith('.html')) {
				const html = readFileSync(p, 'utf8');
				for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
					hashes.add('sha256-' + createHash('sha256').update(m[1], 'utf8').digest('base64'));
				}
			}
		}
	};
	walk(dir);
	return [...hashes];
}

/**
 * Builds the request handler serving `dir` with CSP and caching headers.
 * @param {string} dir
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void}
 */
export function createAppHandler(dir) {
	const csp = formatCsp(hashInlineScripts(dir));
	const serve = sirv(dir, {
		single: '200.html',
		etag: true,
		gzip: false,
		setHeaders(res, pathname) {
			// Hashed build assets never change; everything else (HTML, the service worker,
			// the manifest) must be revalidated so an update is noticed.
			res.setHeader(
				'Cache-Control',
				pathname.startsWith('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache'
			);
		}
	});
	return (req, res) => {
		res.setHeader('Content-Security-Policy', csp);
		res.setHeader('X-Content-Type-Options', 'nosniff');
		res.setHeader('Referrer-Policy', 'no-referrer');
		res.setHeader('Permissions-Policy', 'geolocation=(), microphone=(self), camera=(self)');
		res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
		serve(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
	};
}

/** Reads `--name value` options and environment variables. */
export function readOptions(argv = process.argv.slice(2), env = process.env) {
	/** @param {string} name */
	const opt = (name) => {
		const i = argv.indexOf(`--${name}`);
		return i >= 0 ? argv[i + 1] : undefined;
	};
	return {
		host: opt('host') ?? env.HOST ?? '127.0.0.1',
		port: Number(opt('port') ?? env.PORT ?? 4173),
		cert: opt('cert') ?? env.TLS_CERT,
		key: opt('key') ?? env.TLS_KEY,
		dir: resolve(opt('dir') ?? env.APP_DIR ?? 'build'),
		relayOnly: argv.includes('--relay-only') || env.RELAY_ONLY === '1'
	};
}

/**
 * Answers plain HTTP when only the relay runs: a health check at / and 404 elsewhere.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
function relayOnlyHandler(req, res) {
	res.setHeader('X-Content-Type-Options', 'nosniff');
	res.setHeader('Content-Type', 'text/plain; charset=utf-8');
	const isRoot = (req.url ?? '/').split('?')[0] === '/';
	res.statusCode = isRoot ? 200 : 404;
	res.end(isRoot ? 'Kartoteka relay: WebSocket at /signal\n' : 'Not found\n');
}

/**
 * Starts the server with the relay at /signal (options.relay: relay limits; options.relayOnly:
 * no app files); resolves with it once it listens. `server.close()` also closes the relay.
 * @param {ReturnType<typeof readOptions> & { relay?: Record<string, unknown> }} options
 */
export function startServer(options) {
	if (!options.relayOnly && !existsSync(join(options.dir, 'index.html'))) {
		throw new Error(`No built app in ${options.dir}: run "npm run build" first.`);
	}
	const handler = options.relayOnly ? relayOnlyHandler : createAppHandler(options.dir);
	const server =
		options.cert && options.key
			? https.createServer({ cert: readFileSync(options.cert), key: readFileSync(options.key) }, handler)
			: http.createServer(handler);
	const relay = attachRelay(server, {
		log: (event, detail) => console.warn(`relay ${event}:`, detail),
		...options.relay,
		path: '/signal'
	});
	// Open WebSockets would keep server.close() from ever calling back (start.mjs and
	// Playwright stop the server that way), so closing the server cuts them first.
	const closeHttp = server.close.bind(server);
	server.close = (callback) => {
		relay.close();
		return closeHttp(callback);
	};
	return new Promise((resolveListen, reject) => {
		server.once('error', reject);
		server.listen(options.port, options.host, () => resolveListen(server));
	});
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const options = readOptions();
	const server = await startServer(options);
	const scheme = options.cert ? 'https' : 'http';
	const origin = `${options.host}:${server.address().port}`;
	if (!options.relayOnly) console.log(`Kartoteka: ${scheme}://${origin}/`);
	console.log(`Kartoteka relay: ${scheme === 'https' ? 'wss' : 'ws'}://${origin}/signal`);
	const stop = () => server.close(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}
