// The session: which salon is open, whether it is locked, who is signed in. Locking drops every
// unwrapped key (the doc store forgets its doc keys, the keys object is released) and every
// decrypted summary, so nothing readable stays in memory.
import { KEYRING_META, createSalon, deviceId, listLocalSalons, openSalonStorage, removeLocalSalon, type LocalSalon, type OpenSalon, type SalonSetup } from '../app';
import { unlockWithPassphrase, unlockWithRecoveryKey, type Keyring } from '../crypto/keyring';
import { AppError } from '../domain/errors';
import { SALON_DOC_ID, type SalonId } from '../domain/ids';
import type { SalonProfile, StaffMember } from '../domain/salon';
import { listStaff, readSalon } from '../doc/salon-doc';
import { DocStore } from '../storage/doc-store';
import { clientList } from './clients.svelte';
import { UnlockThrottle } from './unlock-throttle';

/** Where the app is: nothing set up, locked, or open. */
export type SessionStatus = 'starting' | 'welcome' | 'locked' | 'unlocked';

/** The app's session state, read by the layout and every page. */
export class Session {
	status = $state<SessionStatus>('starting');
	salons = $state<LocalSalon[]>([]);
	salon = $state.raw<OpenSalon | null>(null);
	profile = $state<SalonProfile | null>(null);
	/** The recovery key right after setup, shown once, then cleared. */
	recoveryKey = $state<string | null>(null);
	readonly throttle = new UnlockThrottle();

	/** The real (non-demo) salon on this device, if any. */
	get realSalon(): LocalSalon | undefined {
		return this.salons.find((s) => !s.isDemo);
	}

	/** The demo salon on this device, if any. */
	get demoSalon(): LocalSalon | undefined {
		return this.salons.find((s) => s.isDemo);
	}

	/** This device's id, recorded in the change history. */
	get deviceId() {
		return deviceId();
	}

	/** Who is signed in. */
	get staff(): StaffMember | null {
		return this.salon?.staff ?? null;
	}

	/** Reads which salons this device holds; every start is locked. */
	start(): void {
		this.salons = listLocalSalons();
		this.status = this.realSalon ? 'locked' : 'welcome';
	}

	/** Creates the salon and opens it; the recovery key is kept to be shown once. */
	async setUp(setup: SalonSetup): Promise<void> {
		const { salon, recoveryKey } = await createSalon(setup);
		this.recoveryKey = recoveryKey;
		await this.open(salon);
	}

	/** Unlocks the real salon with a passphrase; throws 'wrong-passphrase' and slows repeated failures. */
	async unlock(passphrase: string): Promise<void> {
		await this.unlockWith((keyring) => unlockWithPassphrase(keyring, passphrase));
	}

	/** Unlocks the real salon with the recovery key. */
	async unlockWithRecovery(text: string): Promise<void> {
		await this.unlockWith((keyring) => unlockWithRecoveryKey(keyring, text));
	}

	private async unlockWith(attempt: (k: Keyring) => ReturnType<typeof unlockWithPassphrase>): Promise<void> {
		const local = this.realSalon;
		if (!local) throw new AppError('not-found', 'no salon on this device');
		this.throttle.assertAllowed();
		const storage = await openSalonStorage(local.id);
		const keyring = await storage.getMeta<Keyring>(KEYRING_META);
		if (!keyring) throw new AppError('not-found', 'keyring missing');
		let result;
		try {
			result = await attempt(keyring);
		} catch (e) {
			this.throttle.recordFailure();
			throw e;
		}
		this.throttle.reset();
		await this.openUnlocked(local.id, false, storage, keyring, result);
	}

	/** Opens (creating on first use) the demo salon; it needs no passphrase. */
	async openDemo(): Promise<void> {
		const { DEMO_PASSPHRASE, seedDemoSalon } = await import('./demo');
		const local = this.demoSalon;
		if (!local) {
			const salon = await seedDemoSalon();
			this.salons = listLocalSalons();
			await this.open(salon);
			return;
		}
		const storage = await openSalonStorage(local.id);
		const keyring = (await storage.getMeta<Keyring>(KEYRING_META))!;
		await this.openUnlocked(local.id, true, storage, keyring, await unlockWithPassphrase(keyring, DEMO_PASSPHRASE));
	}

	/** Removes the demo salon's database; the real salon is untouched. */
	async removeDemo(): Promise<void> {
		const demo = this.demoSalon;
		if (!demo) return;
		if (this.salon?.id === demo.id) this.lock();
		await removeLocalSalon(demo);
		this.start();
	}

	private async openUnlocked(
		id: SalonId,
		isDemo: boolean,
		storage: OpenSalon['storage'],
		keyring: Keyring,
		result: Awaited<ReturnType<typeof unlockWithPassphrase>>
	): Promise<void> {
		const store = new DocStore(storage, { salon: result.keys.salon, clinical: result.keys.clinical });
		const salonDoc = await store.load(SALON_DOC_ID);
		const staff =
			listStaff(salonDoc).find((s) => s.keyringEntryId === result.entryId) ??
			listStaff(salonDoc).find((s) => s.role === 'owner');
		salonDoc.destroy();
		if (!staff) throw new AppError('not-found', 'no staff member for this keyring entry');
		await this.open({ id, isDemo, storage, keys: result.keys, store, staff, keyring });
	}

	private async open(salon: OpenSalon): Promise<void> {
		const salonDoc = await salon.store.load(SALON_DOC_ID);
		this.profile = readSalon(salonDoc);
		salonDoc.destroy();
		await clientList.load(salon.store);
		this.salon = salon;
		this.salons = listLocalSalons();
		this.status = 'unlocked';
		// Ask once the salon is open: the browser then keeps the data even when space runs low.
		void navigator.storage?.persist?.().catch(() => false);
	}

	/** Locks completely: drops every unwrapped key and decrypted summary from memory. */
	lock(): void {
		this.salon?.store.forget();
		clientList.clear();
		this.salon = null;
		this.profile = null;
		this.recoveryKey = null;
		this.start();
	}
}

/** The one session of the app. */
export const session = new Session();
