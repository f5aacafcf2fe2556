// Slows repeated wrong passphrases: after 3 failures each further try waits, doubling up to a
// minute. The key derivation (>= 250 ms per guess) is the real defence against offline guessing;
// this stops a person at the tablet from trying a list by hand. The counter is not personal data.
import { AppError } from '../domain/errors';

const KEY = 'kartoteka.unlock-failures';
const FREE_TRIES = 3;
const MAX_WAIT_MS = 60_000;

/** Counts failed unlocks and says how long to wait before the next try. */
export class UnlockThrottle {
	constructor(private readonly now: () => number = Date.now) {}

	private read(): { count: number; last: number } {
		try {
			return JSON.parse(globalThis.localStorage?.getItem(KEY) ?? '') as { count: number; last: number };
		} catch {
			return { count: 0, last: 0 };
		}
	}

	/** Milliseconds to wait before another attempt is allowed (0 when allowed now). */
	waitMs(): number {
		const { count, last } = this.read();
		if (count < FREE_TRIES) return 0;
		const wait = Math.min(MAX_WAIT_MS, 1000 * 2 ** (count - FREE_TRIES));
		return Math.max(0, last + wait - this.now());
	}

	/** Throws AppError('locked') with the seconds left when a try is not yet allowed. */
	assertAllowed(): void {
		const ms = this.waitMs();
		if (ms > 0) throw new AppError('locked', `wait:${Math.ceil(ms / 1000)}`);
	}

	/** Records a failed attempt. */
	recordFailure(): void {
		const { count } = this.read();
		globalThis.localStorage?.setItem(KEY, JSON.stringify({ count: count + 1, last: this.now() }));
	}

	/** Clears the counter after a successful unlock. */
	reset(): void {
		globalThis.localStorage?.removeItem(KEY);
	}
}
