// An unlocked salon: its storage, its keys and who is signed in. The keys decide what can be
// read, not the interface: switching to a reception member drops the clinical key (and its raw
// bytes, and every clinical doc key) from memory, so health data is undecryptable, not hidden.
// Getting it back needs a clinical member's passphrase. close() drops every key (hard lock).
import * as Y from 'yjs';
import { addEntry, disableEntry, unlockWithPassphrase, wipeRawSalonKeys, type Keyring, type RawSalonKeys, type SalonKeys } from '../crypto/keyring';
import { createPinVerifier, isPinCorrect } from '../crypto/pin';
import { AppError } from '../domain/errors';
import { newId, SALON_DOC_ID, type DeviceId, type SalonId, type StaffId } from '../domain/ids';
import { canReadClinical, type SalonProfile, type Settings, type StaffMember, type StaffRole } from '../domain/salon';
import { DEFAULT_NETWORK, type DeviceRecord, type NetworkSettings } from '../domain/device';
import { mergeKeyrings } from '../crypto/keyring-merge';
import { encodeKeyring } from '../crypto/keyring-codec';
import { editNetwork, listDevices, readNetwork, registerDevice, touchDevice } from '../doc/devices-doc';
import { editSettings, listStaff, readSalon, readSettings, upsertStaff } from '../doc/salon-doc';
import type { DocStore } from '../storage/doc-store';
import type { DocStoreKeys } from '../storage/doc-keys';
import type { Storage } from '../storage/storage';
import { captureUpdate, type Author } from './card-service';

/** Meta key of the keyring in the salon's database. */
export const KEYRING_META = 'keyring';

/** What a PIN switch led to. */
export type SwitchResult = 'switched' | 'wrong-pin' | 'needs-passphrase';

/** What is needed to open a session. */
export interface SessionParts {
	id: SalonId;
	isDemo: boolean;
	storage: Storage;
	store: DocStore;
	keyring: Keyring;
	keys: SalonKeys;
	raw: RawSalonKeys;
	entryId: string;
	deviceId: DeviceId;
}

/** An unlocked salon on this device. */
export class SalonSession {
	readonly id: SalonId;
	readonly isDemo: boolean;
	readonly storage: Storage;
	readonly store: DocStore;
	readonly deviceId: DeviceId;
	keyring: Keyring;
	profile!: SalonProfile;
	settings!: Settings;
	staffList: StaffMember[] = [];
	staff!: StaffMember;
	devices: DeviceRecord[] = [];
	network: NetworkSettings = { ...DEFAULT_NETWORK };
	#keys: SalonKeys;
	#keyringListeners = new Set<() => void>();
	#raw: RawSalonKeys;
	#isClosed = false;

	private constructor(parts: SessionParts) {
		this.id = parts.id;
		this.isDemo = parts.isDemo;
		this.storage = parts.storage;
		this.store = parts.store;
		this.deviceId = parts.deviceId;
		this.keyring = parts.keyring;
		this.#keys = parts.keys;
		this.#raw = parts.raw;
	}

	/** Opens a session for the staff member whose keyring entry unlocked it. */
	static async open(parts: SessionParts): Promise<SalonSession> {
		const session = new SalonSession(parts);
		await session.reload();
		const me = session.staffList.find((s) => s.keyringEntryId === parts.entryId && !s.disabled);
		// The recovery entry belongs to no one: it opens the salon as its (first) owner.
		const owner = session.staffList.find((s) => s.role === 'owner' && !s.disabled);
		const staff = me ?? (parts.keyring.entries.find((e) => e.id === parts.entryId)?.kind === 'recovery' ? owner : undefined);
		if (!staff) {
			session.close();
			throw new AppError('wrong-passphrase', 'no active staff member for this entry');
		}
		session.staff = staff;
		if (!canReadClinical(staff.role)) session.dropClinical();
		return session;
	}

	/** This device's entry in the salon's registry (null until it is registered). */
	get thisDevice(): DeviceRecord | null {
		return this.devices.find((d) => d.id === this.deviceId) ?? null;
	}

	/**
	 * Puts this device in the registry if it is missing (the device the salon was set up on, or one
	 * whose inviter's record has not arrived yet) and records that it is in use (at most every 15 min).
	 */
	async announceThisDevice(defaultName: string): Promise<void> {
		const at = new Date().toISOString();
		await this.#editSalonDoc((doc) => {
			if (!listDevices(doc).some((d) => d.id === this.deviceId)) registerDevice(doc, { id: this.deviceId, name: defaultName, addedBy: '', addedAt: at });
			touchDevice(doc, this.deviceId, at);
		});
	}

	/** Records a device that joined with this device's invite; `addedBy` is who is signed in here. */
	async registerInvitedDevice(device: { deviceId: string; name: string }): Promise<void> {
		await this.#editSalonDoc((doc) =>
			registerDevice(doc, { id: device.deviceId, name: device.name, addedBy: this.staff.name, addedAt: new Date().toISOString() })
		);
	}

	/** Renames this device in the registry. */
	async renameThisDevice(name: string): Promise<void> {
		const known = this.thisDevice;
		await this.#editSalonDoc((doc) =>
			registerDevice(doc, { id: this.deviceId, name, addedBy: known?.addedBy ?? '', addedAt: known?.addedAt ?? new Date().toISOString() })
		);
	}

	/** Changes the relay address or ICE servers (owner only). */
	async editNetwork(patch: Partial<NetworkSettings>): Promise<void> {
		if (this.staff.role !== 'owner') throw new AppError('locked', 'network: owner only');
		await this.#editSalonDoc((doc) => editNetwork(doc, patch));
	}

	/** The keyring as text, for an invite. */
	get keyringText(): string {
		return encodeKeyring(this.keyring);
	}

	/** Takes a peer's copy of the keyring: verified under the salon key, merged, stored if anything changed. */
	async mergeKeyring(received: Keyring): Promise<void> {
		if (this.#isClosed) return;
		const merged = await mergeKeyrings(this.keyring, received, this.#keys);
		if (encodeKeyring(merged) === encodeKeyring(this.keyring)) return;
		await this.storage.setMeta(KEYRING_META, merged);
		this.keyring = merged;
	}

	/** Calls `listener` whenever this device changes the keyring; returns its remover. */
	onKeyringSaved(listener: () => void): () => void {
		this.#keyringListeners.add(listener);
		return () => this.#keyringListeners.delete(listener);
	}

	/** Who is saving: what the change history records. */
	get author(): Author {
		return { staff: this.staff.id, staffName: this.staff.name, device: this.deviceId };
	}

	/** Whether health data can be decrypted now. */
	get hasClinicalKey(): boolean {
		return this.#keys.clinical !== null && this.store.hasClinicalKey;
	}

	/** Re-reads the salon doc: profile, settings, staff. */
	async reload(): Promise<void> {
		const doc = await this.store.load(SALON_DOC_ID);
		try {
			this.profile = readSalon(doc);
			this.settings = readSettings(doc);
			this.staffList = listStaff(doc);
			this.devices = listDevices(doc);
			this.network = readNetwork(doc);
			if (this.staff) this.staff = this.staffList.find((s) => s.id === this.staff.id) ?? this.staff;
		} finally {
			doc.destroy();
		}
	}

	/** Switches to another staff member by PIN (screen lock). */
	async switchByPin(staffId: StaffId, pin: string): Promise<SwitchResult> {
		const member = this.#activeMember(staffId);
		if (!member.pin || !(await isPinCorrect(pin, member.pin))) return 'wrong-pin';
		if (!canReadClinical(member.role)) {
			this.dropClinical();
			this.staff = member;
			return 'switched';
		}
		if (!this.hasClinicalKey) return 'needs-passphrase';
		this.staff = member;
		return 'switched';
	}

	/** A clinical member's passphrase brings the clinical key back after a reception session. */
	async unlockClinical(staffId: StaffId, passphrase: string): Promise<void> {
		const member = this.#activeMember(staffId);
		const unlocked = await unlockWithPassphrase(this.keyring, passphrase);
		if (unlocked.entryId !== member.keyringEntryId || !unlocked.keys.clinical || !unlocked.raw.clinical) {
			wipeRawSalonKeys(unlocked.raw);
			throw new AppError('wrong-passphrase', 'passphrase of another staff member');
		}
		this.#keys = { ...this.#keys, clinical: unlocked.keys.clinical };
		this.#raw = { ...this.#raw, clinical: unlocked.raw.clinical };
		this.store.restoreClinical(unlocked.keys.clinical);
		this.staff = member;
	}

	/** Drops the clinical key, its raw bytes and every clinical doc key from memory. */
	dropClinical(): void {
		this.#raw.clinical?.fill(0);
		this.#raw = { ...this.#raw, clinical: null };
		this.#keys = { ...this.#keys, clinical: null };
		this.store.forgetClinical();
	}

	/** Adds a staff member with their own passphrase and PIN; their entry wraps the keys their role needs. */
	async addStaff(input: { name: string; role: StaffRole; passphrase: string; pin: string }): Promise<StaffMember> {
		const { keyring, entryId } = await addEntry(this.keyring, { keys: this.#keys, raw: this.#raw }, input);
		const member: StaffMember = {
			id: newId<StaffId>(),
			name: input.name.trim(),
			role: input.role,
			keyringEntryId: entryId,
			disabled: false,
			pin: await createPinVerifier(input.pin)
		};
		await this.#saveKeyring(keyring);
		await this.#editSalonDoc((doc) => upsertStaff(doc, member));
		return member;
	}

	/** Changes the signed-in member's passphrase: a new entry, the old one disabled. */
	async changeOwnPassphrase(current: string, next: string): Promise<void> {
		const check = await unlockWithPassphrase(this.keyring, current);
		wipeRawSalonKeys(check.raw);
		if (check.entryId !== this.staff.keyringEntryId) throw new AppError('wrong-passphrase');
		const added = await addEntry(this.keyring, { keys: this.#keys, raw: this.#raw }, { passphrase: next, role: this.staff.role });
		const keyring = await disableEntry(added.keyring, this.staff.keyringEntryId, this.#keys);
		await this.#saveKeyring(keyring);
		const me = { ...this.staff, keyringEntryId: added.entryId };
		await this.#editSalonDoc((doc) => upsertStaff(doc, me));
	}

	/** Sets a member's PIN (their own, or any member's for the owner). */
	async changePin(staffId: StaffId, pin: string): Promise<void> {
		const member = { ...this.#activeMember(staffId), pin: await createPinVerifier(pin) };
		await this.#editSalonDoc((doc) => upsertStaff(doc, member));
	}

	/** Disables a member for good: their entry loses its wrapped keys, so their passphrase unlocks nothing. */
	async disableStaff(staffId: StaffId): Promise<void> {
		const member = this.#activeMember(staffId);
		if (member.id === this.staff.id) throw new AppError('invalid-input', 'cannot disable yourself');
		const keyring = await disableEntry(this.keyring, member.keyringEntryId, this.#keys);
		await this.#saveKeyring(keyring);
		await this.#editSalonDoc((doc) => upsertStaff(doc, { ...member, disabled: true, pin: null }));
	}

	/** Edits the catalogue (or any salon data) in the salon doc: one update, stored, then re-read. Owner only. */
	async editCatalogue(edit: (doc: Y.Doc) => unknown): Promise<void> {
		if (this.staff.role !== 'owner') throw new AppError('locked', 'catalogue: owner only');
		await this.#editSalonDoc(edit);
	}

	/** Changes settings (owner only). */
	async editSettings(patch: Partial<Settings>): Promise<void> {
		if (this.staff.role !== 'owner') throw new AppError('locked', 'settings: owner only');
		await this.#editSalonDoc((doc) => editSettings(doc, patch));
	}

	/** What a same-salon backup merge needs: the doc store and the keys (owner or clinical staff). */
	get mergeTarget(): { store: DocStore; keys: SalonKeys } {
		return { store: this.store, keys: this.#keys };
	}

	/** Re-reads the keyring after a restore changed it. */
	async reloadKeyring(): Promise<void> {
		this.keyring = (await this.storage.getMeta<Keyring>(KEYRING_META)) ?? this.keyring;
	}

	/** The keys the sync layer may use now: null once closed (hard lock), clinical only while held. */
	get syncKeys(): DocStoreKeys | null {
		if (this.#isClosed) return null;
		return { salon: this.#keys.salon, clinical: this.store.hasClinicalKey ? this.#keys.clinical : null };
	}

	/** The salon's sync secret (lets a device meet peers, never read their data). */
	get syncSecret(): Uint8Array {
		return this.#keys.syncSecret;
	}

	/** Drops every key from memory (hard lock). */
	close(): void {
		this.#isClosed = true;
		this.store.forget();
		wipeRawSalonKeys(this.#raw);
	}

	#activeMember(staffId: StaffId): StaffMember {
		const member = this.staffList.find((s) => s.id === staffId && !s.disabled);
		if (!member) throw new AppError('not-found', `staff ${staffId}`);
		return member;
	}

	async #saveKeyring(keyring: Keyring): Promise<void> {
		await this.storage.setMeta(KEYRING_META, keyring);
		this.keyring = keyring;
		for (const listener of this.#keyringListeners) listener();
	}

	async #editSalonDoc(edit: (doc: Y.Doc) => unknown): Promise<void> {
		const doc = await this.store.load(SALON_DOC_ID);
		try {
			const update = captureUpdate(doc, () => void edit(doc));
			if (update) await this.store.append(SALON_DOC_ID, update);
		} finally {
			doc.destroy();
		}
		await this.reload();
	}
}
