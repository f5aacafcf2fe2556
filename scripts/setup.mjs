// What a fresh machine needs before the app starts or the tests run: the npm packages from the
// lockfile, Debian's Chromium for the browser tests, and a current build. Each step runs only
// when needed, so repeated runs are quick.
import { execSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Path of the browser the tests and benchmarks drive. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launch flags that work as root and keep Chromium off the network (DESIGN, toolchain). */
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run'
];

function run(cmd) {
	console.log(`> ${cmd}`);
	execSync(cmd, { stdio: 'inherit' });
}

function newestMtime(path) {
	if (!existsSync(path)) return 0;
	const st = statSync(path);
	if (!st.isDirectory()) return st.mtimeMs;
	let newest = st.mtimeMs;
	for (const e of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, e)));
	return newest;
}

/** Installs the npm packages from the lockfile when node_modules is missing or older than it. */
export function ensureDependencies() {
	const marker = 'node_modules/.package-lock.json';
	if (existsSync(marker) && statSync(marker).mtimeMs >= statSync('package-lock.json').mtimeMs) return;
	run('npm ci --no-audit --no-fund');
}

/** Installs Debian's Chromium when it is missing (Playwright's own download cannot work here). */
export function ensureChromium() {
	if (existsSync(CHROMIUM)) return;
	const isRoot = process.getuid?.() === 0;
	const sudo = isRoot ? '' : 'sudo ';
	run(`${sudo}apt-get update -qq`);
	run(`${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium`);
	if (!existsSync(CHROMIUM)) throw new Error(`Chromium was not installed at ${CHROMIUM}`);
}

/** Builds the app when the build is missing or older than any source. */
export function ensureBuild(force = false) {
	const built = newestMtime('build/index.html');
	const sources = Math.max(
		...['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json', 'server/csp.js'].map(newestMtime)
	);
	if (!force && built && built >= sources) return;
	run('npm run build');
}
