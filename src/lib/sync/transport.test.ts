import { describe, expect, it } from 'vitest';
import { createLoopbackPair } from './transport';
import { makeRandom } from './sync-fixtures';

const turns = async (n = 5) => {
	for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('loopback transport', () => {
	it('delivers copies in order, both ways', async () => {
		const { a, b } = createLoopbackPair();
		const atB: number[] = [];
		const atA: number[] = [];
		b.onMessage((m) => atB.push(m[0]));
		a.onMessage((m) => atA.push(m[0]));
		const sent = new Uint8Array([1]);
		a.send(sent);
		sent[0] = 99; // changing a sent buffer must not change what arrives
		a.send(new Uint8Array([2]));
		b.send(new Uint8Array([3]));
		await turns();
		expect(atB).toEqual([1, 2]);
		expect(atA).toEqual([3]);
	});

	it('drops, duplicates and reorders frames when told to', async () => {
		const { a, b, link } = createLoopbackPair(makeRandom(3));
		const got: number[] = [];
		b.onMessage((m) => got.push(m[0]));
		link.dropNext(1);
		a.send(new Uint8Array([0]));
		link.faults = { dropRate: 0, duplicateRate: 1, reorder: true, delayMs: 0 };
		for (let i = 1; i <= 20; i++) a.send(new Uint8Array([i]));
		await turns();
		expect(got.length).toBe(40);
		expect([...new Set(got)].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
		expect(got).not.toEqual([...got].sort((x, y) => x - y));
	});

	it('stops delivering on disconnect and tells both ends once', async () => {
		const { a, b, link } = createLoopbackPair();
		const closes: string[] = [];
		const got: Uint8Array[] = [];
		a.onClose((r) => closes.push(`a:${r}`));
		b.onClose((r) => closes.push(`b:${r}`));
		b.onMessage((m) => got.push(m));
		a.send(new Uint8Array([1]));
		link.disconnect();
		a.send(new Uint8Array([2]));
		b.close();
		await turns();
		expect(got).toEqual([]);
		expect(closes.sort()).toEqual(['a:disconnected', 'b:disconnected']);
		expect(a.isOpen || b.isOpen).toBe(false);
	});
});
