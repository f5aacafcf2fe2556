// A small binary codec for sync messages: unsigned varints, length-prefixed bytes and UTF-8
// strings. The reader never reads past its buffer and never allocates more than the bytes it was
// given: a declared length beyond what is left throws CodecError, so a malformed message is
// refused before anything is built from it.

/** Thrown by ByteReader on truncated or malformed input. */
export class CodecError extends Error {
	override name = 'CodecError';
}

/** Thrown when well-formed input names more items than a limit allows. */
export class LimitError extends CodecError {
	override name = 'LimitError';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Appends values to a growing buffer. */
export class ByteWriter {
	#buf: Uint8Array;
	#len = 0;

	/** `capacity`: the bytes expected, so a large message is not copied over and over as it grows. */
	constructor(capacity = 256) {
		this.#buf = new Uint8Array(Math.max(16, capacity));
	}

	#reserve(extra: number): void {
		if (this.#len + extra <= this.#buf.length) return;
		let size = this.#buf.length * 2;
		while (size < this.#len + extra) size *= 2;
		const next = new Uint8Array(size);
		next.set(this.#buf.subarray(0, this.#len));
		this.#buf = next;
	}

	/** Writes one byte. */
	u8(value: number): this {
		this.#reserve(1);
		this.#buf[this.#len++] = value & 0xff;
		return this;
	}

	/** Writes a non-negative safe integer as a varint (7 bits per byte). */
	uint(value: number): this {
		if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a uint: ${value}`);
		while (value > 0x7f) {
			this.u8((value % 0x80) | 0x80);
			value = Math.floor(value / 0x80);
		}
		return this.u8(value);
	}

	/** Writes raw bytes with no length prefix. */
	raw(bytes: Uint8Array): this {
		this.#reserve(bytes.byteLength);
		this.#buf.set(bytes, this.#len);
		this.#len += bytes.byteLength;
		return this;
	}

	/** Writes length-prefixed bytes. */
	bytes(bytes: Uint8Array): this {
		return this.uint(bytes.byteLength).raw(bytes);
	}

	/** Writes a length-prefixed UTF-8 string. */
	string(value: string): this {
		return this.bytes(encoder.encode(value));
	}

	/** The bytes written so far (a view; copy before writing more). */
	finish(): Uint8Array {
		return this.#buf.subarray(0, this.#len);
	}
}

/** Reads values written by ByteWriter, refusing anything truncated or oversized. */
export class ByteReader {
	#pos = 0;

	constructor(private readonly buf: Uint8Array) {}

	/** Bytes not read yet. */
	get remaining(): number {
		return this.buf.byteLength - this.#pos;
	}

	/** Reads one byte. */
	u8(): number {
		if (this.#pos >= this.buf.byteLength) throw new CodecError('truncated');
		return this.buf[this.#pos++];
	}

	/** Reads a varint; refuses one above Number.MAX_SAFE_INTEGER or above `max`. */
	uint(max = Number.MAX_SAFE_INTEGER): number {
		let value = 0;
		let scale = 1;
		for (let i = 0; i < 8; i++) {
			const byte = this.u8();
			value += (byte & 0x7f) * scale;
			if (!(byte & 0x80)) {
				if (value > max || !Number.isSafeInteger(value)) throw new CodecError(`value ${value} above ${max}`);
				return value;
			}
			scale *= 0x80;
		}
		throw new CodecError('varint too long');
	}

	/** Reads `length` raw bytes (a copy, so the message buffer can be released). */
	raw(length: number): Uint8Array {
		if (length > this.remaining) throw new CodecError('truncated');
		const out = this.buf.slice(this.#pos, this.#pos + length);
		this.#pos += length;
		return out;
	}

	/** Reads length-prefixed bytes of at most `max` bytes. */
	bytes(max = Number.MAX_SAFE_INTEGER): Uint8Array {
		return this.raw(this.uint(max));
	}

	/**
	 * Reads length-prefixed bytes of at most `max` bytes as a view into the buffer, not a copy: for
	 * a part that is most of the buffer and is only read from, never kept (structured cloning a view
	 * would clone the whole buffer).
	 */
	bytesView(max = Number.MAX_SAFE_INTEGER): Uint8Array {
		const length = this.uint(max);
		if (length > this.remaining) throw new CodecError('truncated');
		const out = this.buf.subarray(this.#pos, this.#pos + length);
		this.#pos += length;
		return out;
	}

	/** Reads a length-prefixed UTF-8 string of at most `maxBytes` bytes. */
	string(maxBytes = 1024): string {
		try {
			return decoder.decode(this.bytes(maxBytes));
		} catch (e) {
			if (e instanceof CodecError) throw e;
			throw new CodecError('invalid UTF-8');
		}
	}

	/** Reads everything left (a copy). */
	rest(): Uint8Array {
		return this.raw(this.remaining);
	}

	/** Everything left, as a view into the buffer (see bytesView). */
	restView(): Uint8Array {
		const out = this.buf.subarray(this.#pos);
		this.#pos = this.buf.byteLength;
		return out;
	}
}
