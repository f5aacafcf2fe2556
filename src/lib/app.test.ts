// Joining by invite, at the composition root: what a new device stores before its first sync, and
// what it refuses. IndexedDB is fake-indexeddb, localStorage a stand-in; synthetic keys only.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { useLocalStorageStandIn } from './local-storage-fixtures';
import { joinSalon, JOIN_META, KEYRING_META, listLocalSalons, openSalonStorage, unlockOrJoin } from './app';
import { encodeKeyring } from './crypto/keyring-codec';
import { createKeyring, createSalonKeys } from './crypto/keyring';
import { isAppError } from './domain/errors';
import type { SalonId } from './domain/ids';
import type { Welcome } from './sync/invite';

useLocalStorageStandIn();

const PASSPHRASE = 'zielony kot pije mleko';

async function makeWelcome(): Promise<Welcome> {
	const { raw } = await createSalonKeys();
	const kdf = { algorithm: 'PBKDF2-SHA-256' as const, iterations: 1000, salt: crypto.getRandomValues(new Uint8Array(16)) };
	const { keyring } = await createKeyring(raw, { passphrase: PASSPHRASE, role: 'owner' }, kdf);
	return { salonId: crypto.randomUUID(), salonName: 'Salon Testowy Różany', keyring: encodeKeyring(keyring), addedBy: 'Halina Testowa', inviterDeviceId: 'device-a' };
}

describe('joining by invite', () => {
	it('keeps only the keyring and the relay until the salon arrives; the salon name and the inviter are not stored', async () => {
		const welcome = await makeWelcome();
		const local = await joinSalon(welcome, 'wss://salon.example/signal');
		expect(listLocalSalons()).toEqual([{ id: welcome.salonId, isDemo: false }]);
		const storage = await openSalonStorage(local.id);
		const join = await storage.getMeta<{ relayUrl: string; joinedAt: string }>(JOIN_META);
		expect(join?.relayUrl).toBe('wss://salon.example/signal');
		expect(await storage.getMeta(KEYRING_META)).toBeTruthy();
		const plain = JSON.stringify([join, localStorage.getItem('kartoteka.salons')]);
		for (const secret of ['Salon Testowy', 'Halina']) expect(plain).not.toContain(secret);
		await storage.close();
	});

	it('unlocks with a staff passphrase into a joining state that cannot open before the salon doc is here', async () => {
		const welcome = await makeWelcome();
		const local = await joinSalon(welcome, 'wss://salon.example/signal');
		const wrong = await unlockOrJoin(local, { passphrase: 'nie to hasło wcale' }).catch((e: unknown) => e);
		expect(isAppError(wrong, 'wrong-passphrase')).toBe(true);
		const result = await unlockOrJoin(local, { passphrase: PASSPHRASE });
		if (!('joining' in result)) throw new Error('expected a joining device');
		expect(result.joining.info.relayUrl).toBe('wss://salon.example/signal');
		expect(await result.joining.hasSalonDoc()).toBe(false);
		expect(result.joining.syncKeys?.salon).toBeTruthy();
		expect(isAppError(await result.joining.open().catch((e: unknown) => e), 'not-found')).toBe(true);
		result.joining.close();
		expect(result.joining.syncKeys).toBeNull();
		await result.joining.storage.close();
	});

	it('refuses to join a second salon, and a welcome that is not a keyring', async () => {
		const first = await makeWelcome();
		await joinSalon(first, 'wss://salon.example/signal');
		const second = await joinSalon(await makeWelcome(), 'wss://salon.example/signal').catch((e: unknown) => e);
		expect(isAppError(second, 'salon-exists')).toBe(true);
		expect(listLocalSalons().map((s) => s.id)).toEqual([first.salonId as SalonId]);

		localStorage.removeItem('kartoteka.salons');
		const broken = await joinSalon({ ...(await makeWelcome()), keyring: '{"version":1}' }, 'wss://salon.example/signal').catch((e: unknown) => e);
		expect(isAppError(broken, 'invalid-input')).toBe(true);
		expect(listLocalSalons()).toEqual([]);
	});
});
