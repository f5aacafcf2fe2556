// A hand-driven peer for the security tests: it speaks the wire format directly, so a test can
// play a device that holds the sync secret (or not) and send anything, well-formed or not.
import { FrameReader, FrameWriter } from './framing';
import { Handshake } from './handshake';
import { DEFAULT_LIMITS, silentLogger, type SyncLimits } from './limits';
import { decodeMessage, encodeMessage, type SyncMessage } from './protocol';
import { deriveHandshakeKey } from './sync-crypto';
import type { Transport } from './transport';

/** A peer whose every message the test writes by hand. */
export class RawPeer {
	readonly received: SyncMessage[] = [];
	readonly #transport: Transport;
	readonly #writer: FrameWriter;
	#handshake: Handshake | null = null;

	constructor(transport: Transport, readonly limits: SyncLimits = DEFAULT_LIMITS) {
		this.#transport = transport;
		this.#writer = new FrameWriter(transport, limits);
		const reader = new FrameReader(limits, (bytes) => this.#onMessage(bytes), silentLogger);
		transport.onMessage((frame) => reader.accept(frame));
	}

	/** Runs the handshake with `syncSecret`; resolves with its outcome. */
	async handshake(syncSecret: Uint8Array, deviceId = 'raw-peer'): Promise<'done' | 'failed' | 'waiting'> {
		this.#handshake = new Handshake(await deriveHandshakeKey(syncSecret), deviceId, (m) => this.send(m));
		await this.#handshake.start();
		// The device's hello may have come while the key was being derived.
		const early: SyncMessage[] = this.received.filter((m) => m.type === 'hello' || m.type === 'proof');
		this.received.splice(0, this.received.length, ...this.received.filter((m) => !early.includes(m)));
		for (const m of early) await this.#handshake.receive(m);
		for (let i = 0; i < 1000 && this.#handshake.result.state === 'waiting'; i++) await turn();
		return this.#handshake.result.state;
	}

	/** Sends a message as the protocol would. */
	send(m: SyncMessage): Promise<void> {
		return this.#writer.write(encodeMessage(m));
	}

	/** Sends arbitrary message bytes, framed. */
	sendBytes(bytes: Uint8Array): Promise<void> {
		return this.#writer.write(bytes);
	}

	/** Sends one frame exactly as given. */
	sendFrame(bytes: Uint8Array): void {
		this.#transport.send(bytes);
	}

	/** Waits for the next message of `type` not yet taken. */
	async next<T extends SyncMessage['type']>(type: T): Promise<Extract<SyncMessage, { type: T }>> {
		for (let i = 0; i < 5000; i++) {
			const index = this.received.findIndex((m) => m.type === type);
			if (index >= 0) return this.received.splice(index, 1)[0] as Extract<SyncMessage, { type: T }>;
			await turn();
		}
		throw new Error(`no ${type} came`);
	}

	#onMessage(bytes: Uint8Array): void {
		const decoded = decodeMessage(bytes, this.limits);
		if (!decoded.ok) return;
		const m = decoded.message;
		if (this.#handshake && (m.type === 'hello' || m.type === 'proof')) void this.#handshake.receive(m);
		else this.received.push(m);
	}
}

function turn(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}
