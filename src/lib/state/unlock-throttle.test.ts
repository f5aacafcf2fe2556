import { describe, expect, it } from 'vitest';
import { useLocalStorageStandIn } from '../local-storage-fixtures';
import { UnlockThrottle } from './unlock-throttle';

useLocalStorageStandIn();

describe('unlock throttle', () => {
	it('lets the first three wrong passphrases through without waiting', () => {
		const throttle = new UnlockThrottle(() => 1000);
		for (let i = 0; i < 3; i++) {
			expect(() => throttle.assertAllowed()).not.toThrow();
			throttle.recordFailure();
		}
		expect(() => throttle.assertAllowed()).toThrow(expect.objectContaining({ reason: 'locked', detail: 'wait:1' }));
	});

	it('doubles the wait with each further failure, up to a minute', () => {
		let now = 0;
		const throttle = new UnlockThrottle(() => now);
		for (let i = 0; i < 6; i++) throttle.recordFailure();
		expect(throttle.waitMs()).toBe(8000);
		now = 8000;
		expect(throttle.waitMs()).toBe(0);
		for (let i = 0; i < 20; i++) throttle.recordFailure();
		expect(throttle.waitMs()).toBe(60_000);
	});

	it('forgets the failures after a successful unlock', () => {
		const throttle = new UnlockThrottle(() => 0);
		for (let i = 0; i < 5; i++) throttle.recordFailure();
		throttle.reset();
		expect(throttle.waitMs()).toBe(0);
	});
});
