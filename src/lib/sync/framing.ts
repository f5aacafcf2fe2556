// Cuts messages into frames small enough for every browser's data channel and puts them back
// together. Guarantees: no frame sent is larger than maxFrameBytes; a message is handed on only
// when all its frames arrived (in any order, each at most once); a frame that is malformed or too
// large, or a message that grows beyond maxMessageBytes, is dropped with a logged reason and never
// handed on; partly received messages never hold more than maxBufferedBytes (the oldest goes).
import { ByteReader, ByteWriter, CodecError } from './codec';
import type { SyncLimits, SyncLogger } from './limits';
import type { Transport } from './transport';

const FRAME_FORMAT = 1;
// Room for the frame header: format byte and three varints of at most 5 bytes each.
const HEADER_BYTES = 16;
// Completed message ids remembered, so a duplicated frame cannot deliver a message twice.
const COMPLETED_WINDOW = 4096;
const MAX_MESSAGE_ID = 0xffff_ffff;

/** Payload bytes carried by one frame under `limits`. */
export function framePayloadBytes(limits: Pick<SyncLimits, 'maxFrameBytes'>): number {
	return limits.maxFrameBytes - HEADER_BYTES;
}

/** Sends whole messages as frames, one message after another, waiting for backpressure. */
export class FrameWriter {
	#nextId = 0;
	#queue: Promise<void> = Promise.resolve();

	constructor(
		private readonly transport: Transport,
		private readonly limits: SyncLimits
	) {}

	/** Queues `message`; resolves once its last frame was handed to the transport. */
	write(message: Uint8Array): Promise<void> {
		if (message.byteLength > this.limits.maxMessageBytes) {
			return Promise.reject(new RangeError(`message of ${message.byteLength} bytes above the limit`));
		}
		const id = this.#nextId;
		this.#nextId = id === MAX_MESSAGE_ID ? 0 : id + 1;
		const next = this.#queue.then(() => this.#send(id, message));
		this.#queue = next.catch(() => undefined);
		return next;
	}

	async #send(id: number, message: Uint8Array): Promise<void> {
		const size = framePayloadBytes(this.limits);
		const count = Math.max(1, Math.ceil(message.byteLength / size));
		for (let index = 0; index < count; index++) {
			await this.transport.whenWritable();
			if (!this.transport.isOpen) return;
			const chunk = message.subarray(index * size, (index + 1) * size);
			const frame = new ByteWriter(chunk.byteLength + 32).u8(FRAME_FORMAT).uint(id).uint(index).uint(count).raw(chunk);
			this.transport.send(frame.finish());
		}
	}
}

interface Partial {
	chunks: Array<Uint8Array | undefined>;
	received: number;
	bytes: number;
}

/** Reassembles frames into messages and hands each complete message to `deliver`. */
export class FrameReader {
	readonly #partials = new Map<number, Partial>();
	readonly #completed = new Set<number>();
	readonly #completedOrder: number[] = [];
	#buffered = 0;

	constructor(
		private readonly limits: SyncLimits,
		private readonly deliver: (message: Uint8Array) => void,
		private readonly log: SyncLogger,
		private readonly peer = ''
	) {}

	/** Takes one frame off the wire. */
	accept(frame: Uint8Array): void {
		if (frame.byteLength > this.limits.maxFrameBytes) {
			return this.#drop('frame-too-large', `${frame.byteLength} bytes`);
		}
		const maxCount = Math.ceil(this.limits.maxMessageBytes / framePayloadBytes(this.limits)) + 1;
		let id: number, index: number, count: number, chunk: Uint8Array;
		try {
			const reader = new ByteReader(frame);
			if (reader.u8() !== FRAME_FORMAT) throw new CodecError('unknown frame format');
			id = reader.uint(MAX_MESSAGE_ID);
			index = reader.uint();
			count = reader.uint();
			if (count === 0 || index >= count) throw new CodecError(`frame ${index} of ${count}`);
			chunk = reader.restView(); // the frame is this reader's alone: no copy needed
		} catch (e) {
			return this.#drop('malformed-frame', String(e));
		}
		if (this.#completed.has(id)) return; // a duplicate of a message already handed on (or dropped)
		if (count > maxCount) {
			this.#discard(id, true);
			return this.#drop('message-too-large', `message ${id} of ${count} frames`);
		}
		const partial = this.#partials.get(id) ?? { chunks: new Array(count), received: 0, bytes: 0 };
		if (partial.chunks.length !== count) {
			this.#discard(id, true);
			return this.#drop('malformed-frame', `message ${id} changed its frame count`);
		}
		if (partial.chunks[index]) return; // a duplicated frame
		if (partial.bytes + chunk.byteLength > this.limits.maxMessageBytes) {
			this.#discard(id, true);
			return this.#drop('message-too-large', `message ${id} beyond ${this.limits.maxMessageBytes} bytes`);
		}
		partial.chunks[index] = chunk;
		partial.received += 1;
		partial.bytes += chunk.byteLength;
		this.#buffered += chunk.byteLength;
		this.#partials.set(id, partial);
		if (partial.received === count) return this.#complete(id, partial);
		this.#evictOverflow(id);
	}

	#complete(id: number, partial: Partial): void {
		this.#discard(id, true);
		if (partial.chunks.length === 1) return this.deliver(partial.chunks[0]!);
		const message = new Uint8Array(partial.bytes);
		let offset = 0;
		for (const chunk of partial.chunks) {
			message.set(chunk!, offset);
			offset += chunk!.byteLength;
		}
		this.deliver(message);
	}

	// The oldest partial message goes first: on an ordered link it is the one least likely to finish.
	#evictOverflow(keep: number): void {
		for (const oldest of this.#partials.keys()) {
			if (this.#buffered <= this.limits.maxBufferedBytes) return;
			if (oldest === keep) continue;
			this.#discard(oldest, true);
			this.#drop('buffer-full', `incomplete message ${oldest} dropped`);
		}
	}

	// A finished id (delivered or dropped) ignores its later frames instead of starting over.
	#discard(id: number, isFinished: boolean): void {
		const partial = this.#partials.get(id);
		if (partial) this.#buffered -= partial.bytes;
		this.#partials.delete(id);
		if (!isFinished) return;
		this.#completed.add(id);
		this.#completedOrder.push(id);
		if (this.#completedOrder.length > COMPLETED_WINDOW) this.#completed.delete(this.#completedOrder.shift()!);
	}

	#drop(reason: 'malformed-frame' | 'frame-too-large' | 'message-too-large' | 'buffer-full', detail: string): void {
		this.log({ level: 'warn', reason, peer: this.peer || undefined, detail });
	}
}
