// Beside the docs, a link carries the salon's keyring (new staff, changed passphrases), how much is
// coming (the first-sync progress bar and "last synced"), and which card each device has open.
import { describe, expect, it, vi } from 'vitest';
import { importDataKey, randomKeyBytes } from '../crypto/envelope';
import { addEntry, createKeyring, createSalonKeys, disableEntry, unlockWithPassphrase, type Keyring } from '../crypto/keyring';
import { mergeKeyrings } from '../crypto/keyring-merge';
import { isAppError } from '../domain/errors';
import { makeClientProfile } from '../domain/synthetic';
import { createClient } from '../state/card-service';
import type { Presence } from './salon-exchange';
import { syncedAtKey, type SyncNodeOptions } from './sync-node';
import type { IncomingProgress } from './peer-sync';
import { linkDevices, makeDevice, makeSalonKeys, TEST_AUTHOR, waitForQuiet, type TestDevice, type TestSalonKeys } from './sync-fixtures';

const KDF = { algorithm: 'PBKDF2-SHA-256' as const, iterations: 1000, salt: new Uint8Array(16).fill(3) };
const KEYRING = 'keyring';

/** A salon with a real keyring; each device keeps its copy in storage meta and merges what peers send. */
async function makeKeyringSalon() {
	const opened = await createSalonKeys();
	const { keyring } = await createKeyring(opened.raw, { passphrase: 'zielony kot pije mleko', role: 'owner' }, KDF);
	const keys: TestSalonKeys = { salon: opened.keys.salon, clinical: opened.keys.clinical!, syncSecret: opened.keys.syncSecret };
	const device = async (name: string, salonKeys = keys, salonOpened = opened) => {
		const holder: { device?: TestDevice } = {};
		const exchange: SyncNodeOptions['keyring'] = {
			read: () => holder.device!.storage.getMeta<Keyring>(KEYRING).then((k) => k ?? null),
			merge: async (received) => {
				const current = (await holder.device!.storage.getMeta<Keyring>(KEYRING))!;
				await holder.device!.storage.setMeta(KEYRING, await mergeKeyrings(current, received, salonOpened.keys));
			}
		};
		holder.device = await makeDevice(name, salonKeys, { node: { keyring: exchange } });
		await holder.device.storage.setMeta(KEYRING, keyring);
		return holder.device;
	};
	return { opened, keyring, device };
}

describe('what travels beside the docs', () => {
	it('a staff member added on one tablet can unlock on the other, and a disabled one cannot', async () => {
		const salon = await makeKeyringSalon();
		const [a, b] = [await salon.device('A'), await salon.device('B')];
		const added = await addEntry(salon.keyring, salon.opened, { passphrase: 'niebieska sowa czyta nocą', role: 'cosmetologist' });
		await a.storage.setMeta(KEYRING, added.keyring);
		linkDevices(a, b);
		const entriesOnB = async () => (await b.storage.getMeta<Keyring>(KEYRING))!.entries;
		await vi.waitFor(async () => expect((await entriesOnB()).map((e) => e.id)).toContain(added.entryId));
		const onB = (await b.storage.getMeta<Keyring>(KEYRING))!;
		expect((await unlockWithPassphrase(onB, 'niebieska sowa czyta nocą')).entryId).toBe(added.entryId);

		await a.storage.setMeta(KEYRING, await disableEntry(added.keyring, added.entryId, salon.opened.keys));
		a.node.sendKeyring();
		await vi.waitFor(async () => expect((await entriesOnB()).find((e) => e.id === added.entryId)?.disabled).toBe(true));
		const after = (await b.storage.getMeta<Keyring>(KEYRING))!;
		const refused = await unlockWithPassphrase(after, 'niebieska sowa czyta nocą').catch((e: unknown) => e);
		expect(isAppError(refused, 'wrong-passphrase')).toBe(true);
	});

	it('drops a keyring from a peer that holds only the sync secret', async () => {
		const salon = await makeKeyringSalon();
		const b = await salon.device('B');
		const foreign = await createSalonKeys();
		const eveKeys: TestSalonKeys = { salon: foreign.keys.salon, clinical: foreign.keys.clinical!, syncSecret: salon.opened.keys.syncSecret };
		const eve = await salon.device('E', eveKeys, foreign);
		const { keyring: eveRing } = await createKeyring(foreign.raw, { passphrase: 'podstępna ewa zna hasło', role: 'owner' }, KDF);
		await eve.storage.setMeta(KEYRING, eveRing);
		const before = await b.storage.getMeta<Keyring>(KEYRING);
		const link = linkDevices(b, eve);
		await waitForQuiet([b, eve], [link]);
		await vi.waitFor(() => expect(b.logs).toContainEqual(expect.objectContaining({ reason: 'forged', detail: expect.stringContaining('keyring') })));
		expect(await b.storage.getMeta<Keyring>(KEYRING)).toEqual(before);
		const refused = await unlockWithPassphrase((await b.storage.getMeta<Keyring>(KEYRING))!, 'podstępna ewa zna hasło').catch((e: unknown) => e);
		expect(isAppError(refused, 'wrong-passphrase')).toBe(true);
	});

	it('a new tablet sees how many cards are coming and how many arrived, then when it last synced', async () => {
		const keys = await makeSalonKeys();
		const a = await makeDevice('A', keys, { limits: { maxBatch: 7 } });
		for (let i = 0; i < 30; i++) await createClient(a.store, makeClientProfile(i), TEST_AUTHOR);
		const seen: Array<IncomingProgress | null> = [];
		const synced: string[] = [];
		const holder: { b?: TestDevice } = {};
		holder.b = await makeDevice('B', keys, {
			limits: { maxBatch: 7 },
			node: { onProgress: () => seen.push(holder.b!.node.progress), onSynced: (peer) => synced.push(peer) }
		});
		const b = holder.b;
		const link = linkDevices(a, b);
		await waitForQuiet([a, b], [link]);
		const announced = seen.find((p) => p !== null);
		expect(announced).toEqual({ docs: 30, cards: 30, docsDone: 0, cardsDone: 0 });
		const counts = seen.filter((p) => p !== null).map((p) => p!.cardsDone);
		expect(counts).toEqual([...counts].sort((x, y) => x - y)); // never goes backwards
		expect(counts.at(-1)).toBe(30);
		expect(seen.at(-1)).toBeNull(); // done: the bar goes away
		expect(b.node.progress).toBeNull();
		expect(synced).toContain('A');
		expect(typeof (await b.storage.getMeta<number>(syncedAtKey('A')))).toBe('number');
	});

	it('shows which card another tablet has open, and forgets it when that tablet goes', async () => {
		const keys = await makeSalonKeys();
		const heard: Array<[string, Presence | null]> = [];
		const a = await makeDevice('A', keys);
		const b = await makeDevice('B', keys, { node: { onPresence: (peer, p) => heard.push([peer, p]) } });
		const presence = { deviceName: 'Tablet recepcja', staffName: 'Anna Testowa', clientId: '0b5e4c1a-1111-4222-8333-444455556666' };
		a.node.setPresence(presence);
		const link = linkDevices(a, b);
		// Presence is sent beside the docs, not waited for by "quiet": wait for what B hears.
		await vi.waitFor(() => expect(heard).toEqual([['A', presence]]));
		a.node.setPresence({ ...presence, clientId: null });
		await vi.waitFor(() => expect(heard.at(-1)).toEqual(['A', { ...presence, clientId: null }]));
		link.disconnect();
		await vi.waitFor(() => expect(heard.at(-1)).toEqual(['A', null]));
	});

	it('drops presence sealed under another salon key', async () => {
		const keys = await makeSalonKeys();
		const heard: Array<Presence | null> = [];
		const b = await makeDevice('B', keys, { node: { onPresence: (_peer, p) => heard.push(p) } });
		const eve = await makeDevice('E', { ...keys, salon: await importDataKey('salon/1', randomKeyBytes()) });
		eve.node.setPresence({ deviceName: 'Tablet', staffName: 'Ewa', clientId: null });
		const link = linkDevices(b, eve);
		await waitForQuiet([b, eve], [link]);
		await vi.waitFor(() => expect(b.logs).toContainEqual(expect.objectContaining({ reason: 'forged', detail: expect.stringContaining('presence') })));
		expect(heard.filter((p) => p !== null)).toEqual([]);
	});
});
