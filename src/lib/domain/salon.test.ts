import { describe, expect, it } from 'vitest';
import { canReadClinical, DEFAULT_SETTINGS, newSalonProfile, STAFF_ROLES } from './salon';

describe('salon domain', () => {
	it('gives a new salon the Warsaw time zone', () => {
		expect(newSalonProfile('Salon Róża', '2025-01-02T10:00:00.000Z')).toEqual({
			name: 'Salon Róża',
			timeZone: 'Europe/Warsaw',
			createdAt: '2025-01-02T10:00:00.000Z'
		});
	});

	it('keeps health data from reception only', () => {
		expect(STAFF_ROLES.filter(canReadClinical)).toEqual(['owner', 'cosmetologist']);
	});

	it('retains cards 5 years by default, locks the screen after 5 idle minutes and reminds of backups after 7 days', () => {
		expect(DEFAULT_SETTINGS).toEqual({ retentionYears: 5, screenLockMinutes: 5, backupReminderDays: 7, interviewMaxAgeDays: 183 });
	});
});
