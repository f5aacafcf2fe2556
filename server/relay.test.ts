// The relay with real WebSocket clients on loopback. No test waits for a time: each waits for an
// event (a message, a close), and "was not delivered" is shown by ordering: the relay handles
// one connection's messages in order, so once a later marker arrives an earlier publish would
// already have arrived too.
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startServer } from './index.js';
import { attachRelay, DEFAULT_RELAY_OPTIONS } from './relay.js';

type Message = Record<string, unknown> & { type?: string };
type Relay = ReturnType<typeof attachRelay>;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An HTTP server on a random loopback port with the relay at /signal. */
async function startRelay(options: Partial<typeof DEFAULT_RELAY_OPTIONS> = {}) {
	const server = http.createServer((_req, res) => res.end('app'));
	const relay = attachRelay(server, options);
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	cleanups.push(() => new Promise((resolve) => server.close(resolve)));
	cleanups.push(() => relay.close());
	const { port } = server.address() as { port: number };
	return { relay, url: `ws://127.0.0.1:${port}/signal`, port };
}

/** A client that records what it receives and lets a test wait for a matching message. */
async function connect(url: string, options: WebSocket.ClientOptions = {}) {
	const ws = new WebSocket(url, options);
	const received: Message[] = [];
	const unclaimed: Message[] = [];
	const waiters: { matches: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
	ws.on('error', () => {}); // a client the relay cuts may see ECONNRESET; its close is what tests check
	ws.on('message', (data) => {
		const message = JSON.parse(String(data)) as Message;
		received.push(message);
		const i = waiters.findIndex((w) => w.matches(message));
		if (i >= 0) waiters.splice(i, 1)[0].resolve(message);
		else unclaimed.push(message);
	});
	const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
	cleanups.push(() => ws.terminate());
	await once(ws, 'open');
	const client = {
		ws,
		received,
		closed,
		send: (message: unknown) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
		/** Resolves with the next message (received earlier and not yet claimed, or later) that matches. */
		next(matches: (m: Message) => boolean): Promise<Message> {
			const i = unclaimed.findIndex(matches);
			if (i >= 0) return Promise.resolve(unclaimed.splice(i, 1)[0]);
			return new Promise((resolve) => waiters.push({ matches, resolve }));
		},
		/** Resolves once the relay has handled everything this client sent before. */
		async settle() {
			client.send({ type: 'ping' });
			await client.next((m) => m.type === 'pong');
		},
		async subscribe(...topics: string[]) {
			client.send({ type: 'subscribe', topics });
			await client.settle();
		}
	};
	return client;
}

const publishedOn = (topic: string) => (m: Message) => m.type === 'publish' && m.topic === topic;

/** Shows the relay still serves: a fresh pair of clients exchanges a publish. */
async function expectDelivery(url: string) {
	const [a, b] = await Promise.all([connect(url), connect(url)]);
	await b.subscribe('still-working');
	a.send({ type: 'publish', topic: 'still-working', data: 'hello' });
	expect(await b.next(publishedOn('still-working'))).toMatchObject({ data: 'hello', clients: 1 });
}

describe('signaling relay (y-webrtc protocol)', () => {
	it('delivers a publish to every subscriber, the sender included, with the count, and to no one else', async () => {
		const { url } = await startRelay();
		const [a, b, outsider] = await Promise.all([connect(url), connect(url), connect(url)]);
		await a.subscribe('salon');
		await b.subscribe('salon');
		await outsider.subscribe('marker');
		a.send({ type: 'publish', topic: 'salon', data: { to: 'all', sdp: 'offer' } });
		a.send({ type: 'publish', topic: 'marker', data: 'after' });
		const expected = { type: 'publish', topic: 'salon', data: { to: 'all', sdp: 'offer' }, clients: 2 };
		expect(await b.next(publishedOn('salon'))).toEqual(expected);
		expect(await a.next(publishedOn('salon'))).toEqual(expected);
		await outsider.next(publishedOn('marker'));
		expect(outsider.received.filter(publishedOn('salon'))).toEqual([]);
	});

	it('stops delivering to a client once it unsubscribes', async () => {
		const { url, relay } = await startRelay();
		const [a, b] = await Promise.all([connect(url), connect(url)]);
		await b.subscribe('salon', 'marker');
		b.send({ type: 'unsubscribe', topics: ['salon'] });
		await b.settle();
		a.send({ type: 'publish', topic: 'salon', data: 1 });
		a.send({ type: 'publish', topic: 'marker', data: 2 });
		await b.next(publishedOn('marker'));
		expect(b.received.filter(publishedOn('salon'))).toEqual([]);
		// Stores nothing: a topic without subscribers is forgotten.
		expect(relay.stats()).toMatchObject({ topics: 1, subscriptions: 1 });
	});

	it('answers ping with pong', async () => {
		const { url } = await startRelay();
		const a = await connect(url);
		a.send({ type: 'ping' });
		expect(await a.next(() => true)).toEqual({ type: 'pong' });
	});

	it('answers malformed JSON with an error and keeps serving that client and the others', async () => {
		const { url } = await startRelay();
		const [bad, b] = await Promise.all([connect(url), connect(url)]);
		await bad.subscribe('deep');
		const malformed = ['not json', '{"type":', 'null', '[]', '42', '{"no":"type"}', '{"type":"subscribe","topics":"x"}'];
		for (const text of malformed) bad.send(text);
		// Valid JSON nested too deep to serialise again (a stack overflow in JSON.stringify).
		bad.send(`{"type":"publish","topic":"deep","data":${'['.repeat(30_000)}${']'.repeat(30_000)}}`);
		const reasons = [];
		for (let i = 0; i < malformed.length + 1; i++) reasons.push((await bad.next((m) => m.type === 'error')).reason);
		expect(reasons).toEqual([
			'invalid-json',
			'invalid-json',
			'invalid-message',
			'invalid-message',
			'invalid-message',
			'invalid-message',
			'invalid-message',
			'invalid-message'
		]);
		await b.subscribe('salon');
		bad.send({ type: 'publish', topic: 'salon', data: 'still here' });
		expect(await b.next(publishedOn('salon'))).toMatchObject({ data: 'still here' });
		await expectDelivery(url);
	});

	it('closes a client that sends a 1 MiB message and keeps delivering to the others', async () => {
		const { url, relay } = await startRelay();
		const [big, b] = await Promise.all([connect(url), connect(url)]);
		await b.subscribe('salon');
		big.send({ type: 'publish', topic: 'salon', data: 'x'.repeat(1024 * 1024) });
		expect(await big.closed).toBe(1009); // "message too big"
		expect(b.received.filter(publishedOn('salon'))).toEqual([]);
		const a = await connect(url);
		a.send({ type: 'publish', topic: 'salon', data: 'small' });
		expect(await b.next(publishedOn('salon'))).toMatchObject({ data: 'small' });
		expect(relay.stats().closedTooLarge).toBe(1);
	});

	it('caps one client at 100 topics of at most 128 characters and keeps serving it and the others', async () => {
		const { url, relay } = await startRelay();
		const [greedy, a, b] = await Promise.all([connect(url), connect(url), connect(url)]);
		const topics = Array.from({ length: 1000 }, (_, i) => `topic-${i}`);
		greedy.send({ type: 'subscribe', topics });
		expect(await greedy.next((m) => m.type === 'error')).toEqual({ type: 'error', reason: 'too-many-topics' });
		greedy.send({ type: 'subscribe', topics: ['x'.repeat(129)] });
		expect(await greedy.next((m) => m.type === 'error')).toEqual({ type: 'error', reason: 'invalid-topic' });
		expect(relay.stats()).toMatchObject({ topics: 100, subscriptions: 100 });

		await b.subscribe('marker');
		a.send({ type: 'publish', topic: 'topic-0', data: 'kept' });
		a.send({ type: 'publish', topic: 'topic-999', data: 'refused' });
		a.send({ type: 'publish', topic: 'marker', data: 'others too' });
		expect(await greedy.next(publishedOn('topic-0'))).toMatchObject({ data: 'kept', clients: 1 });
		expect(await b.next(publishedOn('marker'))).toMatchObject({ data: 'others too' });
		await greedy.settle();
		expect(greedy.received.filter(publishedOn('topic-999'))).toEqual([]);
	});

	it('closes a client that floods thousands of messages and keeps delivering to the others', async () => {
		const { url, relay } = await startRelay();
		const [flooder, b] = await Promise.all([connect(url), connect(url)]);
		await b.subscribe('salon');
		for (let i = 0; i < 5000; i++) flooder.send({ type: 'publish', topic: 'nobody-listens', data: i });
		expect(await flooder.closed).toBe(1008); // policy violation
		expect(flooder.received).toContainEqual({ type: 'error', reason: 'rate-limited' });
		const a = await connect(url);
		a.send({ type: 'publish', topic: 'salon', data: 'after the flood' });
		expect(await b.next(publishedOn('salon'))).toMatchObject({ data: 'after the flood' });
		expect(relay.stats().closedFlood).toBe(1);
	});

	it('cuts a connection that stops answering pings and keeps one that answers', async () => {
		const { url, relay } = await startRelay({ heartbeatMs: 20 });
		const dead = await connect(url, { autoPong: false });
		const alive = await connect(url);
		await dead.closed;
		let pings = 0;
		await new Promise<void>((resolve) => alive.ws.on('ping', () => ++pings === 3 && resolve()));
		await alive.settle();
		expect(alive.ws.readyState).toBe(WebSocket.OPEN);
		expect(relay.stats()).toMatchObject({ connections: 1, closedDead: 1 });
	});

	it('cuts a receiver that stops reading instead of queueing publishes for it without bound', async () => {
		const { url, relay } = await startRelay({ maxBufferedBytes: 64 * 1024, rateBurst: 10_000 });
		const [stalled, a] = await Promise.all([connect(url), connect(url)]);
		await stalled.subscribe('salon');
		(stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();
		const data = 'x'.repeat(60 * 1024);
		for (let i = 0; i < 1000 && relay.stats().closedSlow === 0; i++) {
			a.send({ type: 'publish', topic: 'salon', data });
			await a.settle();
		}
		expect(relay.stats()).toMatchObject({ closedSlow: 1, topics: 0 });
		await expectDelivery(url);
	});

	it('refuses connections beyond the global cap with 503 and keeps serving those connected', async () => {
		const { url, relay } = await startRelay({ maxConnections: 2 });
		const [a, b] = await Promise.all([connect(url), connect(url)]);
		const third = new WebSocket(url);
		const [error] = (await once(third, 'error')) as [Error];
		expect(error.message).toMatch(/503/);
		await b.subscribe('salon');
		a.send({ type: 'publish', topic: 'salon', data: 'fine' });
		expect(await b.next(publishedOn('salon'))).toMatchObject({ data: 'fine' });
		a.ws.close();
		await a.closed;
		await vi.waitFor(() => expect(relay.stats().connections).toBe(1));
		await connect(url); // a freed place can be taken again
		expect(relay.stats().refusedFull).toBe(1);
	});

	it('refuses a WebSocket upgrade on any other path', async () => {
		const { port } = await startRelay();
		const elsewhere = new WebSocket(`ws://127.0.0.1:${port}/other`);
		const [error] = (await once(elsewhere, 'error')) as [Error];
		expect(error.message).toMatch(/404/);
	});
});

describe('server with the relay', () => {
	it("serves the app's files and the relay on one port, and server.close() ends both", async () => {
		const dir = mkdtempSync(join(tmpdir(), 'kartoteka-app-'));
		cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
		writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Kartoteka</title>');
		writeFileSync(join(dir, '200.html'), '<!doctype html><title>Kartoteka</title>');
		const server = await startServer({ host: '127.0.0.1', port: 0, dir });
		const { port } = server.address() as { port: number };
		const page = await fetch(`http://127.0.0.1:${port}/`);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('<title>Kartoteka</title>');
		expect(page.headers.get('content-security-policy')).toBeTruthy();
		const client = await connect(`ws://127.0.0.1:${port}/signal`);
		await client.settle();
		await new Promise((resolve) => server.close(resolve)); // would never call back with a WebSocket open
		await client.closed;
	});

	it('runs the relay alone, without a built app', async () => {
		const server = await startServer({ host: '127.0.0.1', port: 0, dir: '/nonexistent', relayOnly: true });
		cleanups.push(() => new Promise((resolve) => server.close(resolve)));
		const { port } = server.address() as { port: number };
		expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
		expect((await fetch(`http://127.0.0.1:${port}/index.html`)).status).toBe(404);
		const client = await connect(`ws://127.0.0.1:${port}/signal`);
		await client.settle();
	});
});
