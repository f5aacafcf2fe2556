import { describe, expect, it } from 'vitest';
import { LockMachine } from './lock-machine';

const options = { screenLockMs: 5 * 60_000, hardLockMs: 12 * 3_600_000, maxPinFailures: 5 };
const MIN = 60_000;

describe('lock machine', () => {
	it('locks the screen after the idle time, and activity postpones it', () => {
		const m = new LockMachine(options, 0);
		expect(m.tick(4 * MIN)).toBe('open');
		m.recordActivity(4 * MIN);
		expect(m.tick(8 * MIN)).toBe('open');
		expect(m.tick(9 * MIN)).toBe('screen-locked');
	});

	it('a correct PIN opens the screen lock and resets the failures', () => {
		const m = new LockMachine(options, 0);
		m.lockScreen();
		m.recordWrongPin();
		m.recordWrongPin();
		m.acceptPin(MIN);
		expect(m.state).toBe('open');
		expect(m.pinFailures).toBe(0);
		expect(m.tick(2 * MIN)).toBe('open');
	});

	it('five wrong PINs turn the screen lock into a hard lock', () => {
		const m = new LockMachine(options, 0);
		m.lockScreen();
		for (let i = 0; i < 4; i++) expect(m.recordWrongPin()).toBe('screen-locked');
		expect(m.recordWrongPin()).toBe('hard-locked');
		m.acceptPin(MIN);
		expect(m.state).toBe('hard-locked');
	});

	it('a long idle time makes a hard lock, even from the screen lock', () => {
		const m = new LockMachine(options, 0);
		expect(m.tick(10 * MIN)).toBe('screen-locked');
		expect(m.tick(12 * 60 * MIN)).toBe('hard-locked');
	});

	it('activity during the screen lock does not postpone the hard lock', () => {
		const m = new LockMachine(options, 0);
		m.lockScreen();
		m.recordActivity(11 * 60 * MIN);
		expect(m.tick(12 * 60 * MIN)).toBe('hard-locked');
	});

	it('only a passphrase unlock leaves the hard lock', () => {
		const m = new LockMachine(options, 0);
		m.hardLock();
		expect(m.tick(MIN)).toBe('hard-locked');
		m.unlock(2 * MIN);
		expect(m.state).toBe('open');
		expect(m.tick(3 * MIN)).toBe('open');
	});
});
