import { beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../domain/errors';
import { MemoryStorage } from '../storage/memory-storage';
import type { Storage } from '../storage/storage';
import { findBackupProblem, restoreBackup, writeBackup, type RestoreOptions } from './backup';
import {
	BACKUP_PASSPHRASE, collect, concat, dumpStorage, fastKdf, flipBit, makeTestSalon, openBytes, splitFile, type TestSalon
} from './backup-fixtures';

async function backUp(salon: TestSalon, passphrase = BACKUP_PASSPHRASE): Promise<Uint8Array> {
	return concat(await collect(writeBackup(salon.storage, salon.salonId, passphrase, { kdf: fastKdf(), chunkSize: 300 })));
}

// Restores `file` into `target`, expects the refusal, and expects the target exactly as before.
async function expectRefusedUnchanged(
	target: Storage,
	targetSalonId: string | null,
	file: Uint8Array,
	expected: { reason: string; problem?: string },
	options: RestoreOptions = {},
	passphrase = BACKUP_PASSPHRASE
): Promise<void> {
	const before = await dumpStorage(target);
	const error = await restoreBackup(target, targetSalonId, openBytes(file, 333), passphrase, options).then(
		() => 'resolved',
		(e: unknown) => e
	);
	expect(isAppError(error) ? { reason: error.reason, problem: findBackupProblem(error) ?? undefined } : error).toEqual(expected);
	expect(await dumpStorage(target)).toEqual(before);
}

describe('restoring a bad file changes nothing', () => {
	let salon: TestSalon;
	let file: Uint8Array;
	let merge: RestoreOptions;
	// Each damaged file is tried on this salon (a merge) and on an empty device.
	const targets = (): Array<[Storage, string | null, RestoreOptions]> => [
		[salon.storage, salon.salonId, merge],
		[new MemoryStorage(), null, {}]
	];

	beforeAll(async () => {
		salon = await makeTestSalon(3);
		file = await backUp(salon);
		merge = { merge: { store: salon.store, keys: salon.keys } };
		expect(splitFile(file).frames.length).toBeGreaterThan(8);
	});

	it('refuses a file cut anywhere, including exactly between two chunks, as truncated', async () => {
		const { header, frames } = splitFile(file);
		const afterThird = header.length + frames[0].length + frames[1].length + frames[2].length;
		const lastStarts = file.length - frames.at(-1)!.length;
		for (const cut of [10, header.length, header.length + 100, afterThird, lastStarts, file.length - 1]) {
			for (const [target, id, options] of targets()) {
				await expectRefusedUnchanged(target, id, file.slice(0, cut), { reason: 'invalid-input', problem: 'truncated' }, options);
			}
		}
	});

	it('refuses reordered chunks and flipped bits in a chunk or the header as corrupted', async () => {
		const { header, frames } = splitFile(file);
		const swapped = concat([header, frames[0], frames[2], frames[1], ...frames.slice(3)]);
		const lateChunk = file.length - frames.at(-1)!.length - 50;
		for (const bad of [swapped, flipBit(file, lateChunk), flipBit(file, 60), flipBit(file, 18)]) {
			for (const [target, id, options] of targets()) {
				await expectRefusedUnchanged(target, id, bad, { reason: 'invalid-input', problem: 'corrupted' }, options);
			}
		}
	});

	it('refuses a wrong passphrase, a newer format and a file that is no backup at all', async () => {
		const newer = file.slice();
		new DataView(newer.buffer).setUint32(16, (2 << 16) | (~2 & 0xffff));
		const notBackup = new TextEncoder().encode('Imię;Nazwisko;Telefon\nAnna;Nowak;600100200\n');
		for (const [target, id, options] of targets()) {
			await expectRefusedUnchanged(target, id, file, { reason: 'wrong-passphrase' }, options, 'kopia zapasowa salonu Magnoli');
			await expectRefusedUnchanged(target, id, newer, { reason: 'newer-version' }, options);
			await expectRefusedUnchanged(target, id, notBackup, { reason: 'invalid-input', problem: 'not-a-backup' }, options);
		}
	});

	it("refuses another salon's file into a salon that holds data, whatever the caller says the salon is", async () => {
		const foreign = await backUp(await makeTestSalon(1));
		await expectRefusedUnchanged(salon.storage, salon.salonId, foreign, { reason: 'invalid-input', problem: 'foreign-salon' }, merge);
		await expectRefusedUnchanged(salon.storage, null, foreign, { reason: 'invalid-input', problem: 'foreign-salon' }, merge);
	});

	it("refuses to merge a file whose docs this salon's keys cannot open, even under the same salon id", async () => {
		const impostor = await makeTestSalon(1, new MemoryStorage(), salon.salonId);
		await expectRefusedUnchanged(salon.storage, salon.salonId, await backUp(impostor), { reason: 'decrypt-failed' }, merge);
	});

	it('refuses to merge without the unlocked salon, or without the clinical key for clinical docs', async () => {
		await expectRefusedUnchanged(salon.storage, salon.salonId, file, { reason: 'locked' });
		const reception = { merge: { store: salon.store, keys: { ...salon.keys, clinical: null } } };
		await expectRefusedUnchanged(salon.storage, salon.salonId, file, { reason: 'locked' }, reception);
	});
});
