// What travels beside the docs: the salon's keyring and each device's presence (which card it has
// open). Guarantees: both are sealed under the salon key and bound to what they are (presence also
// to the sending device's id, so one device cannot speak for another), so a peer holding only the
// sync secret can neither read nor forge them; anything that does not open, or does not have the
// expected shape and sizes, throws and is never used.
import { openEnvelope, openJson, sealEnvelope, sealJson, type Binding, type DataKey, type Envelope } from '../crypto/envelope';
import { decodeKeyring, encodeKeyring } from '../crypto/keyring-codec';
import type { Keyring } from '../crypto/keyring-format';

/** What a device tells its peers about itself: its name, who uses it, and which card it has open. */
export interface Presence {
	deviceName: string;
	staffName: string;
	/** The client whose card is open, or null. */
	clientId: string | null;
}

/** How the node reads this device's keyring and takes a peer's (verify, merge, store). */
export interface KeyringExchange {
	read(): Promise<Keyring | null>;
	merge(received: Keyring): Promise<void>;
}

const KEYRING_BINDING: Binding = { docId: 'keyring', kind: 'sync-keyring' };
const MAX_NAME = 80;
const MAX_ID = 64;

function presenceBinding(deviceId: string): Binding {
	return { docId: `presence/${deviceId}`, kind: 'presence' };
}

/** Seals the keyring for a peer. */
export function sealKeyring(salon: DataKey, keyring: Keyring): Promise<Envelope> {
	return sealEnvelope(salon, new TextEncoder().encode(encodeKeyring(keyring)), KEYRING_BINDING);
}

/** Opens a peer's keyring; throws if it was not sealed under this salon's key or is malformed. */
export async function openKeyring(salon: DataKey, sealed: Envelope): Promise<Keyring> {
	return decodeKeyring(new TextDecoder().decode(await openEnvelope(salon, sealed, KEYRING_BINDING)));
}

/** Seals this device's presence. */
export function sealPresence(salon: DataKey, deviceId: string, presence: Presence): Promise<Envelope> {
	return sealJson(salon, presence, presenceBinding(deviceId));
}

/** Opens a peer's presence; throws if it is not that peer's, or malformed. */
export async function openPresence(salon: DataKey, peerId: string, sealed: Envelope): Promise<Presence> {
	const p = await openJson<Presence>(salon, sealed, presenceBinding(peerId));
	const isText = (v: unknown, max: number) => typeof v === 'string' && v.length <= max;
	const ok =
		typeof p === 'object' && p !== null && isText(p.deviceName, MAX_NAME) && isText(p.staffName, MAX_NAME) &&
		(p.clientId === null || isText(p.clientId, MAX_ID));
	if (!ok) throw new Error('malformed presence');
	return { deviceName: p.deviceName, staffName: p.staffName, clientId: p.clientId };
}
