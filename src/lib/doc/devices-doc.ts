// The salon doc's device registry and network settings: root Y.Map 'devices' (device id -> plain
// DeviceRecord) and root Y.Map 'network' (relayUrl, iceServers). Guarantees: writes touch only
// what changes; a device's own lastSeenAt is the only field it rewrites routinely; reads skip
// entries this version cannot make sense of and fall back to defaults.
import * as Y from 'yjs';
import { checkRelayUrl, DEFAULT_NETWORK, MAX_DEVICE_NAME, type DeviceRecord, type IceServerSetting, type NetworkSettings } from '../domain/device';
import { assertReadable, assertWritable, failSchema } from './doc-version';

const collator = new Intl.Collator('pl');

function devicesMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap('devices');
}

function networkMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap('network');
}

/** Every device of the salon, by name. */
export function listDevices(doc: Y.Doc): DeviceRecord[] {
	assertReadable(doc);
	const devices: DeviceRecord[] = [];
	devicesMap(doc).forEach((value, id) => {
		const v = value as Record<string, unknown>;
		if (typeof v !== 'object' || v === null || typeof v.name !== 'string' || typeof v.addedAt !== 'string') return;
		devices.push({
			id,
			name: v.name,
			addedBy: typeof v.addedBy === 'string' ? v.addedBy : '',
			addedAt: v.addedAt,
			lastSeenAt: typeof v.lastSeenAt === 'string' ? v.lastSeenAt : null
		});
	});
	return devices.sort((a, b) => collator.compare(a.name, b.name) || a.id.localeCompare(b.id));
}

/** Adds a device, or renames it if it is known (keeping when and by whom it was added). */
export function registerDevice(doc: Y.Doc, device: Omit<DeviceRecord, 'lastSeenAt'> & { lastSeenAt?: string | null }): boolean {
	assertWritable(doc);
	const name = device.name.trim();
	if (!name || name.length > MAX_DEVICE_NAME || !device.id) failSchema('device.name');
	const known = devicesMap(doc).get(device.id) as Record<string, unknown> | undefined;
	if (known && known.name === name) return false;
	const next = known ? { ...known, name } : { name, addedBy: device.addedBy, addedAt: device.addedAt, lastSeenAt: device.lastSeenAt ?? null };
	devicesMap(doc).set(device.id, next);
	return true;
}

/** Records that a device is in use now; only if the last record is older than `minIntervalMs`. */
export function touchDevice(doc: Y.Doc, id: string, at: string, minIntervalMs = 15 * 60_000): boolean {
	assertWritable(doc);
	const known = devicesMap(doc).get(id) as Record<string, unknown> | undefined;
	if (!known) return false;
	const last = typeof known.lastSeenAt === 'string' ? Date.parse(known.lastSeenAt) : NaN;
	if (!Number.isNaN(last) && Date.parse(at) - last < minIntervalMs) return false;
	devicesMap(doc).set(id, { ...known, lastSeenAt: at });
	return true;
}

/** The salon's relay address and ICE servers. */
export function readNetwork(doc: Y.Doc): NetworkSettings {
	assertReadable(doc);
	const map = networkMap(doc);
	const relayUrl = map.get('relayUrl');
	const ice = map.get('iceServers');
	return {
		relayUrl: typeof relayUrl === 'string' && !checkRelayUrl(relayUrl) ? relayUrl : DEFAULT_NETWORK.relayUrl,
		iceServers: Array.isArray(ice) ? ice.filter(isIceServer).map((s) => ({ ...s })) : []
	};
}

/** Changes the network settings; throws for a malformed relay address or server. */
export function editNetwork(doc: Y.Doc, patch: Partial<NetworkSettings>): boolean {
	assertWritable(doc);
	const current = readNetwork(doc);
	const next = { ...current, ...patch };
	if (checkRelayUrl(next.relayUrl) || !next.iceServers.every(isIceServer)) failSchema('network');
	const changed = JSON.stringify(next) !== JSON.stringify(current);
	if (changed) {
		doc.transact(() => {
			networkMap(doc).set('relayUrl', next.relayUrl.trim());
			networkMap(doc).set('iceServers', next.iceServers.map((s) => ({ ...s })));
		});
	}
	return changed;
}

function isIceServer(v: unknown): v is IceServerSetting {
	const s = v as IceServerSetting;
	if (typeof s !== 'object' || s === null || typeof s.url !== 'string' || !/^(stuns?|turns?):\S+$/.test(s.url)) return false;
	return s.url.startsWith('turn') ? typeof s.username === 'string' && typeof s.credential === 'string' : true;
}
