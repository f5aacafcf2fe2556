// Mutual proof that both ends hold the salon's sync secret, before anything else is sent.
// Each side sends hello {deviceId, fresh 32-byte nonce}; on the other's hello it sends
// HMAC(handshake key, label | own nonce | other nonce | own id | other id). Guarantees: a proof is
// bound to both nonces and both ids in a fixed prover-first order, so it can be neither replayed
// from another session nor reflected back (a hello echoing our own nonce or id is refused); the
// peer counts as authenticated only after its proof verified; any failure ends in 'failed'.
import { ByteWriter } from './codec';
import type { SyncMessage } from './protocol';
import { signProof, verifyProof } from './sync-crypto';

const LABEL = 'kartoteka/sync/proof/v1';
const NONCE_BYTES = 32;

/** Where a handshake stands after a message. */
export type HandshakeState =
	| { state: 'waiting' }
	| { state: 'done'; peerId: string }
	| { state: 'failed'; detail: string };

function transcript(proverNonce: Uint8Array, verifierNonce: Uint8Array, proverId: string, verifierId: string): Uint8Array {
	return new ByteWriter().string(LABEL).bytes(proverNonce).bytes(verifierNonce).string(proverId).string(verifierId).finish();
}

/** One side of the handshake; feed it hello and proof messages in any order. */
export class Handshake {
	readonly #nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
	#peer: { id: string; nonce: Uint8Array } | null = null;
	#earlyProof: Uint8Array | null = null;
	#result: HandshakeState = { state: 'waiting' };

	constructor(
		private readonly key: CryptoKey,
		private readonly deviceId: string,
		private readonly send: (m: SyncMessage) => Promise<void>
	) {}

	/** Sends our hello. */
	start(): Promise<void> {
		return this.send({ type: 'hello', deviceId: this.deviceId, nonce: this.#nonce });
	}

	/** Where the handshake stands. */
	get result(): HandshakeState {
		return this.#result;
	}

	/** Takes a hello or a proof; returns the new state. */
	async receive(m: SyncMessage): Promise<HandshakeState> {
		if (this.#result.state !== 'waiting') return this.#result;
		if (m.type === 'hello') await this.#onHello(m.deviceId, m.nonce);
		else if (m.type === 'proof') {
			if (this.#peer) await this.#onProof(m.mac);
			else this.#earlyProof = m.mac; // the hello was overtaken (reordering test links)
		}
		return this.#result;
	}

	async #onHello(id: string, nonce: Uint8Array): Promise<void> {
		if (this.#peer) {
			// The same hello twice is a duplicate; a different one is someone else talking.
			if (this.#peer.id !== id || !isSame(this.#peer.nonce, nonce)) this.#fail('second, different hello');
			return;
		}
		if (nonce.byteLength !== NONCE_BYTES) return this.#fail('bad nonce');
		if (id === this.deviceId || isSame(nonce, this.#nonce)) return this.#fail('reflected hello');
		this.#peer = { id, nonce };
		const mac = await signProof(this.key, transcript(this.#nonce, nonce, this.deviceId, id));
		await this.send({ type: 'proof', mac });
		if (this.#earlyProof) await this.#onProof(this.#earlyProof);
	}

	async #onProof(mac: Uint8Array): Promise<void> {
		const peer = this.#peer!;
		const isValid = await verifyProof(this.key, transcript(peer.nonce, this.#nonce, peer.id, this.deviceId), mac);
		if (this.#result.state !== 'waiting') return;
		this.#result = isValid ? { state: 'done', peerId: peer.id } : { state: 'failed', detail: 'proof does not verify' };
	}

	#fail(detail: string): void {
		this.#result = { state: 'failed', detail };
	}
}

function isSame(a: Uint8Array, b: Uint8Array): boolean {
	return a.byteLength === b.byteLength && a.every((x, i) => x === b[i]);
}
