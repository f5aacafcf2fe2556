// `npm run bench`: measures Kartoteka in real headless Chromium with 5,000 synthetic cards of
// realistic size and writes bench/results.md and bench/results.json. It asserts nothing: the
// targets are in the table beside the figures. Not part of `npm test`.
//
// The built app and the bench harness (bench/harness.ts, built into bench/dist) are served from one
// loopback origin, so the harness seeds the very IndexedDB the real UI then unlocks and searches.
// The same server carries the signaling relay at /signal for the peer-sync part (scripts/bench-sync.mjs).
// Environment: BENCH_CARDS (default 5000) for a quicker trial run; BENCH_PROFILE=file.cpuprofile
// saves a CPU profile of opening cards in the UI; BENCH_ONLY=main or BENCH_ONLY=sync runs one part
// and keeps the other part's rows from the existing results; BENCH_SYNC_CARDS (default "2000,5000")
// the card counts of the first syncs; BENCH_NETNS=host skips the loopback-only network namespace;
// BENCH_SYNC_TRACE=dir saves CPU profiles and call timings of the sync part there (and no results).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, ensureBuild, ensureChromium, ensureDependencies } from './setup.mjs';
import { runSyncBench, syncFigures, syncMarkdown, syncRows } from './bench-sync.mjs';

const ONLY = process.env.BENCH_ONLY ?? '';
if (!['', 'main', 'sync'].includes(ONLY)) throw new Error(`BENCH_ONLY must be "main" or "sync", not "${ONLY}"`);
const RUN_MAIN = ONLY !== 'sync';
const RUN_SYNC = ONLY !== 'main';

ensureDependencies();
ensureChromium();
ensureBuild();
const network = enterLoopbackNamespace();

const started = Date.now();
const loadAtStart = os.loadavg()[0];

const { build } = await import('vite');
const { default: sirv } = await import('sirv');
const { chromium } = await import('playwright');
const { createAppHandler } = await import('../server/index.js');
const { attachRelay } = await import('../server/relay.js');
const { formatCsp } = await import('../server/csp.js');

const CARDS = Number(process.env.BENCH_CARDS ?? 5000);
const SEED_BATCH = 50;
const NOTE_BYTES = 9_300; // with the other fields, about 10 KB of Yjs state per card
const PASSPHRASE = 'Magnolia-kwitnie-w-maju-2024!';
const UNLOCK_RUNS = 7;
const OPEN_CARDS = 200;
const UI_OPEN_CARDS = 30;
const EDITS = 200;
const EDIT_CARDS = 10;
const CONCURRENCY = 50;
// Issue 6: clinical cards of CLINICAL_VISITS visits and CLINICAL_INTERVIEWS interviews, each opened
// CLINICAL_ROUNDS times; every seed treatment's rules for RULE_CLIENTS summaries, RULE_RUNS times.
const CLINICAL_CARDS = 30;
const CLINICAL_VISITS = 50;
const CLINICAL_INTERVIEWS = 5;
const CLINICAL_ROUNDS = 4;
const RULE_CLIENTS = 5000;
const RULE_RUNS = 7;
// Issue 5, peer sync: first syncs of SYNC_CARDS cards to a new device, SYNC_EDITS live edits on
// SYNC_EDIT_CARDS cards, SYNC_CATCH_UP cards changed while apart; the raw channel SYNC_RAW_RUNS times.
const SYNC_CARDS = (process.env.BENCH_SYNC_CARDS ?? '2000,5000').split(',').map(Number).sort((a, b) => a - b);
const SYNC_EDITS = 200;
const SYNC_EDIT_CARDS = 10;
const SYNC_CATCH_UP = 100;
const SYNC_RAW_RUNS = 3;
const QUERIES = ['kowalska', 'anna nowak', 'zolkiew', 'łucja', '600 12', '+48 7', 'example.net', 'wiśniewska', 'ewa k'];

const log = (...a) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(1)} s]`, ...a);

// ---------------------------------------------------------------------------------------------
log('building the harness');
await build({ configFile: 'bench/vite.config.ts', logLevel: 'warn' });

const appHandler = createAppHandler('build');
const benchFiles = sirv('bench/dist', { etag: true, dev: true });
const benchCsp = formatCsp();
const server = http.createServer((req, res) => {
	if (req.url === '/bench' || req.url?.startsWith('/bench/')) {
		res.setHeader('Content-Security-Policy', benchCsp);
		req.url = req.url.slice('/bench'.length) || '/';
		benchFiles(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
		return;
	}
	appHandler(req, res);
});
// The signaling relay of the app server (server/index.js), for the peer-sync part.
const relay = attachRelay(server, { path: '/signal', log: (event, detail) => console.warn(`relay ${event}:`, detail) });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

// A persistent profile, so IndexedDB lives on disk as on a salon's tablet (an incognito-like
// context would keep it in memory). The app's service worker runs as in a salon; it never controls
// the harness page, which is opened before the worker is registered and never navigated again.
const launchOptions = {
	executablePath: CHROMIUM,
	headless: true,
	serviceWorkers: 'allow',
	viewport: { width: 1280, height: 800 },
	locale: 'pl-PL',
	timezoneId: 'Europe/Warsaw',
	args: [
		...CHROMIUM_ARGS,
		// Nothing but the loopback server is reachable.
		'--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'
	]
};

const results = {};
let syncMachine = null;
try {
	if (RUN_MAIN) {
		const profileDir = mkdtempSync(join(os.tmpdir(), 'kartoteka-bench-'));
		const context = await chromium.launchPersistentContext(profileDir, launchOptions);
		try {
			await run(context);
		} finally {
			await context.close();
			rmSync(profileDir, { recursive: true, force: true });
		}
	}
	if (RUN_SYNC) {
		const syncStarted = Date.now();
		const syncLoadAtStart = os.loadavg()[0];
		if (network !== 'loopback') console.warn('[bench] peer sync runs on the host network: WebRTC may use non-loopback host addresses');
		results.sync = await runSyncBench({
			chromium,
			launchOptions,
			origin,
			counts: SYNC_CARDS,
			passphrase: PASSPHRASE,
			noteBytes: NOTE_BYTES,
			seedBatch: SEED_BATCH,
			edits: SYNC_EDITS,
			editCards: SYNC_EDIT_CARDS,
			catchUpCards: SYNC_CATCH_UP,
			rawRuns: SYNC_RAW_RUNS,
			log,
			traceDir: process.env.BENCH_SYNC_TRACE
		}).catch((error) => {
			if (error?.partialSyncResult) {
				const file = join(os.tmpdir(), `kartoteka-bench-sync-partial-${Date.now()}.json`);
				writeFileSync(file, JSON.stringify(error.partialSyncResult, null, '\t'));
				console.error(`[bench] peer sync failed; what it measured so far is in ${file}`);
			}
			throw error;
		});
		syncMachine = {
			date: new Date(syncStarted).toISOString(),
			network,
			only: ONLY === 'sync',
			seconds: (Date.now() - syncStarted) / 1000,
			loadAverage: { start: syncLoadAtStart, end: os.loadavg()[0] }
		};
	}
} finally {
	await relay.close();
	server.close();
}
const totalSeconds = (Date.now() - started) / 1000;
if (process.env.BENCH_SYNC_TRACE) {
	// Traced figures are skewed by the tracing: they go to the trace directory, not the results.
	writeFileSync(join(process.env.BENCH_SYNC_TRACE, 'results.json'), JSON.stringify(results, null, '\t') + '\n');
	if (results.sync) console.log(syncRows(results.sync).map((row) => `${row.what}\n    ${row.figure}`).join('\n'));
	log(`done in ${totalSeconds.toFixed(0)} s: traced run, nothing written to bench/results.*`);
} else {
	writeResults(results, totalSeconds);
	log(`done in ${totalSeconds.toFixed(0)} s: bench/results.md, bench/results.json`);
}

/**
 * Peer sync runs over real WebRTC, so the whole bench re-runs itself inside a network namespace
 * that has only loopback (as scripts/test.mjs does for the browser tests): WebRTC then has no
 * address but 127.0.0.1 to use, whatever Chromium gathers. Root uses `unshare -n`, others a user
 * namespace (`unshare -rn`). Returns 'loopback' inside the namespace, 'host' where none is available
 * (or BENCH_NETNS=host); never returns in the parent process that re-ran itself.
 */
function enterLoopbackNamespace() {
	if (process.env.BENCH_NETNS === 'loopback' || process.env.BENCH_NETNS === 'host') return process.env.BENCH_NETNS;
	if (!RUN_SYNC) return 'host';
	const flags = process.getuid?.() === 0 ? '-n' : '-rn';
	const probe = spawnSync('unshare', [flags, '--', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' });
	if (probe.status !== 0) {
		console.warn('[bench] no network namespace available: the bench, peer sync included, runs on the host network');
		return 'host';
	}
	const script = 'ip link set lo up && exec "$@"';
	const child = spawnSync('unshare', [flags, '--', 'sh', '-c', script, 'sh', process.execPath, ...process.argv.slice(1)], {
		stdio: 'inherit',
		env: { ...process.env, BENCH_NETNS: 'loopback' }
	});
	process.exit(child.status ?? 1);
}

// ---------------------------------------------------------------------------------------------

async function run(context) {
	const harness = context.pages()[0] ?? (await context.newPage());
	harness.on('console', (m) => m.type() === 'error' && console.error('[harness]', m.text()));
	harness.on('pageerror', (e) => console.error('[harness]', e));
	await harness.goto(`${origin}/bench/`);
	await harness.waitForFunction(() => !!window.kartotekaBench);
	const call = (name, arg) => harness.evaluate(([n, a]) => window.kartotekaBench[n](a), [name, arg]);

	results.info = await call('info');
	const cdp = await context.newCDPSession(harness);
	results.info.browserVersion = (await cdp.send('Browser.getVersion')).product;
	await cdp.detach();

	// Setup calibrates the KDF after someone has filled in the form: let the fresh page settle first.
	await harness.waitForTimeout(3000);
	log(`seeding ${CARDS} cards (batches of ${SEED_BATCH})`);
	results.seed = await call('seed', { count: CARDS, batch: SEED_BATCH, noteBytes: NOTE_BYTES, passphrase: PASSPHRASE });
	const salonId = results.seed.salonId;
	const salon = { salonId, passphrase: PASSPHRASE };
	log(`seeded in ${(results.seed.seedMs / 1000).toFixed(1)} s; KDF ${results.seed.kdfIterations} iterations`);

	log('key derivation and unlock steps');
	results.kdf = await call('measureKdf', { salonId, runs: 5, calibrations: 8 });
	results.unlockParts = [];
	for (let i = 0; i < 3; i++) results.unlockParts.push(await call('measureUnlockParts', salon));

	log(`opening ${OPEN_CARDS} random cards`);
	results.openCards = await call('openCards', { ...salon, count: OPEN_CARDS, seed: 7 });

	log('pure search');
	results.searchPure = await call('searchPure', { ...salon, queries: QUERIES, rounds: 5 });

	// The UI runs before the bulk read: the harness page shares the renderer (and its V8 heap) with
	// the app, so it holds nothing large while the app is timed.
	log('the real UI: unlock, search, open cards');
	results.ui = await measureUi(context);

	log('bulk read and stored bytes');
	results.bytes = await call('bulkReadAndBytes', salon);

	log(`${EDITS} edits`);
	results.edits = await call('edits', { ...salon, count: EDITS, cards: EDIT_CARDS });

	log(`clinical docs: ${CLINICAL_VISITS} visits and ${CLINICAL_INTERVIEWS} interviews for ${CLINICAL_CARDS} cards`);
	results.clinicalSeed = await call('seedClinicalCards', {
		...salon,
		clients: CLINICAL_CARDS,
		visits: CLINICAL_VISITS,
		interviews: CLINICAL_INTERVIEWS,
		concurrency: 6
	});
	log(`… written in ${(results.clinicalSeed.seedMs / 1000).toFixed(1)} s (${results.clinicalSeed.appends} appends); opening them`);
	results.clinicalOpen = await call('openClinicalCards', {
		...salon,
		clientIds: results.clinicalSeed.clientIds,
		rounds: CLINICAL_ROUNDS,
		visits: CLINICAL_VISITS,
		interviews: CLINICAL_INTERVIEWS
	});

	log(`every rule for ${RULE_CLIENTS} clinical summaries (${RULE_RUNS} runs)`);
	results.rules = await call('evaluateAllRules', { clients: RULE_CLIENTS, runs: RULE_RUNS });

	log(`DocStore.load of all ${CARDS} cards (concurrency ${CONCURRENCY})`);
	results.loadAll = await call('docStoreLoadAll', { ...salon, concurrency: CONCURRENCY });

	log(`y-indexeddb baseline (concurrency ${CONCURRENCY})`);
	results.yIndexeddb = await call('yIndexeddbBaseline', { concurrency: CONCURRENCY, prefix: 'bench-y-indexeddb-' });
}

async function measureUi(context) {
	const page = await context.newPage();
	page.on('pageerror', (e) => console.error('[app]', e));
	await page.goto(`${origin}/`);
	const ui = { unlock: [], keystrokes: [], openCard: [] };

	for (let r = 0; r < UNLOCK_RUNS; r++) {
		if (r > 0) await page.reload();
		await page.getByLabel('Hasło', { exact: true }).waitFor();
		await page.evaluate(() => {
			const m = (window.__unlock = { t0: 0, t1: 0, t2: 0, rows: 0 });
			document.addEventListener(
				'click',
				(e) => {
					if (!m.t0 && e.target instanceof Element && e.target.closest('button[type=submit]')) m.t0 = performance.now();
				},
				true
			);
			const observer = new MutationObserver(() => {
				if (!m.t0 || m.t1 || !document.querySelector('[data-testid="client-list"] li')) return;
				void document.body.offsetHeight; // style and layout of the new list, inside the measurement
				m.t1 = performance.now();
				m.rows = document.querySelectorAll('[data-testid="client-list"] li').length;
				observer.disconnect();
				requestAnimationFrame(() => setTimeout(() => (m.t2 = performance.now()), 0));
			});
			observer.observe(document.body, { childList: true, subtree: true });
		});
		await page.getByLabel('Hasło', { exact: true }).fill(PASSPHRASE);
		await page.getByRole('button', { name: 'Odblokuj', exact: true }).click();
		await page.waitForFunction(() => window.__unlock.t2 > 0, null, { timeout: 60_000 });
		const m = await page.evaluate(() => window.__unlock);
		ui.unlock.push({ toRowsMs: m.t1 - m.t0, toNextFrameMs: m.t2 - m.t0, rows: m.rows });
	}

	// Search: real key presses; timed in the page from the input event to the list updated and laid out.
	const search = page.locator('#search');
	await search.click();
	await page.evaluate(() => {
		const input = document.querySelector('#search');
		const records = (window.__ks = []);
		let current = null;
		window.addEventListener(
			'input',
			(e) => {
				if (e.target === input) current = { t0: performance.now(), query: input.value, tMicro: 0, tMutation: 0, tFrame: 0 };
			},
			true
		);
		// Added after Svelte's own listener, so this microtask runs after the flush it queued.
		input.addEventListener('input', () => {
			const rec = current;
			queueMicrotask(() => {
				void document.body.offsetHeight;
				rec.tMicro = performance.now();
			});
			requestAnimationFrame(() => {
				rec.tFrame = performance.now();
				setTimeout(() => {
					rec.rows = document.querySelectorAll('[data-testid="client-list"] li').length;
					rec.count = document.querySelector('[data-testid="client-count"]')?.textContent ?? '';
					records.push(rec);
				}, 0);
			});
		});
		new MutationObserver(() => {
			if (current && !current.tFrame) {
				void document.body.offsetHeight;
				current.tMutation = performance.now();
			}
		}).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
	});
	const keystroke = async (action) => {
		const n = await page.evaluate(() => window.__ks.length);
		await action();
		await page.waitForFunction((k) => window.__ks.length > k, n);
	};
	for (let round = 0; round < 2; round++) {
		for (const q of QUERIES) {
			if (await search.inputValue()) {
				await keystroke(async () => {
					await page.keyboard.press('Control+A');
					await page.keyboard.press('Backspace');
				});
			}
			for (const ch of q) await keystroke(() => page.keyboard.type(ch));
		}
	}
	const ks = await page.evaluate(() => window.__ks);
	ui.keystrokes = ks.map((r) => ({
		query: r.query,
		toRenderedMs: Math.max(r.tMicro, r.tMutation) - r.t0,
		toFrameMs: r.tFrame - r.t0,
		rows: r.rows,
		count: r.count
	}));
	await keystroke(async () => {
		await page.keyboard.press('Control+A');
		await page.keyboard.press('Backspace');
	});

	// Opening a card from the list: click on a row until the card's name is laid out.
	await page.evaluate(() => {
		const m = (window.__open = { t0: 0, t1: 0 });
		document.addEventListener(
			'click',
			(e) => {
				if (e.target instanceof Element && e.target.closest('a.item')) {
					m.t0 = performance.now();
					m.t1 = 0;
				}
			},
			true
		);
		new MutationObserver(() => {
			if (!m.t0 || m.t1) return;
			const name = document.querySelector('[data-testid="card-name"]');
			if (!name || !name.textContent?.trim()) return;
			void document.body.offsetHeight;
			m.t1 = performance.now();
		}).observe(document.body, { childList: true, subtree: true, characterData: true });
	});
	// BENCH_PROFILE=path writes a CPU profile of the card opens (Chrome DevTools format).
	const profiler = process.env.BENCH_PROFILE ? await context.newCDPSession(page) : null;
	if (profiler) {
		await profiler.send('Profiler.enable');
		await profiler.send('Profiler.setSamplingInterval', { interval: 100 });
		await profiler.send('Profiler.start');
	}
	for (let i = 0; i <= UI_OPEN_CARDS; i++) {
		const rowCount = await page.locator('[data-testid="client-list"] a.item').count();
		const row = page.locator('[data-testid="client-list"] a.item').nth((i * 7) % rowCount);
		// A DOM click on the link (the app's sticky header can cover a row that Playwright scrolls
		// to); SvelteKit's router handles it like a tap, and the timing starts at the click event.
		await row.evaluate((a) => {
			a.scrollIntoView({ block: 'center' });
			a.click();
		});
		await page.waitForFunction(() => window.__open.t1 > 0, null, { timeout: 30_000 });
		const m = await page.evaluate(() => window.__open);
		// The first open also fetches the card route's code; it is reported apart.
		if (i === 0) ui.firstOpenCardMs = m.t1 - m.t0;
		else ui.openCard.push(m.t1 - m.t0);
		await page.goBack();
		await page.locator('[data-testid="client-list"] li').first().waitFor();
	}
	if (profiler) {
		const { profile } = await profiler.send('Profiler.stop');
		writeFileSync(process.env.BENCH_PROFILE, JSON.stringify(profile));
		await profiler.detach();
	}
	await page.close();
	return ui;
}

// ---------------------------------------------------------------------------------------------

function quantile(values, q) {
	const sorted = [...values].sort((a, b) => a - b);
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
function median(v) {
	return quantile(v, 0.5);
}
function p95(v) {
	return quantile(v, 0.95);
}
function ms(v) {
	return v >= 100 ? `${Math.round(v).toLocaleString('en-US')} ms` : `${v.toFixed(1)} ms`;
}
function kb(v) {
	return `${(v / 1024).toFixed(1)} KiB`;
}

/** The rows, JSON parts and markdown of the main part (everything but peer sync). */
function mainResults(r, totalSeconds) {
	const chromiumVersion = /\/([\d.]+)$/.exec(r.info.browserVersion ?? '')?.[1] ?? 'unknown';
	const unlockRows = r.ui.unlock.map((u) => u.toRowsMs);
	const unlockMedian = median(unlockRows);
	const kdfMedian = median(r.kdf.runs);
	const partsMedian = Object.fromEntries(
		Object.keys(r.unlockParts[0])
			.filter((k) => typeof r.unlockParts[0][k] === 'number' && k !== 'summaries' && k !== 'shown')
			.map((k) => [k, median(r.unlockParts.map((p) => p[k]))])
	);
	const uiKeys = r.ui.keystrokes.map((k) => k.toRenderedMs);
	const uiFrames = r.ui.keystrokes.map((k) => k.toFrameMs);
	const pageRows = Math.max(...r.ui.keystrokes.map((k) => k.rows));
	const fewRows = r.ui.keystrokes.filter((k) => k.rows < pageRows).map((k) => k.toRenderedMs);
	const manyRows = r.ui.keystrokes.filter((k) => k.rows >= pageRows).map((k) => k.toRenderedMs);
	const pure = r.searchPure.keystrokeMs;
	const openTotal = r.openCards.totalMs;
	const appendMs = r.edits.toAppendMs;
	const saveMs = r.edits.toSummaryMs;
	const bytes = r.bytes;
	const y = r.yIndexeddb;
	const met = (ok) => (ok ? 'yes' : '**no**');
	const n = CARDS.toLocaleString('en-US');

	const co = r.clinicalOpen;
	const rulesMedian = median(r.rules.runMs);

	const rows = [
		{
			what: `Seed ${n} cards through createClient (createDoc ×2 + append + putSummary), ${SEED_BATCH} at a time`,
			figure: `${(r.seed.seedMs / 1000).toFixed(1)} s (${(r.seed.seedMs / CARDS).toFixed(2)} ms per card)`,
			target: '—',
			met: '—'
		},
		{
			what: `Unlock in the real UI: click "Odblokuj" → client list rows laid out (median of ${UNLOCK_RUNS}, reload between)`,
			figure: `${ms(unlockMedian)} (runs: ${unlockRows.map((v) => Math.round(v)).join(', ')}; to next frame ${ms(median(r.ui.unlock.map((u) => u.toNextFrameMs)))})`,
			target: '≤ 1,000 ms',
			met: met(unlockMedian <= 1000)
		},
		{
			what: `… of which key derivation (measureKdfMs with the salon's stored params: PBKDF2 ${r.kdf.iterations.toLocaleString('en-US')} iterations from calibrateKdf() at salon creation; median of ${r.kdf.runs.length})`,
			figure: ms(kdfMedian),
			target: '≥ 250 ms per guess (DESIGN)',
			met: met(kdfMedian >= 250)
		},
		{
			what: `… fresh calibrateKdf() ×${r.kdf.calibrations.length} on the same page: iterations → measured ms`,
			figure: r.kdf.calibrations.map((c) => `${(c.iterations / 1e6).toFixed(2)} M → ${Math.round(c.ms)} ms`).join('; '),
			target: '≥ 250 ms each',
			met: met(r.kdf.calibrations.every((c) => c.ms >= 250))
		},
		{
			what: '… unlock minus key derivation',
			figure: ms(unlockMedian - kdfMedian),
			target: '—',
			met: '—'
		},
		{
			what: `… harness breakdown (median of ${r.unlockParts.length}): unlockWithPassphrase / salon doc / loadSummaries (${r.unlockParts[0].summaries}) / index build / first search incl. sort`,
			figure: [partsMedian.unlockWithPassphrase, partsMedian.loadSalonDoc, partsMedian.loadSummaries, partsMedian.buildIndex, partsMedian.firstSearchWithSort]
				.map(ms)
				.join(' / '),
			target: '—',
			met: '—'
		},
		{
			what: `Search keystroke in the real UI: input event → list updated and laid out (${uiKeys.length} keystrokes), p50 / p95`,
			figure: `${ms(median(uiKeys))} / ${ms(p95(uiKeys))} (max ${ms(Math.max(...uiKeys))}; to next frame p95 ${ms(p95(uiFrames))})`,
			target: 'p95 ≤ 10 ms',
			met: met(p95(uiKeys) <= 10)
		},
		{
			what: `… the same keystrokes split by result size: fewer rows than a full list page / a full page (${pageRows} rows)`,
			figure: `p95 ${ms(p95(fewRows))} (${fewRows.length} keystrokes) / p95 ${ms(p95(manyRows))} (${manyRows.length} keystrokes)`,
			target: '—',
			met: '—'
		},
		{
			what: `ClientSearchIndex.search over ${r.searchPure.size.toLocaleString('en-US')} summaries (${pure.length} keystrokes), p50 / p95`,
			figure: `${ms(median(pure))} / ${ms(p95(pure))}`,
			target: 'p95 ≤ 10 ms',
			met: met(p95(pure) <= 10)
		},
		{
			what: `Open a card: DocStore.load + readProfile, ${openTotal.length} random cards, cold key cache, p50 / p95`,
			figure: `${ms(median(openTotal))} / ${ms(p95(openTotal))} (max ${ms(Math.max(...openTotal))})`,
			target: 'p95 ≤ 50 ms',
			met: met(p95(openTotal) <= 50)
		},
		{
			what: `Open a card in the real UI: click a row → card name laid out (${r.ui.openCard.length} cards), p50 / p95`,
			figure: `${ms(median(r.ui.openCard))} / ${ms(p95(r.ui.openCard))} (first open, fetching the route's code: ${ms(r.ui.firstOpenCardMs)})`,
			target: 'p95 ≤ 50 ms',
			met: met(p95(r.ui.openCard) <= 50)
		},
		{
			what: `A field edit to stored: saveProfile until its append resolved (${appendMs.length} edits on ${EDIT_CARDS} open cards), p50 / p95`,
			figure: `${ms(median(appendMs))} / ${ms(p95(appendMs))} (max ${ms(Math.max(...appendMs))})`,
			target: 'p95 ≤ 20 ms',
			met: met(p95(appendMs) <= 20)
		},
		{
			what: '… the whole saveProfile, summary re-sealed and stored too, p50 / p95',
			figure: `${ms(median(saveMs))} / ${ms(p95(saveMs))}`,
			target: '—',
			met: '—'
		},
		{
			what: `Open a clinical card with ${CLINICAL_VISITS} visits and ${CLINICAL_INTERVIEWS} interviews: DocStore.load of profile doc + readProfile + listConsents, then of the clinical doc + listVisits, listInterviews and the other sections (${co.cards} cards × ${co.rounds} rounds, fresh DocStore per round), p50 / p95`,
			figure: `${ms(median(co.totalMs))} / ${ms(p95(co.totalMs))} (max ${ms(Math.max(...co.totalMs))}; clinical part p95 ${ms(p95(co.clinicalMs))}, of which DocStore.load p95 ${ms(p95(co.clinicalLoadMs))}; ${kb(co.clinicalYjsBytes)} of Yjs state per clinical doc)`,
			target: 'p95 ≤ 50 ms',
			met: met(p95(co.totalMs) <= 50)
		},
		{
			what: `… writing those cards: ${r.clinicalSeed.appends.toLocaleString('en-US')} saves (addInterview / startVisit with evaluateRules warnings / completeVisit, one DocStore.append each), 6 cards at a time`,
			figure: `${(r.clinicalSeed.seedMs / 1000).toFixed(1)} s (${ms(r.clinicalSeed.seedMs / r.clinicalSeed.appends)} per save incl. evaluating the rules)`,
			target: '—',
			met: '—'
		},
		{
			what: `Evaluate every rule for every client: evaluateFromSummary × ${r.rules.treatments} seed treatments (${r.rules.rules} catalogue rules + built-in checks) × ${r.rules.clients.toLocaleString('en-US')} clinical summaries (varied with makeRandom; ${Math.round(r.rules.summaryBytes)} B of JSON each), median of ${r.rules.runMs.length} runs`,
			figure: `${ms(rulesMedian)} (runs: ${r.rules.runMs.map((v) => Math.round(v)).join(', ')}; ${r.rules.warnings.toLocaleString('en-US')} warnings, ${r.rules.blockingPairs.toLocaleString('en-US')} blocked client–treatment pairs)`,
			target: '≤ 200 ms',
			met: met(rulesMedian <= 200)
		},
		{
			what: 'Stored bytes per card (all sealed records of both docs, doc keys, summary) vs plain Yjs (Y.encodeStateAsUpdate)',
			figure: `${kb(bytes.storedBytesPerCard)} vs ${kb(bytes.yjsBytesPerCard)} (×${(bytes.storedBytesPerCard / bytes.yjsBytesPerCard).toFixed(3)}; browser-reported origin usage ${kb(bytes.originUsageBytes / CARDS)} per card)`,
			target: '—',
			met: '—'
		},
		{
			what: `Bulk read of every stored record (one getAll per store) + unwrap ${n}×2 doc keys + decrypt every update`,
			figure: `${ms(bytes.bulkMs)} (read ${ms(bytes.readMs)}, unwrap ${ms(bytes.unwrapMs)}, decrypt ${ms(bytes.decryptMs)})`,
			target: '—',
			met: '—'
		},
		{
			what: `Our DocStore.load of all ${n} cards, concurrency ${CONCURRENCY}`,
			figure: ms(r.loadAll.ms),
			target: '—',
			met: '—'
		},
		{
			what: `Baseline y-indexeddb 9.0.12 (one database per doc): write ${n} docs, concurrency ${CONCURRENCY}`,
			figure: `${ms(y.writeMs)} (our seeding above, not like for like: it also validates, creates two docs and their keys and a summary per card)`,
			target: '—',
			met: '—'
		},
		{
			what: `Baseline y-indexeddb: open ${n} docs until synced, concurrency ${CONCURRENCY}`,
			figure: `${ms(y.loadMs)} = ×${(y.loadMs / r.loadAll.ms).toFixed(1)} our DocStore.load of all, ×${(y.loadMs / bytes.bulkMs).toFixed(1)} our bulk read + decrypt`,
			target: '—',
			met: '—'
		}
	];

	const cpus = os.cpus();
	const machine = {
		date: new Date().toISOString(),
		chromium: chromiumVersion,
		userAgent: r.info.userAgent,
		cores: r.info.hardwareConcurrency,
		cpuModel: cpus[0]?.model ?? 'unknown',
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		os: `${os.type()} ${os.release()} ${os.arch()}`,
		timerResolutionMs: r.info.timerResolutionMs,
		// Other work on the machine skews every figure: the 1-minute load average at start and end.
		loadAverage: { start: loadAtStart, end: os.loadavg()[0] }
	};
	const summary = rows.map(({ what, figure, target, met: m }) => ({ what, figure, target, met: m }));
	const json = {
		machine,
		totalSeconds,
		parameters: { cards: CARDS, seedBatch: SEED_BATCH, noteBytes: NOTE_BYTES, unlockRuns: UNLOCK_RUNS, openCards: OPEN_CARDS, uiOpenCards: UI_OPEN_CARDS, edits: EDITS, editCards: EDIT_CARDS, concurrency: CONCURRENCY, queries: QUERIES, clinicalCards: CLINICAL_CARDS, clinicalVisits: CLINICAL_VISITS, clinicalInterviews: CLINICAL_INTERVIEWS, clinicalRounds: CLINICAL_ROUNDS, ruleClients: RULE_CLIENTS, ruleRuns: RULE_RUNS },
		summary,
		figures: {
			seedMs: r.seed.seedMs,
			unlockUiMedianMs: unlockMedian,
			kdfMedianMs: kdfMedian,
			kdfIterations: r.kdf.iterations,
			unlockMinusKdfMs: unlockMedian - kdfMedian,
			unlockPartsMedianMs: partsMedian,
			searchUiP50Ms: median(uiKeys),
			searchUiP95Ms: p95(uiKeys),
			searchPureP50Ms: median(pure),
			searchPureP95Ms: p95(pure),
			openCardP50Ms: median(openTotal),
			openCardP95Ms: p95(openTotal),
			openCardUiP50Ms: median(r.ui.openCard),
			openCardUiP95Ms: p95(r.ui.openCard),
			editToAppendP50Ms: median(appendMs),
			editToAppendP95Ms: p95(appendMs),
			editToSummaryP95Ms: p95(saveMs),
			openClinicalCardP50Ms: median(co.totalMs),
			openClinicalCardP95Ms: p95(co.totalMs),
			evaluateAllRulesMedianMs: rulesMedian,
			storedBytesPerCard: bytes.storedBytesPerCard,
			yjsBytesPerCard: bytes.yjsBytesPerCard,
			bulkReadDecryptMs: bytes.bulkMs,
			docStoreLoadAllMs: r.loadAll.ms,
			yIndexeddbWriteMs: y.writeMs,
			yIndexeddbLoadMs: y.loadMs
		},
		raw: r
	};

	const esc = (s) => String(s).replace(/\|/g, '\\|');
	const md = [
		'# Kartoteka benchmark results',
		'',
		`Measured ${machine.date.slice(0, 16).replace('T', ' ')} UTC by \`npm run bench\` in ${totalSeconds.toFixed(0)} s: headless Chromium ${machine.chromium}, ` +
			`${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}. ` +
			`${n} synthetic cards of ~${kb(bytes.yjsBytesPerCard)} Yjs state each (makeClientProfile plus a note of visit-like lines), ` +
			`IndexedDB on disk (persistent profile), timer resolution ${machine.timerResolutionMs.toFixed(3)} ms, ` +
			`1-minute load average ${machine.loadAverage.start.toFixed(2)} at start and ${machine.loadAverage.end.toFixed(2)} at the end (other work on the machine skews the figures). ` +
			'No assertions: targets are for reading.',
		'',
		'| what | figure | target | met? |',
		'|---|---|---|---|',
		...rows.map((row) => `| ${esc(row.what)} | ${esc(row.figure)} | ${esc(row.target)} | ${row.met} |`),
		'',
		'How each figure is taken (details and raw timings in results.json):',
		'',
		'- Unlock and search are timed inside the page with `performance.now()`: from the click (or `input` event) to the moment',
		'  the DOM holds the new rows and a forced style/layout has run; "to next frame" adds the wait for `requestAnimationFrame`.',
		'- Opening cards and edits use the app modules directly (bench/harness.ts): a fresh DocStore after a passphrase unlock,',
		'  so doc keys are unwrapped on first use as in the app. Edits alternate an address change and a line added to the note,',
		'  20 per card, so background compaction runs meanwhile.',
		'- Stored bytes count IV + ciphertext + key id of every envelope that belongs to a client; the origin usage is',
		'  `navigator.storage.estimate()` and includes IndexedDB overhead (it lags behind writes: the y-indexeddb delta in',
		'  results.json is not trustworthy).',
		'- The y-indexeddb baseline writes the very Yjs bytes of the seeded cards (one database per doc) and then opens each',
		'  until `synced`; "our bulk read" is one getAll per object store plus unwrapping the doc keys and decrypting.',
		'- Clinical cards (issue 6): the clinical docs of the last cards get interviews and visits written through the real doc',
		'  functions (addInterview, startVisit with the warnings of evaluateRules and an override reason when they block,',
		'  completeVisit), one sealed append per save as the app does, then their summaries re-sealed; opening one is timed as',
		'  the card page does it (profile doc, then the clinical doc and every section list).',
		'- The rule engine runs on synthetic clinical summaries made by summariseClinical from varied interviews, visits and',
		'  patch tests (makeRandom), already in memory: decrypting the summaries is part of unlock (loadSummaries above).',
		`  The first run includes JIT warm-up (${ms(r.rules.runMs[0])}); the median is reported.`,
		''
	].join('\n');
	return { rows: summary, json, md };
}

/**
 * Writes bench/results.json and bench/results.md. A part that did not run (BENCH_ONLY) keeps its
 * rows, figures and markdown from the existing results files, so a sync-only run leaves the main
 * rows in place and the other way round.
 */
function writeResults(r, totalSeconds) {
	const previousJson = existsSync('bench/results.json') ? JSON.parse(readFileSync('bench/results.json', 'utf8')) : null;
	const previousMd = existsSync('bench/results.md') ? readFileSync('bench/results.md', 'utf8') : '';
	const cut = previousMd.indexOf('## Peer sync');

	let main;
	if (RUN_MAIN) main = mainResults(r, totalSeconds);
	else {
		if (!previousJson) throw new Error('BENCH_ONLY=sync needs an earlier bench/results.json to keep the other rows');
		const { summary = [], figures = {}, raw = {}, parameters = {}, syncMachine: _m, ...rest } = previousJson;
		const { sync: _f, ...mainFigures } = figures;
		const { sync: _r, ...mainRaw } = raw;
		const { sync: _p, ...mainParameters } = parameters;
		main = {
			rows: summary.filter((row) => row.section !== 'sync'),
			json: { ...rest, parameters: mainParameters, figures: mainFigures, raw: mainRaw },
			md: cut >= 0 ? previousMd.slice(0, cut) : previousMd
		};
	}

	let sync = null;
	if (RUN_SYNC) {
		const rows = syncRows(r.sync);
		sync = {
			rows,
			figures: syncFigures(r.sync),
			raw: r.sync,
			machine: syncMachine,
			parameters: { cards: SYNC_CARDS, edits: SYNC_EDITS, editCards: SYNC_EDIT_CARDS, catchUpCards: SYNC_CATCH_UP, rawRuns: SYNC_RAW_RUNS },
			md: syncMarkdown(r.sync, rows, syncMachine)
		};
	} else if (previousJson?.figures?.sync) {
		sync = {
			rows: previousJson.summary.filter((row) => row.section === 'sync'),
			figures: previousJson.figures.sync,
			raw: previousJson.raw?.sync,
			machine: previousJson.syncMachine,
			parameters: previousJson.parameters?.sync,
			md: cut >= 0 ? previousMd.slice(cut) : ''
		};
	}

	const json = {
		machine: main.json.machine,
		totalSeconds: main.json.totalSeconds,
		parameters: { ...main.json.parameters, ...(sync ? { sync: sync.parameters } : {}) },
		summary: [...main.rows, ...(sync ? sync.rows.map(({ what, figure, target, met: m }) => ({ section: 'sync', what, figure, target, met: m })) : [])],
		figures: { ...main.json.figures, ...(sync ? { sync: sync.figures } : {}) },
		raw: { ...main.json.raw, ...(sync ? { sync: sync.raw } : {}) },
		...(sync ? { syncMachine: sync.machine } : {})
	};
	writeFileSync('bench/results.json', JSON.stringify(json, null, '\t') + '\n');
	const md = main.md.trimEnd() + '\n' + (sync ? '\n' + sync.md.trimEnd() + '\n' : '');
	writeFileSync('bench/results.md', md);
	console.log('\n' + md);
}
