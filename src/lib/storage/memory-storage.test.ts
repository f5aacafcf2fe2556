import { describe, expect, it } from 'vitest';
import { MemoryStorage } from './memory-storage';
import { runStorageContract } from './storage-contract';
import { expectReason, makeFakeEnvelope, makeTestDocId } from './storage-fixtures';

runStorageContract('MemoryStorage', async () => new MemoryStorage());

describe('MemoryStorage', () => {
	it('refuses work after it was closed, like a closed database', async () => {
		const s = new MemoryStorage();
		await s.close();
		await expectReason(s.appendUpdate(makeTestDocId('client'), makeFakeEnvelope(1)), 'storage-failed');
	});

	it('forgets everything when destroyed', async () => {
		const s = new MemoryStorage();
		await s.setMeta('k', 1);
		await s.destroy();
		await expectReason(s.getMeta('k'), 'storage-failed');
		expect(s).toBeInstanceOf(MemoryStorage);
	});
});
