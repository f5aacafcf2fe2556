// The salon as the domain sees it: its profile, its staff and its settings (salon doc).
// Guarantees: defaults live here only, so every device that fills in a missing setting fills in
// the same value.
import { DEFAULT_TIME_ZONE } from './dates';
import type { StaffId } from './ids';

/** What a staff member may do; decides which keys their keyring entry wraps. */
export type StaffRole = 'owner' | 'cosmetologist' | 'reception';

/** Every role, in the order the UI lists them. */
export const STAFF_ROLES: readonly StaffRole[] = ['owner', 'cosmetologist', 'reception'];

/** A person working at the salon. */
export interface StaffMember {
	id: StaffId;
	name: string;
	role: StaffRole;
	/** The id of this person's entry in the keyring (crypto/). */
	keyringEntryId: string;
	/** A disabled member can no longer unlock; kept so history still names them. */
	disabled: boolean;
	/** The PIN verifier for the screen lock; the salon doc is sealed, so it is never on disk in plaintext. */
	pin: PinVerifier | null;
}

/** A slow hash of a staff member's PIN (base64 fields, so it stores as plain JSON in the doc). */
export interface PinVerifier {
	salt: string;
	hash: string;
	iterations: number;
}

/** The salon's own data. */
export interface SalonProfile {
	name: string;
	/** IANA time zone that decides days and months (default Europe/Warsaw). */
	timeZone: string;
	/** UTC ISO instant of the salon's setup. */
	createdAt: string;
}

/** Salon-wide settings. */
export interface Settings {
	/** Cards without a visit for this many years come up for review (erase or keep). */
	retentionYears: number;
	/** Idle minutes before the screen lock asks for a PIN. */
	screenLockMinutes: number;
	/** Days after the last backup before the owner is reminded to make one. */
	backupReminderDays: number;
	/** Days after which the health interview counts as outdated (a visit warns); about 6 months. */
	interviewMaxAgeDays: number;
}

/** Settings of a new salon (DOMAIN: 5-10 years of retention is common practice). */
export const DEFAULT_SETTINGS: Readonly<Settings> = { retentionYears: 5, screenLockMinutes: 5, backupReminderDays: 7, interviewMaxAgeDays: 183 };

/** A salon profile with the default time zone. */
export function newSalonProfile(name: string, createdAt: string): SalonProfile {
	return { name, timeZone: DEFAULT_TIME_ZONE, createdAt };
}

/** Whether a role may read clinical (health) data. */
export function canReadClinical(role: StaffRole): boolean {
	return role !== 'reception';
}
