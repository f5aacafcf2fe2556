// The mesh's discovery, linking, pause and retry against the real relay and signaling clients on
// loopback. WebRTC needs a browser, so links here are fakes that "negotiate" by exchanging an offer
// and an answer through signaling and then carry bytes over a LoopbackTransport pair.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startRelay } from './relay-fixtures';
import { SyncMesh } from './mesh';
import { SignalingClient, type SignalPayload, type SocketLike } from './signaling-client';
import { createLoopbackPair, type LoopbackTransport, type Transport } from './transport';
import type { MeshLink, SignalMessage } from './webrtc-transport';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const SECRET = new Uint8Array(32).fill(5);
const registry = new Map<string, FakeLink>();

/** A link that opens once both ends heard each other's connection id. */
class FakeLink implements MeshLink {
	readonly conn = Math.random().toString(16).slice(2);
	remoteConn: string | null = null;
	readonly opened: Promise<boolean>;
	readonly closed: Promise<string>;
	#inner: LoopbackTransport | null = null;
	#isClosed = false;
	#onClose: ((reason: string) => void) | null = null;
	#resolveOpened!: (v: boolean) => void;
	#resolveClosed!: (v: string) => void;

	constructor(
		readonly deviceId: string,
		readonly peerId: string,
		private readonly signal: (m: SignalPayload) => void
	) {
		this.opened = new Promise((r) => (this.#resolveOpened = r));
		this.closed = new Promise((r) => (this.#resolveClosed = r));
		registry.set(this.conn, this);
		queueMicrotask(() => this.#send('offer'));
	}
	get isOpen() {
		return !this.#isClosed && this.#inner !== null;
	}
	send(bytes: Uint8Array) {
		this.#inner?.send(bytes);
	}
	whenWritable() {
		return this.#inner?.whenWritable() ?? Promise.resolve();
	}
	onMessage(handler: (bytes: Uint8Array) => void) {
		this.#inner?.onMessage(handler);
	}
	onClose(handler: (reason: string) => void) {
		this.#onClose = handler;
	}
	close(reason = 'closed') {
		if (this.#isClosed) return;
		this.#isClosed = true;
		this.#inner?.close(reason);
		this.#resolveOpened(false);
		this.#resolveClosed(reason);
		this.#onClose?.(reason);
	}
	handleSignal(message: SignalMessage) {
		this.remoteConn ??= message.conn;
		if (message.description?.type === 'offer') this.#send('answer');
		const other = registry.get(this.remoteConn);
		if (other && other.remoteConn === this.conn && !this.#inner && !other.#inner && !this.#isClosed && !other.#isClosed) {
			const { a, b } = createLoopbackPair();
			this.#attach(a);
			other.#attach(b);
		}
	}
	#attach(inner: LoopbackTransport) {
		this.#inner = inner;
		inner.onClose((reason) => this.close(reason));
		this.#resolveOpened(true);
	}
	#send(type: 'offer' | 'answer') {
		if (this.#isClosed) return;
		const m: SignalMessage = { kind: 'signal', from: this.deviceId, to: this.peerId, conn: this.conn, description: { type, sdp: 'fake' } };
		if (this.remoteConn) m.toConn = this.remoteConn;
		this.signal(m as unknown as SignalPayload);
	}
}


async function startDevice(url: string, deviceId: string, secret = SECRET) {
	const signaling = await SignalingClient.create({ url, syncSecret: secret, minBackoffMs: 10, maxBackoffMs: 50, openSocket: (u) => new WebSocket(u) as unknown as SocketLike });
	const connected: Transport[] = [];
	/** For every link this device made: whether it was the one to offer first. */
	const started: boolean[] = [];
	const logs: string[] = [];
	const mesh = new SyncMesh({
		log: (reason) => logs.push(reason),
		deviceId,
		signaling,
		connect: (t) => connected.push(t),
		createLink: (peerId, signal, isInitiator) => {
			started.push(isInitiator);
			return new FakeLink(deviceId, peerId, signal);
		},
		minBackoffMs: 20,
		maxBackoffMs: 100
	});
	cleanups.push(() => signaling.close());
	cleanups.push(() => mesh.close());
	mesh.resume();
	return { mesh, signaling, connected, logs, started };
}

async function untilTrue(check: () => boolean): Promise<void> {
	for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
	expect(check()).toBe(true);
}

describe('SyncMesh', () => {
	it('links two devices of one salon once each and carries bytes between them', async () => {
		const url = await startRelay(cleanups);
		const a = await startDevice(url, 'device-a');
		const b = await startDevice(url, 'device-b');
		await untilTrue(() => a.mesh.onlinePeers.includes('device-b') && b.mesh.onlinePeers.includes('device-a'));
		expect(a.connected.length).toBe(1);
		expect(b.connected.length).toBe(1);
		// Only the greater id starts the link; the other answers its offer, so they never offer at once.
		expect(b.started).toEqual([true]);
		expect(a.started).toEqual([false]);
		const got: number[] = [];
		b.connected[0].onMessage((bytes) => got.push(...bytes));
		a.connected[0].send(new Uint8Array([1, 2, 3]));
		await untilTrue(() => got.length === 3);
	});

	it('links every pair of three devices', async () => {
		const url = await startRelay(cleanups);
		const devices = await Promise.all(['d1', 'd2', 'd3'].map((id) => startDevice(url, id)));
		await untilTrue(() => devices.every((d) => d.mesh.onlinePeers.length === 2));
	});

	it('never links a device that holds another sync secret', async () => {
		const url = await startRelay(cleanups);
		const a = await startDevice(url, 'device-a');
		const stranger = await startDevice(url, 'device-x', new Uint8Array(32).fill(9));
		const b = await startDevice(url, 'device-b');
		await untilTrue(() => a.mesh.onlinePeers.includes('device-b'));
		expect(a.mesh.onlinePeers).toEqual(['device-b']);
		expect(stranger.mesh.onlinePeers).toEqual([]);
		expect(stranger.connected).toEqual([]);
	});

	it('drops every link on pause and links again on resume', async () => {
		const url = await startRelay(cleanups);
		const a = await startDevice(url, 'device-a');
		const b = await startDevice(url, 'device-b');
		await untilTrue(() => b.mesh.onlinePeers.includes('device-a'));
		a.mesh.pause();
		expect(a.mesh.onlinePeers).toEqual([]);
		await untilTrue(() => b.mesh.onlinePeers.length === 0);
		// b keeps running but does not get a link back while a stays paused.
		await new Promise((r) => setTimeout(r, 200));
		expect(b.mesh.onlinePeers).toEqual([]);
		a.mesh.resume();
		await untilTrue(() => a.mesh.onlinePeers.includes('device-b') && b.mesh.onlinePeers.includes('device-a'));
	});

	it('links again with backoff after a link drops', async () => {
		const url = await startRelay(cleanups);
		const a = await startDevice(url, 'device-a');
		const b = await startDevice(url, 'device-b');
		await untilTrue(() => a.connected.length === 1 && b.mesh.onlinePeers.includes('device-a'));
		a.connected[0].close('lost');
		await untilTrue(() => a.connected.length === 2 && a.mesh.onlinePeers.includes('device-b') && b.mesh.onlinePeers.includes('device-a'));
		expect(a.connected[1].isOpen).toBe(true);
	});

	it('ignores signals for a link it does not have, and logs malformed ones', async () => {
		const url = await startRelay(cleanups);
		const a = await startDevice(url, 'device-a');
		const forger = await SignalingClient.create({ url, syncSecret: SECRET, openSocket: (u) => new WebSocket(u) as unknown as SocketLike });
		cleanups.push(() => forger.close());
		await untilTrue(() => forger.isConnected);
		// An answer for a connection id a never made, a candidate with no link, a signal missing its conn.
		await forger.publish({ kind: 'signal', from: 'device-z', to: 'device-a', conn: 'z1', toConn: 'not-mine', description: { type: 'answer', sdp: 'x' } });
		await forger.publish({ kind: 'signal', from: 'device-z', to: 'device-a', conn: 'z1', candidate: { candidate: '' } });
		await forger.publish({ kind: 'signal', from: 'device-z', to: 'device-a', description: { type: 'offer' } });
		await untilTrue(() => a.logs.includes('malformed-signal'));
		expect(a.mesh.onlinePeers).toEqual([]);
		expect(a.connected).toEqual([]);
	});
});
