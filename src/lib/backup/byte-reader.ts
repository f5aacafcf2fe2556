// Reading exact byte counts from a stream of parts of any size. Guarantees: only the bytes of the
// read in progress and the rest of one part are held, so a backup of gigabytes never sits in
// memory; stopping early cancels the source (a File's stream is released); a short read means the
// source ended, never an error swallowed.
import { AppError } from '../domain/errors';

/** A backup file as the browser gives it (File.stream()) or any async iterable of byte parts. */
export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** Iterates a source's parts; ending the iteration early cancels the stream. */
export async function* iterateParts(source: ByteSource): AsyncGenerator<Uint8Array> {
	if (!('getReader' in source)) {
		yield* source;
		return;
	}
	// getReader rather than for-await: Safari's ReadableStream is not async-iterable.
	const reader = source.getReader();
	let isDone = false;
	try {
		for (;;) {
			const next = await reader.read();
			if (next.done) {
				isDone = true;
				return;
			}
			yield next.value;
		}
	} finally {
		if (!isDone) await reader.cancel().catch(() => undefined);
		reader.releaseLock();
	}
}

/** Pulls exact byte counts out of an async iterable of parts, lazily. */
export class ByteReader {
	readonly #parts: AsyncIterator<Uint8Array>;
	#head: Uint8Array = new Uint8Array(0);
	#isClosed = false;

	constructor(parts: AsyncIterable<Uint8Array>) {
		this.#parts = parts[Symbol.asyncIterator]();
	}

	/** Reads exactly `n` bytes (a copy); fewer only when the source ends first. */
	async read(n: number): Promise<Uint8Array> {
		const out = new Uint8Array(n);
		let filled = 0;
		while (filled < n) {
			if (this.#head.length === 0 && !(await this.#pull())) return out.subarray(0, filled);
			const take = Math.min(n - filled, this.#head.length);
			out.set(this.#head.subarray(0, take), filled);
			this.#head = this.#head.subarray(take);
			filled += take;
		}
		return out;
	}

	/** Whether the source has no byte left. */
	async isAtEnd(): Promise<boolean> {
		while (this.#head.length === 0) if (!(await this.#pull())) return true;
		return false;
	}

	/** Stops reading and releases the source; safe to call twice. */
	async close(): Promise<void> {
		if (this.#isClosed) return;
		this.#isClosed = true;
		this.#head = new Uint8Array(0);
		await this.#parts.return?.();
	}

	async #pull(): Promise<boolean> {
		if (this.#isClosed) return false;
		const next = await this.#parts.next();
		if (next.done) {
			this.#isClosed = true;
			return false;
		}
		if (!(next.value instanceof Uint8Array)) throw new AppError('invalid-input', 'backup source gave a non-byte part');
		this.#head = next.value;
		return true;
	}
}
