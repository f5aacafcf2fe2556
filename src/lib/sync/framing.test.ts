import { describe, expect, it } from 'vitest';
import { FrameReader, FrameWriter } from './framing';
import { DEFAULT_LIMITS, type SyncLogEntry } from './limits';
import { createLoopbackPair } from './transport';
import { makeRandom } from './sync-fixtures';

const limits = { ...DEFAULT_LIMITS, maxMessageBytes: 256 * 1024, maxBufferedBytes: 300 * 1024 };

function collect() {
	const messages: Uint8Array[] = [];
	const logs: SyncLogEntry[] = [];
	const reader = new FrameReader(limits, (m) => messages.push(m), (e) => logs.push(e));
	return { messages, logs, reader };
}

async function framesOf(...messages: Uint8Array[]): Promise<Uint8Array[]> {
	const { a, link } = createLoopbackPair();
	const frames: Uint8Array[] = [];
	link.tap = (_, bytes) => frames.push(bytes);
	const writer = new FrameWriter(a, limits);
	await Promise.all(messages.map((m) => writer.write(m)));
	return frames;
}

const message = (size: number, seed: number) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed) % 251);

describe('framing', () => {
	it('cuts a message into frames no larger than the frame limit', async () => {
		const frames = await framesOf(message(100_000, 1));
		expect(frames.length).toBe(Math.ceil(100_000 / (limits.maxFrameBytes - 16)));
		expect(Math.max(...frames.map((f) => f.byteLength))).toBeLessThanOrEqual(limits.maxFrameBytes);
	});

	it('puts messages back together from shuffled and duplicated frames, each once', async () => {
		const sent = [message(100_000, 1), message(0, 2), message(40_000, 3)];
		const frames = await framesOf(...sent);
		const random = makeRandom(5);
		const shuffled = [...frames, ...frames.slice(0, 4)].sort(() => random() - 0.5);
		const { messages, logs, reader } = collect();
		for (const f of shuffled) reader.accept(f);
		expect(messages.map((m) => m.byteLength).sort((x, y) => x - y)).toEqual([0, 40_000, 100_000]);
		const isSent = (m: Uint8Array) => sent.some((s) => Buffer.from(s).equals(Buffer.from(m)));
		expect(messages.every(isSent)).toBe(true);
		expect(logs).toEqual([]);
	});

	it('refuses to send a message above the message limit', async () => {
		const { a } = createLoopbackPair();
		await expect(new FrameWriter(a, limits).write(new Uint8Array(limits.maxMessageBytes + 1))).rejects.toThrow(RangeError);
	});

	it('drops a message growing beyond the limit once, with a logged reason', async () => {
		const frames = await framesOf(message(200_000, 1));
		const small = { ...limits, maxMessageBytes: 64 * 1024 };
		const logs: SyncLogEntry[] = [];
		const delivered: Uint8Array[] = [];
		const reader = new FrameReader(small, (m) => delivered.push(m), (e) => logs.push(e));
		for (const f of frames) reader.accept(f);
		expect(delivered).toEqual([]);
		expect(logs.map((l) => l.reason)).toEqual(['message-too-large']);
	});

	it('keeps partly received messages within the buffer limit by dropping the oldest', async () => {
		const frames = await framesOf(message(200_000, 1), message(200_000, 2));
		const perMessage = frames.length / 2;
		const { messages, logs, reader } = collect();
		// Everything but the last frame of each: two incomplete messages of ~200 KB each.
		for (const f of [...frames.slice(0, perMessage - 1), ...frames.slice(perMessage, -1)]) reader.accept(f);
		expect(logs.map((l) => l.reason)).toEqual(['buffer-full']);
		reader.accept(frames[frames.length - 1]);
		expect(messages.map((m) => m[0])).toEqual([message(200_000, 2)[0]]);
	});

	it('drops malformed frames with a logged reason', () => {
		const { messages, logs, reader } = collect();
		reader.accept(new Uint8Array([]));
		reader.accept(new Uint8Array([2, 0, 0, 1])); // unknown frame format
		reader.accept(new Uint8Array([1, 0, 3, 2])); // frame 3 of 2
		reader.accept(new Uint8Array(limits.maxFrameBytes + 1));
		expect(messages).toEqual([]);
		expect(logs.map((l) => l.reason)).toEqual(['malformed-frame', 'malformed-frame', 'malformed-frame', 'frame-too-large']);
	});
});
