// The one `salon` doc in Yjs: root Y.Map 'salon' (name, timeZone, createdAt), root Y.Map 'staff'
// (staff id -> plain StaffMember object), root Y.Map 'settings' (one key per setting), root
// Y.Map 'meta' ({schema}). Guarantees: writes touch only keys whose values change; a staff
// object keeps the properties a newer version added to it; a malformed write throws; reads fall
// back to defaults and skip staff entries this version cannot make sense of.
import * as Y from 'yjs';
import { DEFAULT_TIME_ZONE } from '../domain/dates';
import type { StaffId } from '../domain/ids';
import { DEFAULT_SETTINGS, STAFF_ROLES, type SalonProfile, type Settings, type PinVerifier, type StaffMember, type StaffRole } from '../domain/salon';
import { assertBlank, assertReadable, assertWritable, failSchema, getMeta, SCHEMA_MAJOR } from './doc-version';

const collator = new Intl.Collator('pl');
const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];
const STAFF_KEYS = ['id', 'name', 'role', 'keyringEntryId', 'disabled', 'pin'] as const;

function getSalonMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap('salon');
}

function getStaffMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap('staff');
}

function getSettingsMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap('settings');
}

/** Writes a new salon into a blank doc in one transaction: profile, settings, first staff. */
export function initSalonDoc(
	doc: Y.Doc,
	salon: SalonProfile,
	options: { settings?: Partial<Settings>; staff?: StaffMember[] } = {}
): void {
	assertBlank(doc);
	assertSalon(salon);
	const settings = { ...DEFAULT_SETTINGS, ...options.settings };
	assertSettings(settings);
	for (const member of options.staff ?? []) assertStaffMember(member);
	doc.transact(() => {
		getMeta(doc).set('schema', SCHEMA_MAJOR);
		const map = getSalonMap(doc);
		map.set('name', salon.name);
		map.set('timeZone', salon.timeZone);
		map.set('createdAt', salon.createdAt);
		for (const key of SETTING_KEYS) getSettingsMap(doc).set(key, settings[key]);
		for (const member of options.staff ?? []) getStaffMap(doc).set(member.id, pickStaffMember(member));
	});
}

/** Reads the salon's profile; a missing time zone reads as Europe/Warsaw. */
export function readSalon(doc: Y.Doc): SalonProfile {
	assertReadable(doc);
	const map = getSalonMap(doc);
	const text = (key: string, fallback: string) => {
		const value = map.get(key);
		return typeof value === 'string' && value !== '' ? value : fallback;
	};
	return { name: text('name', ''), timeZone: text('timeZone', DEFAULT_TIME_ZONE), createdAt: text('createdAt', '') };
}

/** Changes the salon's name or time zone; returns the keys that changed. */
export function editSalon(doc: Y.Doc, patch: Partial<Omit<SalonProfile, 'createdAt'>>): (keyof SalonProfile)[] {
	assertWritable(doc);
	const next = { ...readSalon(doc), ...patch };
	assertSalon(next);
	const current = readSalon(doc);
	const changed = (['name', 'timeZone'] as const).filter((key) => key in patch && next[key] !== current[key]);
	if (changed.length > 0) doc.transact(() => changed.forEach((key) => getSalonMap(doc).set(key, next[key])));
	return changed;
}

/** Every staff member, disabled ones included, sorted by name in Polish collation. */
export function listStaff(doc: Y.Doc): StaffMember[] {
	assertReadable(doc);
	const members: StaffMember[] = [];
	getStaffMap(doc).forEach((value, id) => {
		const member = readStaffMember(id, value);
		if (member) members.push(member);
	});
	return members.sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
}

/** Adds or replaces a staff member; returns whether anything changed. */
export function upsertStaff(doc: Y.Doc, member: StaffMember): boolean {
	assertWritable(doc);
	assertStaffMember(member);
	const stored = getStaffMap(doc).get(member.id);
	const previous = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
	const known = pickStaffMember(member);
	// The PIN verifier is an object: compare it by value, the scalars by identity.
	if (STAFF_KEYS.every((key) => JSON.stringify(previous[key] ?? null) === JSON.stringify(known[key] ?? null))) return false;
	// Spread the stored object first: properties a newer version added must survive this write.
	const next = { ...previous, ...known };
	doc.transact(() => getStaffMap(doc).set(member.id, next));
	return true;
}

/** Reads the settings; a setting missing from the doc reads as its default. */
export function readSettings(doc: Y.Doc): Settings {
	assertReadable(doc);
	const map = getSettingsMap(doc);
	const settings = { ...DEFAULT_SETTINGS };
	for (const key of SETTING_KEYS) {
		const value = map.get(key);
		if (isPositiveInteger(value)) settings[key] = value;
	}
	return settings;
}

/** Changes settings; returns the keys that changed. */
export function editSettings(doc: Y.Doc, patch: Partial<Settings>): (keyof Settings)[] {
	assertWritable(doc);
	const current = readSettings(doc);
	const next = { ...current, ...patch };
	assertSettings(next);
	const changed = SETTING_KEYS.filter((key) => key in patch && next[key] !== current[key]);
	if (changed.length > 0) doc.transact(() => changed.forEach((key) => getSettingsMap(doc).set(key, next[key])));
	return changed;
}

function readStaffMember(id: string, value: unknown): StaffMember | null {
	if (typeof value !== 'object' || value === null) return null;
	const v = value as Record<string, unknown>;
	// An unknown role (from a newer version) is skipped rather than guessed: least privilege.
	if (typeof v.name !== 'string' || !STAFF_ROLES.includes(v.role as StaffRole)) return null;
	return {
		id: id as StaffId,
		name: v.name,
		role: v.role as StaffRole,
		keyringEntryId: typeof v.keyringEntryId === 'string' ? v.keyringEntryId : '',
		disabled: v.disabled === true,
		pin: readPinVerifier(v.pin)
	};
}

function readPinVerifier(value: unknown): PinVerifier | null {
	if (typeof value !== 'object' || value === null) return null;
	const p = value as Record<string, unknown>;
	if (typeof p.salt !== 'string' || typeof p.hash !== 'string' || !isPositiveInteger(p.iterations)) return null;
	return { salt: p.salt, hash: p.hash, iterations: p.iterations };
}

// Only the known properties: a caller's extras must not end up synced to every device.
function pickStaffMember(m: StaffMember): StaffMember {
	const pin = m.pin ? { salt: m.pin.salt, hash: m.pin.hash, iterations: m.pin.iterations } : null;
	return { id: m.id, name: m.name, role: m.role, keyringEntryId: m.keyringEntryId, disabled: m.disabled, pin };
}

function assertSalon(salon: SalonProfile): void {
	if (typeof salon.name !== 'string') failSchema('salon.name');
	if (typeof salon.timeZone !== 'string' || !isTimeZone(salon.timeZone)) failSchema(`salon.timeZone = ${salon.timeZone}`);
	if (typeof salon.createdAt !== 'string' || Number.isNaN(Date.parse(salon.createdAt))) failSchema('salon.createdAt');
}

function assertSettings(settings: Settings): void {
	for (const key of SETTING_KEYS) if (!isPositiveInteger(settings[key])) failSchema(`settings.${key} = ${settings[key]}`);
}

function assertStaffMember(m: StaffMember): void {
	if (typeof m.id !== 'string' || m.id === '') failSchema('staff.id');
	if (typeof m.name !== 'string' || m.name.trim() === '') failSchema('staff.name');
	if (!STAFF_ROLES.includes(m.role)) failSchema(`staff.role = ${m.role}`);
	if (typeof m.keyringEntryId !== 'string') failSchema('staff.keyringEntryId');
	if (typeof m.disabled !== 'boolean') failSchema('staff.disabled');
	if (m.pin !== null && readPinVerifier(m.pin) === null) failSchema('staff.pin');
}

function isPositiveInteger(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

function isTimeZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat('en', { timeZone });
		return true;
	} catch {
		return false;
	}
}
