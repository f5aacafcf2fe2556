// `npm test`: every suite, on a fresh machine too. Installs packages and Chromium when missing,
// runs the unit tests (plain Node), the suites that need a real browser (vitest in Chromium) and
// the browser tests (Playwright against the built app), and ends with one line that sums them all:
// "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureBuild, ensureChromium, ensureDependencies } from './setup.mjs';

ensureDependencies();
ensureChromium();
mkdirSync('test-results', { recursive: true });

function loopbackOnly(command) {
	const flags = process.getuid?.() === 0 ? '-n' : '-rn';
	const probe = spawnSync('unshare', [flags, '--', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' });
	if (probe.status !== 0) {
		console.warn('No network namespace available: browser tests run on the host network.');
		return [command[0], command.slice(1)];
	}
	return ['unshare', [flags, '--', 'sh', '-c', `ip link set lo up && exec ${command.join(' ')}`]];
}

function runSuite(cmd, args) {
	console.log(`> ${cmd} ${args.join(' ')}`);
	return spawnSync(cmd, args, { stdio: 'inherit', env: process.env }).status ?? 1;
}

const totals = { passed: 0, failed: 0, skipped: 0 };

// Static checks count as one test each: the types check, and imports flowing one way.
for (const [name, args] of [
	['svelte-check', ['npm', ['run', 'check', '--silent']]],
	['layers', ['node', ['scripts/check-layers.mjs']]]
]) {
	const status = runSuite(...args);
	if (status === 0) totals.passed++;
	else {
		totals.failed++;
		console.error(`Check failed: ${name}`);
	}
}

/** Runs vitest with `extraArgs` and adds its JSON report's counts to the totals; returns its exit status. */
function runVitest(report, extraArgs = []) {
	const file = `test-results/${report}.json`;
	rmSync(file, { force: true });
	const status = runSuite('npx', ['vitest', 'run', ...extraArgs, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`]);
	if (existsSync(file)) {
		const r = JSON.parse(readFileSync(file, 'utf8'));
		totals.passed += r.numPassedTests;
		totals.failed += r.numFailedTests;
		totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
	} else if (status !== 0) totals.failed += 1;
	return status;
}

const unitStatus = runVitest('unit');
// Suites that must run in real Chromium (the storage contract on the browser's IndexedDB), through
// vitest's browser mode; they talk only to vitest's own server on localhost.
const browserUnitStatus = runVitest('browser-unit', ['--config', 'vitest.browser.config.ts']);

ensureBuild();
rmSync('test-results/e2e.json', { force: true });
// Browser tests run in a network namespace that has only loopback (DESIGN, sync tests): WebRTC
// between the two tablets then cannot use any address but 127.0.0.1. Root (CI) uses `unshare -n`,
// others a user namespace (`unshare -rn`); without either the tests run on the host network.
const e2eStatus = runSuite(...loopbackOnly(['npx', 'playwright', 'test']));
if (existsSync('test-results/e2e.json')) {
	const r = JSON.parse(readFileSync('test-results/e2e.json', 'utf8'));
	totals.passed += r.stats.expected + (r.stats.flaky ?? 0);
	totals.failed += r.stats.unexpected;
	totals.skipped += r.stats.skipped;
} else if (e2eStatus !== 0) totals.failed += 1;

const failedRun = unitStatus !== 0 || browserUnitStatus !== 0 || e2eStatus !== 0 || totals.failed > 0;
if (failedRun && totals.failed === 0) totals.failed = 1; // a runner that crashed is a failure too
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(failedRun ? 1 : 0);
