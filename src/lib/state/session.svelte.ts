// The session: which salon is open, whether it is locked, who is signed in. One tab per device
// writes: tabs elect a leader with the Web Locks API and the others say the app is open elsewhere
// until the leader closes. Locking completely drops every unwrapped key and every decrypted
// summary; the screen lock keeps the keys and asks for a PIN.
import { createSalon, listLocalSalons, removeLocalSalon, unlockOrJoin, unlockSalon, type LocalSalon, type SalonSetup } from '../app';
import type { JoiningSalon } from './joining-salon';
import { AppError } from '../domain/errors';
import type { StaffId } from '../domain/ids';
import type { DeviceRecord } from '../domain/device';
import type { SalonProfile, StaffMember } from '../domain/salon';
import { clientList } from './clients.svelte';
import { DEFAULT_LOCK_OPTIONS, LockMachine } from './lock-machine';
import type { SalonSession, SwitchResult } from './salon-session';
import { sync } from './sync.svelte';
import { UnlockThrottle } from './unlock-throttle';

/** Where the app is. */
export type SessionStatus = 'starting' | 'elsewhere' | 'welcome' | 'locked' | 'joining' | 'unlocked';

const WRITER_LOCK = 'kartoteka-writer';
/** How often an open app records "last seen" in the device registry. */
const ANNOUNCE_EVERY_MS = 15 * 60_000;
/** A shorter screen-lock time for tests and kiosks, in ms (not personal data). */
const SCREEN_LOCK_OVERRIDE = 'kartoteka.screen-lock-ms';

/** The app's session state, read by the layout and every page. */
export class Session {
	status = $state<SessionStatus>('starting');
	salons = $state<LocalSalon[]>([]);
	salon = $state.raw<SalonSession | null>(null);
	staff = $state.raw<StaffMember | null>(null);
	staffList = $state.raw<StaffMember[]>([]);
	/** The salon's devices (registry in the salon doc), re-read with staff and settings. */
	devices = $state.raw<DeviceRecord[]>([]);
	profile = $state<SalonProfile | null>(null);
	isScreenLocked = $state(false);
	/** The recovery key right after setup, shown once, then cleared. */
	recoveryKey = $state<string | null>(null);
	/** A device that joined by invite, unlocked, while the salon's data is on its way. */
	joining = $state.raw<JoiningSalon | null>(null);
	/** Whether the joining device already has the salon doc (it may open before the rest arrives). */
	hasSalonData = $state(false);
	#joinTimer: ReturnType<typeof setInterval> | null = null;
	#announcedAt = Date.now();
	readonly throttle = new UnlockThrottle();
	#locks = new LockMachine(DEFAULT_LOCK_OPTIONS, Date.now());
	#timer: ReturnType<typeof setInterval> | null = null;

	/** The real (non-demo) salon on this device, if any. */
	get realSalon(): LocalSalon | undefined {
		return this.salons.find((s) => !s.isDemo);
	}

	/** The demo salon on this device, if any. */
	get demoSalon(): LocalSalon | undefined {
		return this.salons.find((s) => s.isDemo);
	}

	/** Whether the signed-in member's keys open health data. */
	get hasClinicalKey(): boolean {
		void this.staff;
		return this.salon?.hasClinicalKey ?? false;
	}

	/** Becomes this device's writer (or waits as a second tab), then shows the locked salon. */
	async start(): Promise<void> {
		const locks = globalThis.navigator?.locks;
		if (locks) {
			const acquired = await new Promise<boolean>((resolve) => {
				void locks.request(WRITER_LOCK, { ifAvailable: true }, (lock) => {
					resolve(lock !== null);
					// Hold the lock for the life of this tab.
					return lock ? new Promise<void>(() => {}) : undefined;
				});
			});
			if (!acquired) {
				this.status = 'elsewhere';
				await new Promise<void>((resolve) => {
					void locks.request(WRITER_LOCK, () => {
						resolve();
						return new Promise<void>(() => {});
					});
				});
			}
		}
		this.showLocked();
	}

	/** Shows the unlock screen for the real salon, or the welcome screen when there is none. */
	showLocked(): void {
		this.salons = listLocalSalons();
		this.status = this.realSalon ? 'locked' : 'welcome';
	}

	/** Creates the salon and opens it; the recovery key is kept to be shown once. */
	async setUp(setup: SalonSetup): Promise<void> {
		const { salon, recoveryKey } = await createSalon(setup);
		this.recoveryKey = recoveryKey;
		await this.#open(salon);
	}

	/** Unlocks the real salon with a passphrase; repeated failures make further tries wait. */
	async unlock(passphrase: string): Promise<void> {
		await this.#unlockWith({ passphrase });
	}

	/** Unlocks the real salon with the recovery key. */
	async unlockWithRecovery(recoveryKey: string): Promise<void> {
		await this.#unlockWith({ recoveryKey });
	}

	async #unlockWith(secret: { passphrase: string } | { recoveryKey: string }): Promise<void> {
		const local = this.realSalon;
		if (!local) throw new AppError('not-found', 'no salon on this device');
		this.throttle.assertAllowed();
		let result: Awaited<ReturnType<typeof unlockOrJoin>>;
		try {
			result = await unlockOrJoin(local, secret);
		} catch (e) {
			this.throttle.recordFailure();
			throw e;
		}
		this.throttle.reset();
		if ('joining' in result) await this.#startJoining(result.joining);
		else await this.#open(result.salon);
	}

	// A joined device syncs with the keys alone until the salon doc and the first sync are here.
	async #startJoining(joining: JoiningSalon): Promise<void> {
		this.joining = joining;
		this.hasSalonData = false;
		this.status = 'joining';
		this.#locks.unlock(Date.now());
		this.#timer ??= setInterval(() => this.#tick(), 1000);
		await sync.start(joining);
		this.#joinTimer = setInterval(() => void this.#checkJoined().catch((e) => console.warn('join check failed', e)), 500);
	}

	async #checkJoined(): Promise<void> {
		const joining = this.joining;
		if (!joining) return;
		this.hasSalonData = await joining.hasSalonDoc();
		const hasSynced = Object.keys(sync.lastSynced).length > 0;
		if (this.hasSalonData && hasSynced && sync.progress === null && sync.isSettled) await this.finishJoining();
	}

	/** Opens the salon on a joining device (by itself once the first sync is done, or by hand once the salon doc is here). */
	async finishJoining(): Promise<void> {
		const joining = this.joining;
		if (!joining) return;
		if (this.#joinTimer) clearInterval(this.#joinTimer);
		this.#joinTimer = null;
		this.joining = null;
		try {
			await this.#open(await joining.open());
		} catch (e) {
			joining.close();
			sync.stop();
			this.showLocked();
			throw e;
		}
	}

	/** Opens (creating on first use) the demo salon; it needs no passphrase. */
	async openDemo(): Promise<void> {
		const { DEMO_PASSPHRASE, seedDemoSalon } = await import('./demo');
		const local = this.demoSalon;
		await this.#open(local ? await unlockSalon(local, { passphrase: DEMO_PASSPHRASE }) : await seedDemoSalon());
	}

	/** Removes the demo salon's database; the real salon is untouched. */
	async removeDemo(): Promise<void> {
		const demo = this.demoSalon;
		if (!demo) return;
		if (this.salon?.id === demo.id) this.lock();
		await removeLocalSalon(demo);
		this.showLocked();
	}

	async #open(salon: SalonSession): Promise<void> {
		await clientList.load(salon.store);
		this.salon = salon;
		this.#refresh();
		this.salons = listLocalSalons();
		this.isScreenLocked = false;
		this.status = 'unlocked';
		this.#locks.unlock(Date.now());
		this.#configureLocks();
		this.#timer ??= setInterval(() => this.#tick(), 1000);
		// Peer sync runs while the salon is unlocked (screen lock included); a hard lock stops it.
		sync.onSalonChanged = () => void this.#onPeerSalonChange();
		void this.#announce(salon)
			.then(() => sync.start(salon))
			.then(() => sync.loadLastSynced(salon.storage, salon.devices.map((d) => d.id)))
			.catch((error) => console.warn('sync did not start', error));
		// Ask once the salon is open: the browser then keeps the data even when space runs low.
		void globalThis.navigator?.storage?.persist?.().catch(() => false);
	}

	// Records this device in the salon's registry ("last seen"; registered under a default name if
	// missing), then shows the registry as it now is. Never fails: the registry can wait.
	async #announce(salon: SalonSession): Promise<void> {
		this.#announcedAt = Date.now();
		try {
			await salon.announceThisDevice(`Tablet ${salon.deviceId.slice(0, 4).toUpperCase()}`);
			if (this.salon === salon) this.#refresh();
		} catch (error) {
			console.warn('device registry not updated', error);
		}
	}

	/** Copies what the UI shows from the salon session into runes. */
	#refresh(): void {
		const salon = this.salon;
		this.staff = salon?.staff ?? null;
		this.staffList = salon?.staffList ?? [];
		this.devices = salon?.devices ?? [];
		this.profile = salon ? { ...salon.profile } : null;
	}

	#configureLocks(): void {
		const override = Number(globalThis.localStorage?.getItem(SCREEN_LOCK_OVERRIDE));
		const minutes = this.salon?.settings.screenLockMinutes ?? 5;
		this.#locks.configure({ screenLockMs: override > 0 ? override : minutes * 60_000 });
	}

	#tick(): void {
		if (this.status === 'joining') {
			// No screen lock without staff PINs yet; a long idle still locks completely.
			if (this.#locks.tick(Date.now()) === 'hard-locked') this.lock();
			return;
		}
		if (this.status !== 'unlocked') return;
		if (this.salon && Date.now() - this.#announcedAt > ANNOUNCE_EVERY_MS) void this.#announce(this.salon);
		const state = this.#locks.tick(Date.now());
		if (state === 'hard-locked') this.lock();
		else this.isScreenLocked = state === 'screen-locked';
	}

	/** A touch or a key press: the idle time starts again. */
	recordActivity(): void {
		this.#locks.recordActivity(Date.now());
	}

	/** Covers the screen; the keys stay in memory, a PIN opens it. */
	lockScreen(): void {
		this.#locks.lockScreen();
		this.isScreenLocked = true;
	}

	/** Tries a staff member's PIN at the screen lock; five wrong ones lock completely. */
	async switchByPin(staffId: StaffId, pin: string): Promise<SwitchResult> {
		if (!this.salon) throw new AppError('locked');
		const result = await this.salon.switchByPin(staffId, pin);
		if (result === 'wrong-pin') {
			if (this.#locks.recordWrongPin() === 'hard-locked') this.lock();
			return result;
		}
		if (result === 'switched') this.#afterSwitch();
		return result;
	}

	/** A clinical member enters their passphrase to bring the clinical key back. */
	async unlockClinical(staffId: StaffId, passphrase: string): Promise<void> {
		if (!this.salon) throw new AppError('locked');
		await this.salon.unlockClinical(staffId, passphrase);
		this.#afterSwitch();
		// Clinical docs peers held back (this device could not read them) come now.
		sync.rescan();
	}

	#afterSwitch(): void {
		this.#locks.acceptPin(Date.now());
		this.isScreenLocked = false;
		this.#refresh();
		sync.refreshPresence();
		// The list's clinical badges follow the clinical key: dropped with it, re-read when it is back.
		if (!this.hasClinicalKey) clientList.dropClinical();
		else if (this.salon && !clientList.hasClinical) void clientList.load(this.salon.store).catch(() => undefined);
	}

	// A peer changed the salon doc: staff, settings, devices, catalogue. A member disabled on another
	// device is signed out here too.
	async #onPeerSalonChange(): Promise<void> {
		if (!this.salon) return;
		const network = JSON.stringify(this.salon.network);
		await this.reload();
		if (this.salon?.staff.disabled) return this.lock();
		sync.refreshPresence();
		if (this.salon && JSON.stringify(this.salon.network) !== network) await this.restartSync();
	}

	/** Starts sync again with the salon's current relay and ICE servers (after they changed). */
	async restartSync(): Promise<void> {
		const salon = this.salon;
		if (!salon) return;
		const wasPaused = sync.status === 'paused';
		await sync.start(salon);
		if (wasPaused) sync.pause();
	}

	/** Re-reads staff and settings after they changed. */
	async reload(): Promise<void> {
		await this.salon?.reload();
		this.#refresh();
		this.#configureLocks();
	}

	/** Locks completely: drops every unwrapped key and decrypted summary from memory. */
	lock(): void {
		sync.stop();
		if (this.#joinTimer) clearInterval(this.#joinTimer);
		this.#joinTimer = null;
		this.joining?.close();
		this.joining = null;
		this.salon?.close();
		clientList.clear();
		this.salon = null;
		this.#refresh();
		this.recoveryKey = null;
		this.isScreenLocked = false;
		this.#locks.hardLock();
		this.showLocked();
	}
}

/** The one session of the app. */
export const session = new Session();
