import { describe, expect, it } from 'vitest';
import { isAppError } from '../domain/errors';
import { findBackupProblem } from './backup-errors';
import { createBackupWriter, openBackup, sealBackup, type BackupWriterParams } from './backup-format';
import { BACKUP_FORMAT_VERSION } from './backup-header';
import { BACKUP_PASSPHRASE, collect, concat, fastKdf, flipBit, openBytes, splitFile } from './backup-fixtures';
import type { ByteSource } from './byte-reader';

const SALON = '7d0c8f6e-2b1a-4c3d-9e8f-112233445566';

function params(overrides: Partial<BackupWriterParams> = {}): BackupWriterParams {
	return { salonId: SALON, passphrase: BACKUP_PASSPHRASE, kdf: fastKdf(), chunkSize: 1000, ...overrides };
}

function payloadOf(size: number, seed = 7): Uint8Array {
	return Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed) % 251);
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
	yield bytes;
}

async function writeFile(payload: Uint8Array, p = params()): Promise<Uint8Array> {
	return concat(await collect(sealBackup(await createBackupWriter(p), once(payload))));
}

async function readPayload(source: ByteSource, passphrase = BACKUP_PASSPHRASE): Promise<Uint8Array> {
	const opened = await openBackup(source, passphrase);
	return concat(await collect(opened.chunks()));
}

// Rejects with `reason`, and for 'invalid-input' with the named backup problem.
async function expectRefusal(promise: Promise<unknown>, reason: string, problem?: string): Promise<void> {
	const error = await promise.then(
		() => 'resolved',
		(e: unknown) => e
	);
	expect(isAppError(error) ? error.reason : error).toBe(reason);
	if (problem) expect(findBackupProblem(error)).toBe(problem);
}

describe('backup file format', () => {
	it('reads back exactly what was written across many chunks, whatever the part sizes', async () => {
		const payload = payloadOf(10_500);
		const file = await writeFile(payload);
		expect(splitFile(file).frames).toHaveLength(11);
		for (const partSize of [1, 17, 1000, file.length]) {
			expect(await readPayload(openBytes(file, partSize)())).toEqual(payload);
		}
	});

	it('writes one empty last chunk for an empty payload, and a payload of whole chunks ends on a full last chunk', async () => {
		expect(await readPayload(openBytes(await writeFile(new Uint8Array(0)))())).toEqual(new Uint8Array(0));
		const whole = payloadOf(3000);
		const file = await writeFile(whole);
		expect(splitFile(file).frames).toHaveLength(3);
		expect(await readPayload(openBytes(file)())).toEqual(whole);
	});

	it('reads from a ReadableStream, as File.stream() gives, and releases it when stopped early', async () => {
		const file = await writeFile(payloadOf(5000));
		let isCancelled = false;
		const parts = splitFile(file);
		const stream = new ReadableStream<Uint8Array>({
			start(c) {
				c.enqueue(parts.header);
				for (const f of parts.frames) c.enqueue(f);
				c.close();
			},
			cancel() {
				isCancelled = true;
			}
		});
		const opened = await openBackup(stream, BACKUP_PASSPHRASE);
		expect(opened.info).toMatchObject({ formatVersion: BACKUP_FORMAT_VERSION, salonId: SALON, chunkSize: 1000 });
		await opened.close();
		expect(isCancelled).toBe(true);
	});

	it('refuses a wrong passphrase from the header alone, before reading any chunk', async () => {
		const file = await writeFile(payloadOf(5000));
		const { header, frames } = splitFile(file);
		let pulled = 0;
		async function* source() {
			for (const part of [header, ...frames]) {
				pulled += 1;
				yield part;
			}
		}
		await expectRefusal(openBackup(source(), 'kopia zapasowa salonu magnolia'), 'wrong-passphrase');
		expect(pulled).toBe(1);
	});

	it('says not-a-backup for files that are not backups', async () => {
		const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...payloadOf(100)]);
		const text = new TextEncoder().encode('Imię;Nazwisko;Telefon\nAnna;Nowak;600100200\n');
		for (const bytes of [new Uint8Array(0), png, text, payloadOf(5000)]) {
			await expectRefusal(readPayload(openBytes(bytes)()), 'invalid-input', 'not-a-backup');
		}
	});

	it('says newer-version for a file from a newer format, before asking anything else of it', async () => {
		const file = await writeFile(payloadOf(100));
		const view = new DataView(file.buffer);
		view.setUint16(16, BACKUP_FORMAT_VERSION + 1);
		view.setUint16(18, ~(BACKUP_FORMAT_VERSION + 1) & 0xffff);
		await expectRefusal(readPayload(openBytes(file)()), 'newer-version');
	});

	it('says truncated for a file cut anywhere, including exactly between two chunks', async () => {
		const file = await writeFile(payloadOf(4500));
		const { header, frames } = splitFile(file);
		const boundaries = frames.slice(0, -1).reduce((acc, f) => [...acc, acc.at(-1)! + f.length], [header.length]);
		const cuts = [20, 30, header.length - 1, ...boundaries, header.length + 5, header.length + 500, file.length - 1];
		for (const cut of cuts) {
			await expectRefusal(readPayload(openBytes(file.slice(0, cut))()), 'invalid-input', 'truncated');
		}
	});

	it('says corrupted for reordered, dropped or repeated chunks', async () => {
		const { header, frames } = splitFile(await writeFile(payloadOf(4500)));
		const [a, b, c, d, e] = frames;
		for (const order of [[a, c, b, d, e], [a, b, d, e], [a, b, b, c, d, e], [e]]) {
			await expectRefusal(readPayload(openBytes(concat([header, ...order]))()), 'invalid-input', 'corrupted');
		}
	});

	it('says corrupted for a flipped bit in a chunk, its flag, its IV or anywhere in the header', async () => {
		const file = await writeFile(payloadOf(4500));
		const { header, frames } = splitFile(file);
		const second = header.length + frames[0].length;
		const last = file.length - frames.at(-1)!.length;
		// version, its complement, body, checksum; then ciphertext, last-chunk flag, IV, a middle chunk
		for (const offset of [17, 19, 40, header.length - 3, header.length + 40, last + 4, second + 6, second + 200]) {
			await expectRefusal(readPayload(openBytes(flipBit(file, offset))()), 'invalid-input', 'corrupted');
		}
	});

	it('says corrupted for a chunk spliced in from another file, even one with the same passphrase and salt', async () => {
		const kdf = fastKdf();
		const mine = splitFile(await writeFile(payloadOf(3500, 1), params({ kdf })));
		const theirs = splitFile(await writeFile(payloadOf(3500, 2), params({ kdf })));
		const spliced = concat([mine.header, mine.frames[0], theirs.frames[1], ...mine.frames.slice(2)]);
		await expectRefusal(readPayload(openBytes(spliced)()), 'invalid-input', 'corrupted');
	});

	it('says corrupted for data after the last chunk, and hands on no part of that last chunk', async () => {
		const file = await writeFile(payloadOf(2500));
		const opened = await openBackup(openBytes(concat([file, new Uint8Array([0])]))(), BACKUP_PASSPHRASE);
		const seen: Uint8Array[] = [];
		const reading = (async () => {
			for await (const chunk of opened.chunks()) seen.push(chunk);
		})();
		await expectRefusal(reading, 'invalid-input', 'corrupted');
		expect(seen).toHaveLength(2);
	});

	it('streams both ways: the writer pulls its payload and the reader its file only as needed', async () => {
		let produced = 0;
		async function* payload() {
			for (let i = 0; i < 50; i++) {
				produced += 1;
				yield payloadOf(1000, i);
			}
		}
		const writing = sealBackup(await createBackupWriter(params()), payload());
		const firstParts = [(await writing.next()).value, (await writing.next()).value];
		expect(firstParts).toHaveLength(2);
		expect(produced).toBeLessThanOrEqual(3);
		const file = concat([...(firstParts as Uint8Array[]), ...(await collect(writing))]);

		let pulled = 0;
		async function* source() {
			for (let at = 0; at < file.length; at += 1000) {
				pulled += 1;
				yield file.slice(at, at + 1000);
			}
		}
		const opened = await openBackup(source(), BACKUP_PASSPHRASE);
		const chunks = opened.chunks();
		await chunks.next();
		expect(pulled).toBeLessThanOrEqual(3);
		await opened.close();
	});
});
