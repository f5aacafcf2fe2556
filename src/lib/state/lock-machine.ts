// The two locks of a working day, as a state machine with an injected clock so it is tested
// without waiting. Open -> screen lock after `screenLockMs` idle (or by hand); screen lock ->
// open with a correct PIN; five wrong PINs, `hardLockMs` idle or "lock completely" -> hard lock,
// after which only a passphrase (or the recovery key) opens the salon again.

/** Where the device is. */
export type LockState = 'open' | 'screen-locked' | 'hard-locked';

/** Timeouts and limits of the locks. */
export interface LockOptions {
	screenLockMs: number;
	hardLockMs: number;
	maxPinFailures: number;
}

/** Defaults of DESIGN: 5 minutes to the screen lock, 12 hours to the hard lock, 5 wrong PINs. */
export const DEFAULT_LOCK_OPTIONS: LockOptions = { screenLockMs: 5 * 60_000, hardLockMs: 12 * 3_600_000, maxPinFailures: 5 };

/** The lock state machine. */
export class LockMachine {
	#state: LockState = 'open';
	#lastActivity: number;
	#pinFailures = 0;

	constructor(
		private options: LockOptions,
		now: number
	) {
		this.#lastActivity = now;
	}

	/** The current state. */
	get state(): LockState {
		return this.#state;
	}

	/** Wrong PINs since the last correct one. */
	get pinFailures(): number {
		return this.#pinFailures;
	}

	/** Changes the timeouts (a salon setting changed). */
	configure(options: Partial<LockOptions>): void {
		this.options = { ...this.options, ...options };
	}

	/** A touch, a key or a scroll: the idle time starts again (only while open). */
	recordActivity(now: number): void {
		if (this.#state === 'open') this.#lastActivity = now;
	}

	/** Applies the idle timeouts; returns the state after them. */
	tick(now: number): LockState {
		if (this.#state === 'hard-locked') return this.#state;
		const idle = now - this.#lastActivity;
		if (idle >= this.options.hardLockMs) this.#state = 'hard-locked';
		else if (this.#state === 'open' && idle >= this.options.screenLockMs) this.#state = 'screen-locked';
		return this.#state;
	}

	/** Locks the screen by hand. */
	lockScreen(): void {
		if (this.#state === 'open') this.#state = 'screen-locked';
	}

	/** Records a wrong PIN; the fifth one makes a hard lock. */
	recordWrongPin(): LockState {
		if (this.#state !== 'screen-locked') return this.#state;
		this.#pinFailures++;
		if (this.#pinFailures >= this.options.maxPinFailures) this.#state = 'hard-locked';
		return this.#state;
	}

	/** A correct PIN opens the screen lock. */
	acceptPin(now: number): void {
		if (this.#state !== 'screen-locked') return;
		this.#state = 'open';
		this.#pinFailures = 0;
		this.#lastActivity = now;
	}

	/** "Lock completely". */
	hardLock(): void {
		this.#state = 'hard-locked';
	}

	/** A passphrase or the recovery key opened the salon. */
	unlock(now: number): void {
		this.#state = 'open';
		this.#pinFailures = 0;
		this.#lastActivity = now;
	}
}
