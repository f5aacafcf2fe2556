// The peer-sync part of `npm run bench` (issue 5), driven from scripts/bench.mjs. Two separate
// headless Chromium instances (own processes, own persistent profiles: two tablets) open the bench
// harness (bench/sync-harness.ts) from the bench server, which also serves the relay at /signal.
// Device A seeds a real salon; device B is a new device of the same salon: the same salon id and
// keyring (so the same passphrase opens the same keys) and nothing else. Both run SyncNode +
// SignalingClient + SyncMesh as the app does, with iceServers [] and the microphone permission
// granted (without it Chromium gathers no loopback candidate).
//
// Measured: the first sync of each card count in BENCH_SYNC_CARDS to a fresh B (time, bytes) and,
// between the same two browsers in the same run, a raw data channel moving the same bytes; live
// edit propagation A -> B; and catching up after B was paused while A changed cards.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

/** Added to CHROMIUM_ARGS for WebRTC between two local browsers, as in tests/e2e/sync.spec.ts. */
export const WEBRTC_ARGS = ['--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'];

const RAW_MESSAGE_BYTES = 16 * 1024;

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the machine's CPUs are mostly idle (at most `maxBusy` of all cores busy over `windowMs`),
 * so the first sync and the raw baseline both start on a quiet machine: a browser's IndexedDB backend
 * keeps compacting for seconds after thousands of writes, and on 2 cores that alone slows either
 * figure. Gives up after `timeoutMs`. Returns how long it waited and how busy the last window was.
 */
async function waitForQuietCpu({ maxBusy = 0.35, windowMs = 500, timeoutMs = 20_000 } = {}) {
	const startedAt = Date.now();
	const total = () => os.cpus().reduce((sum, c) => {
		const t = c.times;
		return { busy: sum.busy + t.user + t.nice + t.sys + t.irq, all: sum.all + t.user + t.nice + t.sys + t.irq + t.idle };
	}, { busy: 0, all: 0 });
	let busy = 1;
	while (Date.now() - startedAt < timeoutMs) {
		const before = total();
		await pause(windowMs);
		const after = total();
		busy = (after.busy - before.busy) / Math.max(1, after.all - before.all);
		if (busy <= maxBusy) break;
	}
	return { waitedMs: Date.now() - startedAt, busy };
}

/**
 * Runs the peer-sync benchmark; returns raw results for syncRows / syncMarkdown.
 * @param {object} o
 * @param {import('playwright').BrowserType} o.chromium
 * @param {object} o.launchOptions persistent-context options (executablePath, args, locale, ...)
 * @param {string} o.origin the bench server (the harness at /bench/, the relay at /signal)
 * @param {number[]} o.counts card counts of the first syncs, ascending (one fresh device B each)
 */
export async function runSyncBench(o) {
	const { chromium, launchOptions, origin, counts, passphrase, noteBytes, seedBatch, edits, editCards, catchUpCards, rawRuns, log, traceDir } = o;
	const trace = !!traceDir;
	if (traceDir) mkdirSync(traceDir, { recursive: true });
	// BENCH_SYNC_TRACE: CPU profiles of both pages and the harness's call timings per phase.
	const startTrace = async (devices) => {
		if (!trace) return null;
		const sessions = [];
		for (const d of devices) {
			await d.call('syncTrace');
			const cdp = await d.page.context().newCDPSession(d.page);
			await cdp.send('Profiler.enable');
			await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
			await cdp.send('Profiler.start');
			sessions.push({ d, cdp });
		}
		return sessions;
	};
	const stopTrace = async (sessions, phase) => {
		if (!sessions) return;
		for (const { d, cdp } of sessions) {
			const { profile } = await cdp.send('Profiler.stop');
			await cdp.detach();
			const name = d.name.replace(/\d+$/, '');
			writeFileSync(join(traceDir, `${phase}-${name}.cpuprofile`), JSON.stringify(profile));
			writeFileSync(join(traceDir, `${phase}-${name}.json`), JSON.stringify(await d.call('syncTrace')));
		}
		log(`… trace of ${phase} written to ${traceDir}`);
	};
	const relayUrl = `${origin.replace(/^http/, 'ws')}/signal`;
	const result = { counts, firstSync: [], seed: [], edits: null, catchUp: null, clock: null };
	const opened = [];

	const openDevice = async (name) => {
		const dir = mkdtempSync(join(os.tmpdir(), `kartoteka-bench-${name}-`));
		const context = await chromium.launchPersistentContext(dir, {
			...launchOptions,
			args: [...launchOptions.args, ...WEBRTC_ARGS],
			permissions: ['microphone']
		});
		await context.grantPermissions(['microphone'], { origin });
		const page = context.pages()[0] ?? (await context.newPage());
		let warnings = 0;
		page.on('console', (m) => {
			if (m.type() === 'error') console.error(`[${name}]`, m.text());
			else if (m.type() === 'warning' && ++warnings <= 10) console.warn(`[${name}]`, m.text());
		});
		page.on('pageerror', (e) => console.error(`[${name}]`, e));
		await page.goto(`${origin}/bench/`);
		await page.waitForFunction(() => !!window.kartotekaBench);
		const device = {
			name,
			page,
			call: (fn, arg) => page.evaluate(([n, a]) => window.kartotekaBench[n](a), [fn, arg]),
			async close() {
				await context.close();
				rmSync(dir, { recursive: true, force: true });
				opened.splice(opened.indexOf(device), 1);
			}
		};
		opened.push(device);
		return device;
	};

	try {
		const a = await openDevice('A');
		const cdp = await a.page.context().newCDPSession(a.page);
		result.browserVersion = (await cdp.send('Browser.getVersion')).product;
		await cdp.detach();
		// Setup calibrates the KDF: let the fresh page settle first (as the main bench does).
		await a.page.waitForTimeout(3000);
		log(`sync: seeding ${counts[0]} cards on device A`);
		const seed = await a.call('seed', { count: counts[0], batch: seedBatch, noteBytes, passphrase });
		const salonId = seed.salonId;
		result.seed.push({ cards: counts[0], seedMs: seed.seedMs });
		const keyring = await a.call('syncExportKeyring', { salonId });
		const salon = { salonId, passphrase, relayUrl };
		let seeded = counts[0];
		let isARunning = false;
		let b = null;
		// Resumes B's mesh and waits until B stored `docIds`, both nodes are idle and B's summaries
		// are rebuilt (traced as `phase` under BENCH_SYNC_TRACE); the clock starts at the resume.
		const resumeUntilStored = async (device, { docIds, phase, storedTimeoutMs, idleTimeoutMs }) => {
			const traced = await startTrace([a, device]);
			const t0 = await device.call('syncResume');
			const stored = await device.call('syncWaitStored', { docIds, since: t0, timeoutMs: storedTimeoutMs });
			await stopTrace(traced, phase);
			const [idleA, idleB] = await Promise.all([
				a.call('syncWaitIdle', { stableMs: 200, timeoutMs: idleTimeoutMs }),
				device.call('syncWaitIdle', { stableMs: 200, timeoutMs: idleTimeoutMs })
			]);
			const summaries = await device.call('syncWaitSummaries');
			const statsA = await a.call('syncStats');
			const statsB = await device.call('syncStats');
			return { t0, stored, idleA, idleB, summaries, statsA, statsB };
		};

		for (const n of counts) {
			// The previous new device leaves before A grows its salon and a fresh B arrives.
			if (b) {
				await b.call('syncStop');
				await b.close();
				b = null;
				if (isARunning) await a.call('syncWaitPeers', { count: 0, timeoutMs: 30_000 });
			}
			if (n > seeded) {
				if (isARunning) await a.call('syncStop');
				isARunning = false;
				log(`sync: seeding cards ${seeded + 1}–${n} on device A`);
				const more = await a.call('seedMore', { salonId, passphrase, from: seeded + 1, to: n, batch: seedBatch, noteBytes });
				result.seed.push({ cards: n - seeded, seedMs: more.seedMs });
				seeded = n;
			}
			if (!isARunning) await a.call('syncStart', { ...salon, resume: true, trace });
			isARunning = true;
			const expected = await a.call('syncExpectedDocs', { salonId });
			const storedOnA = await a.call('syncStoredBytes', { salonId });
			b = await openDevice(`B${n}`);
			const prepared = await b.call('syncPrepareDevice', { salonId, keyring });
			const startB = await b.call('syncStart', { ...salon, resume: false, trace });

			const quietBeforeSync = await waitForQuietCpu();
			log(`sync: first sync of ${n} cards (${expected.length} docs) to a new device (CPUs ${Math.round(quietBeforeSync.busy * 100)} % busy after waiting ${quietBeforeSync.waitedMs} ms)`);
			const { t0, stored, idleA, idleB, summaries, statsA, statsB } = await resumeUntilStored(b, {
				docIds: expected,
				phase: `first-${n}`,
				storedTimeoutMs: 900_000,
				idleTimeoutMs: 300_000
			});
			const bytesB = await b.call('syncStoredBytes', { salonId });
			const linkOpenAt = statsB.linkEvents.find((e) => e.t >= t0 && e.peers.length > 0)?.t ?? NaN;
			const peerOnA = statsA.peers.find((p) => p.peerId === startB.deviceId);
			const peerOnB = statsB.peers.find((p) => p.peerId === statsA.deviceId);
			log(`… stored in ${((stored.lastAt - t0) / 1000).toFixed(2)} s; raw data channel, same bytes`);

			// The raw baseline: the bytes A's sync channel sent, between the same two browsers.
			const rawBytes = statsA.channel.dataChannelBytesSent;
			const offer = await a.call('rawOffer');
			const answer = await b.call('rawAnswer', { sdp: offer });
			await a.call('rawAccept', { sdp: answer });
			await Promise.all([a.call('rawWaitOpen'), b.call('rawWaitOpen')]);
			const clock = await a.call('rawClockOffset', { rounds: 30 });
			const offset = clock.best?.offset ?? 0;
			result.clock = { offsetMs: offset, rttMs: clock.best?.rtt ?? NaN };
			const raw = [];
			for (let i = 0; i < rawRuns; i++) {
				const quiet = await waitForQuietCpu();
				await b.call('rawExpect', { bytes: rawBytes });
				const sent = await a.call('rawSend', { bytes: rawBytes, messageBytes: RAW_MESSAGE_BYTES });
				const got = await b.call('rawResult', { timeoutMs: 300_000 });
				if (!(got.doneAt > 0)) throw new Error(`raw channel: ${got.received} of ${rawBytes} bytes arrived`);
				raw.push({ ms: got.doneAt - (sent.startAt + offset), backpressureWaits: sent.waits, messages: got.messages, quiet });
			}
			const rawChannelA = await a.call('rawStats');
			await Promise.all([a.call('rawClose'), b.call('rawClose')]);

			result.firstSync.push({
				cards: n,
				docs: expected.length,
				deviceA: statsA.deviceId,
				deviceB: startB.deviceId,
				preparedRecords: prepared.records,
				unlockMsB: startB.unlockMs,
				quietBeforeSync,
				storedMs: stored.lastAt - t0,
				firstDocMs: stored.firstAt - t0,
				linkOpenMs: linkOpenAt - t0,
				idleMs: Math.max(idleA, idleB) - t0,
				summariesMs: summaries.doneAt - t0,
				summaryFailures: summaries.failures,
				sessionA: peerOnA?.stats ?? null,
				sessionB: peerOnB?.stats ?? null,
				channelA: statsA.channel,
				channelB: statsB.channel,
				logsA: statsA.logs,
				logsB: statsB.logs,
				meshLogA: statsA.meshLog.filter((e) => e.t >= t0 - 1000),
				meshLogB: statsB.meshLog.filter((e) => e.t >= t0 - 1000),
				connectionLogA: statsA.connectionLog.filter((e) => e.t >= t0 - 1000),
				connectionLogB: statsB.connectionLog.filter((e) => e.t >= t0 - 1000),
				t0,
				storedOnA,
				storedOnB: bytesB,
				rawBytes,
				rawChannel: rawChannelA.pairs,
				raw,
				clock
			});
		}

		// Live edits on A, one at a time, each timed until B stored it.
		log(`sync: ${edits} live edits on ${editCards} cards`);
		await a.call('syncOpenEditCards', { count: editCards });
		const offset = result.clock?.offsetMs ?? 0;
		let cursor = await b.call('syncEventCount');
		const rows = [];
		const tracedEdits = await startTrace([a, b]);
		const before = await a.call('syncStats');
		for (let e = 0; e < edits; e++) {
			const edit = await a.call('syncEdit', { e, idleTimeoutMs: 5000 });
			const got = await b.call('syncWaitEvent', { docId: edit.docId, from: cursor, timeoutMs: 30_000 });
			cursor = got.index + 1;
			rows.push({
				toStoredMs: got.t - (edit.t0 + offset),
				toAppendedOnAMs: edit.appendedAt - edit.t0,
				appendedToStoredMs: got.t - (edit.appendedAt + offset),
				saveMs: edit.savedAt - edit.t0,
				wasIdle: edit.wasIdle
			});
		}
		result.edits = rows;
		await stopTrace(tracedEdits, 'edits');
		const after = await a.call('syncStats');
		const sessionBefore = before.peers[0]?.stats;
		const sessionAfter = after.peers[0]?.stats;
		result.editTraffic =
			sessionBefore && sessionAfter && before.peers[0].peerId === after.peers[0].peerId
				? {
						docsSent: sessionAfter.docsSent - sessionBefore.docsSent,
						payloadBytes: sessionAfter.bytesSent - sessionBefore.bytesSent,
						channelBytes: after.channel.dataChannelBytesSent - before.channel.dataChannelBytesSent
					}
				: null;

		// Apart and back: B pauses, A changes cards, B resumes.
		// Trial runs with few cards change what there is beyond the edited cards.
		const catchUp = Math.min(catchUpCards, seeded - editCards);
		log(`sync: catching up ${catchUp} changed cards`);
		await a.call('syncWaitIdle', { stableMs: 200, timeoutMs: 60_000 });
		await b.call('syncPause');
		await a.call('syncWaitPeers', { count: 0, timeoutMs: 30_000 });
		const changed = await a.call('syncEditMany', { count: catchUp, offset: editCards });
		const { t0, stored, idleA, idleB, summaries, statsA, statsB } = await resumeUntilStored(b, {
			docIds: changed.docIds,
			phase: 'catch-up',
			storedTimeoutMs: 300_000,
			idleTimeoutMs: 120_000
		});
		result.catchUp = {
			cards: catchUp,
			editMs: changed.ms,
			storedMs: stored.lastAt - t0,
			firstDocMs: stored.firstAt - t0,
			linkOpenMs: (statsB.linkEvents.find((e) => e.t >= t0 && e.peers.length > 0)?.t ?? NaN) - t0,
			idleMs: Math.max(idleA, idleB) - t0,
			summariesMs: summaries.doneAt - t0,
			sessionA: statsA.peers.find((p) => p.peerId === statsB.deviceId)?.stats ?? null,
			sessionB: statsB.peers.find((p) => p.peerId === statsA.deviceId)?.stats ?? null,
			channelA: statsA.channel,
			channelB: statsB.channel,
			meshLogA: statsA.meshLog.filter((e) => e.t >= t0 - 1000),
			meshLogB: statsB.meshLog.filter((e) => e.t >= t0 - 1000),
			t0
		};
		await b.call('syncStop');
		await a.call('syncStop');
	} catch (error) {
		// What was measured before the failure, for whoever has to find out why.
		error.partialSyncResult = result;
		throw error;
	} finally {
		for (const device of [...opened]) await device.close().catch(() => undefined);
	}
	return result;
}

// ---------------------------------------------------------------------------------------------

function quantile(values, q) {
	const sorted = [...values].sort((x, y) => x - y);
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
const median = (v) => quantile(v, 0.5);
const p95 = (v) => quantile(v, 0.95);
const ms = (v) => (v >= 100 ? `${Math.round(v).toLocaleString('en-US')} ms` : `${v.toFixed(1)} ms`);
const sec = (v) => `${(v / 1000).toFixed(2)} s`;
const bytes = (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(1)} MB` : `${(v / 1024).toFixed(1)} KiB`);
const num = (v) => v.toLocaleString('en-US');
const met = (ok) => (ok ? 'yes' : '**no**');

/** The figures the results keep for the sync part. */
export function syncFigures(s) {
	const figures = {};
	for (const r of s.firstSync) {
		const rawMs = median(r.raw.map((x) => x.ms));
		figures[`firstSync${r.cards}`] = {
			storedMs: r.storedMs,
			rawMs,
			ratio: r.storedMs / rawMs,
			docs: r.docs,
			payloadBytesSent: r.sessionA?.bytesSent ?? null,
			channelBytesAtoB: r.channelA.dataChannelBytesSent,
			channelBytesBtoA: r.channelB.dataChannelBytesSent,
			storedBytesOnB: r.storedOnB.total
		};
	}
	const to = s.edits.map((e) => e.toStoredMs);
	figures.liveEditP50Ms = median(to);
	figures.liveEditP95Ms = p95(to);
	figures.livePropagationP50Ms = median(s.edits.map((e) => e.appendedToStoredMs));
	figures.livePropagationP95Ms = p95(s.edits.map((e) => e.appendedToStoredMs));
	figures.catchUpMs = s.catchUp.storedMs;
	figures.catchUpDocsSent = s.catchUp.sessionA?.docsSent ?? null;
	return figures;
}

// A link that opened only after WebrtcTransport's 20 s connect timeout: the first attempt hung.
const linkNote = (linkOpenMs) =>
	linkOpenMs > 5000 ? '; the first link attempt hung until the 20 s connect timeout and the retry opened it' : '';

/** Result rows (what, figure, target, met?) of the sync part. */
export function syncRows(s) {
	const rows = [];
	for (const r of s.firstSync) {
		const rawMs = median(r.raw.map((x) => x.ms));
		const ratio = r.storedMs / rawMs;
		const afterLink = (r.storedMs - r.linkOpenMs) / rawMs;
		rows.push({
			what: `First sync of ${num(r.cards)} cards to a new device over WebRTC: B's mesh.resume() → all ${num(r.docs)} docs A holds stored on B, vs a raw data channel between the same two browsers moving the same ${bytes(r.rawBytes)} (A→B data-channel bytes of the sync) in 16 KiB messages (median of ${r.raw.length})`,
			figure: `${sec(r.storedMs)} vs raw ${ms(rawMs)} = ×${ratio.toFixed(1)} (from the link's opening at ${ms(r.linkOpenMs)}: ×${afterLink.toFixed(1)}${linkNote(r.linkOpenMs)})`,
			target: '≤ 3× raw',
			met: met(ratio <= 3)
		});
		rows.push({
			what: `… of ${num(r.cards)} cards: time to first doc stored / both nodes idle (acks and checkpoints written) / summaries rebuilt on B; per doc after the first`,
			figure: `${ms(r.firstDocMs)} / ${sec(r.idleMs)} / ${sec(r.summariesMs)}; ${ms((r.storedMs - r.firstDocMs) / Math.max(1, r.docs - 1))}`,
			target: '—',
			met: '—'
		});
		rows.push({
			what: `… of ${num(r.cards)} cards: bytes — doc payloads A sent (${num(r.sessionA?.docsSent ?? 0)} docs) / data channel A→B / B→A / stored on B (sealed records incl. summaries) / stored on A`,
			figure: `${bytes(r.sessionA?.bytesSent ?? NaN)} / ${bytes(r.channelA.dataChannelBytesSent)} / ${bytes(r.channelB.dataChannelBytesSent)} / ${bytes(r.storedOnB.total)} / ${bytes(r.storedOnA.total)}`,
			target: '—',
			met: '—'
		});
	}
	// Propagation is timed from the moment the edit is stored on A (the local save is measured above,
	// "edit to stored") to the moment B stored it; the whole path from the call is shown beside it.
	const to = s.edits.map((e) => e.toStoredMs);
	const appendOnA = s.edits.map((e) => e.toAppendedOnAMs);
	const appendToB = s.edits.map((e) => e.appendedToStoredMs);
	const traffic = s.editTraffic;
	rows.push({
		what: `Live edit propagation: A's update stored → the same update stored on B (${to.length} edits on the open cards, one at a time once A is idle), p50 / p95`,
		figure: `${ms(median(appendToB))} / ${ms(p95(appendToB))} (max ${ms(Math.max(...appendToB))})`,
		target: 'p50 ≤ 15 ms, p95 ≤ 50 ms',
		met: met(median(appendToB) <= 15 && p95(appendToB) <= 50)
	});
	rows.push({
		what: "… the whole path: saveProfile called on A → stored on B, p50 / p95 (A's own save in it: p50 / p95); what A sent per edit (doc payload, data channel)",
		figure:
			`${ms(median(to))} / ${ms(p95(to))} (max ${ms(Math.max(...to))}; A's save ${ms(median(appendOnA))} / ${ms(p95(appendOnA))})` +
			(traffic ? `; ${bytes(traffic.payloadBytes / to.length)}, ${bytes(traffic.channelBytes / to.length)} (${num(traffic.docsSent)} docs for ${to.length} edits)` : ''),
		target: '—',
		met: '—'
	});
	const c = s.catchUp;
	rows.push({
		what: `Catching up after being apart: B paused, ${c.cards} cards changed on A (one field each), B's mesh.resume() → all ${c.cards} changes stored on B`,
		figure: `${ms(c.storedMs)}, ${ms(c.storedMs - c.linkOpenMs)} after the link opened (link open at ${ms(c.linkOpenMs)}${linkNote(c.linkOpenMs)}; A offered ${num(c.sessionA?.docsOffered ?? 0)} docs and sent ${num(c.sessionA?.docsSent ?? 0)} (${bytes(c.sessionA?.bytesSent ?? NaN)}); B offered ${num(c.sessionB?.docsOffered ?? 0)}; both idle at ${ms(c.idleMs)})`,
		target: '—',
		met: '—'
	});
	return rows;
}

/** The markdown section of the sync part (its own heading, so a sync-only run can replace it). */
export function syncMarkdown(s, rows, m) {
	const esc = (t) => String(t).replace(/\|/g, '\\|');
	const pairs = [...new Set(s.firstSync.flatMap((r) => r.channelA.pairs))].join('; ');
	const rawPairs = [...new Set(s.firstSync.flatMap((r) => r.rawChannel))].join('; ');
	const network =
		m.network === 'loopback'
			? 'inside a loopback-only network namespace (`unshare -n`, only `lo` up)'
			: '**on the host network** (no network namespace was available)';
	return [
		'## Peer sync (issue 5)',
		'',
		`Measured ${m.date.slice(0, 16).replace('T', ' ')} UTC by \`${m.only ? 'BENCH_ONLY=sync ' : ''}npm run bench\` (the sync part took ${m.seconds.toFixed(0)} s), ${network}: ` +
			`two headless Chromium ${/\/([\d.]+)$/.exec(s.browserVersion ?? '')?.[1] ?? ''} instances (separate processes and persistent profiles, as two tablets) load the bench harness from the bench server, which also serves the relay at \`/signal\`; ` +
			`iceServers [], the microphone permission granted, mDNS candidates off. Selected candidate pair of the sync link: ${pairs || 'unknown'}; of the raw link: ${rawPairs || 'unknown'}. ` +
			`Clock offset between the two browsers ${(s.clock?.offsetMs ?? NaN).toFixed(2)} ms (NTP-style over the raw channel, round trip ${(s.clock?.rttMs ?? NaN).toFixed(2)} ms; applied to cross-browser times). ` +
			`1-minute load average ${m.loadAverage.start.toFixed(2)} at the start of the sync part and ${m.loadAverage.end.toFixed(2)} at its end.`,
		'',
		'| what | figure | target | met? |',
		'|---|---|---|---|',
		...rows.map((row) => `| ${esc(row.what)} | ${esc(row.figure)} | ${esc(row.target)} | ${row.met} |`),
		'',
		'How the sync figures are taken (bench/sync-harness.ts, scripts/bench-sync.mjs; raw timings in results.json under `raw.sync`):',
		'',
		'- Device A seeds a real salon (createSalon, createClient: ~10 KB cards as above). Device B is a new device: a fresh',
		'  browser profile holding only the salon\'s keyring under the same salon id, unlocked with the same passphrase. Each',
		'  device runs ObservedStorage + DocStore + SyncNode + SignalingClient + SyncMesh as `sync.svelte.ts` wires them,',
		'  including the summary rebuild for every profile doc stored from a peer.',
		'- First sync: B connects to the relay and unlocks first; the clock starts just before B\'s `mesh.resume()` and stops',
		'  when B\'s `onDocsStored` has fired for every doc that holds data on A (profile docs and the salon doc; clinical docs',
		'  are empty). It includes announcing, the WebRTC connection and the handshake. A fresh B (new profile) for each count;',
		'  A grows its salon between counts.',
		'- Raw baseline: a plain RTCPeerConnection between the same two browsers in the same run, one negotiated, ordered,',
		'  reliable channel as the sync transport\'s, the number of bytes A\'s sync channel sent (`data-channel` bytesSent of',
		'  getStats) sent in 16 KiB messages with the transport\'s backpressure (wait above 1 MiB buffered until',
		'  `bufferedamountlow` at 256 KiB); timed from the first send to the last byte received.',
		'- The first sync and each raw run start only once the machine is quiet (all CPUs at most 35 % busy over half a',
		'  second, waited for up to 20 s; results.json keeps how long and how busy): after thousands of writes a browser\'s',
		'  IndexedDB backend keeps compacting for seconds, and on 2 cores that alone would slow either figure.',
		'- Live edits: saveProfile of one field (address, or a line added to the note) on one of the open cards on A, one',
		'  at a time once A\'s node is idle; from just before saveProfile on A to `onDocsStored` on B (both browsers\' epoch',
		'  times, corrected by the measured clock offset).',
		'- Catch-up: B\'s mesh is paused (its links close, A sees it leave), A changes one field on each of the cards,',
		'  B\'s mesh resumes; from just before the resume until B stored all of them.',
		''
	].join('\n');
}
