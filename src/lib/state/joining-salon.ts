// A device that joined by invite and was unlocked with a staff passphrase, before the salon's data
// has arrived: it holds the keys and an empty store, and syncs until the salon doc (and the first
// sync) is here; then open() makes the real session. Guarantees: open() fails ('not-found') while
// the salon doc is missing; close() drops every key (hard lock while joining).
import { wipeRawSalonKeys } from '../crypto/keyring';
import { AppError } from '../domain/errors';
import { SALON_DOC_ID } from '../domain/ids';
import type { DocStoreKeys } from '../storage/doc-keys';
import { SalonSession, type SessionParts } from './salon-session';

/** Meta key of what a joined device knows before the salon's data arrives: where to meet the others. */
export const JOIN_META = 'join';

/** What the device learnt from the invite (app.ts JoinRecord). */
export interface JoinInfo {
	relayUrl: string;
}

/** The keys and store of a joined salon whose data is still on its way. */
export class JoiningSalon {
	readonly id: SessionParts['id'];
	readonly isDemo = false;
	readonly storage: SessionParts['storage'];
	readonly store: SessionParts['store'];
	readonly deviceId: SessionParts['deviceId'];
	readonly info: JoinInfo;
	readonly #parts: SessionParts;
	#isClosed = false;

	constructor(parts: SessionParts, info: JoinInfo) {
		this.#parts = parts;
		this.id = parts.id;
		this.storage = parts.storage;
		this.store = parts.store;
		this.deviceId = parts.deviceId;
		this.info = info;
	}

	/** The keys sync may use (none once closed). */
	get syncKeys(): DocStoreKeys | null {
		if (this.#isClosed) return null;
		return { salon: this.#parts.keys.salon, clinical: this.store.hasClinicalKey ? this.#parts.keys.clinical : null };
	}

	get syncSecret(): Uint8Array {
		return this.#parts.keys.syncSecret;
	}

	/** Whether the salon doc has arrived, so the session can open. */
	async hasSalonDoc(): Promise<boolean> {
		return !!(await this.storage.getRegistryEntry(SALON_DOC_ID));
	}

	/** Opens the real session; the keys move to it. */
	async open(): Promise<SalonSession> {
		if (!(await this.hasSalonDoc())) throw new AppError('not-found', 'salon data has not arrived');
		this.#isClosed = true;
		const session = await SalonSession.open(this.#parts);
		// Joined: from now on the relay comes from the salon's settings.
		await this.storage.setMeta(JOIN_META, null);
		return session;
	}

	/** Drops every key (hard lock before the data arrived). */
	close(): void {
		if (this.#isClosed) return;
		this.#isClosed = true;
		this.store.forget();
		wipeRawSalonKeys(this.#parts.raw);
	}
}
