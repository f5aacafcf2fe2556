// The salon's devices and how they reach each other. A device is a browser profile on a tablet or
// computer, known by a random id; its name is what staff call it ("Tablet recepcja").

/** One device in the salon's registry (kept in the salon doc, so every device sees every other). */
export interface DeviceRecord {
	id: string;
	name: string;
	/** Name of the staff member who invited it (empty for the device the salon was set up on). */
	addedBy: string;
	addedAt: string;
	/** When the device itself last said it was in use (ISO), null if never. */
	lastSeenAt: string | null;
}

/** How the salon's devices meet: the relay address and, for salons across sites, ICE servers. */
export interface NetworkSettings {
	/** ws:// or wss:// address of the relay; empty: the relay beside the app (`/signal` on its origin). */
	relayUrl: string;
	/** STUN/TURN servers, none by default: a public server would learn the salon's addresses. */
	iceServers: IceServerSetting[];
}

/** One STUN or TURN server; TURN needs a username and credential. */
export interface IceServerSetting {
	url: string;
	username?: string;
	credential?: string;
}

/** What a salon starts with. */
export const DEFAULT_NETWORK: Readonly<NetworkSettings> = { relayUrl: '', iceServers: [] };

/** Longest device name. */
export const MAX_DEVICE_NAME = 60;

/** The reason a device name is refused (a message key), or null. */
export function checkDeviceName(name: string): 'device.nameRequired' | 'device.nameTooLong' | null {
	const trimmed = name.trim();
	if (!trimmed) return 'device.nameRequired';
	if (trimmed.length > MAX_DEVICE_NAME) return 'device.nameTooLong';
	return null;
}

/** The reason a relay address is refused (a message key), or null; empty means "beside the app". */
export function checkRelayUrl(url: string): 'network.relayInvalid' | null {
	const trimmed = url.trim();
	if (!trimmed) return null;
	try {
		const parsed = new URL(trimmed);
		return (parsed.protocol === 'wss:' || parsed.protocol === 'ws:') && parsed.host ? null : 'network.relayInvalid';
	} catch {
		return 'network.relayInvalid';
	}
}

/**
 * Reads ICE servers typed one per line: `stun:host:port`, or `turn:host:port username credential`.
 * Returns the servers, or the 1-based number of the first line that is not one.
 */
export function parseIceServers(text: string): { ok: true; servers: IceServerSetting[] } | { ok: false; line: number } {
	const servers: IceServerSetting[] = [];
	const lines = text.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const parts = lines[i].trim().split(/\s+/).filter(Boolean);
		if (parts.length === 0) continue;
		const [url, username, credential] = parts;
		const isStun = /^stuns?:[^\s]+$/.test(url);
		const isTurn = /^turns?:[^\s]+$/.test(url);
		if ((isStun && parts.length === 1) || (isTurn && parts.length === 3)) {
			servers.push(isTurn ? { url, username, credential } : { url });
		} else {
			return { ok: false, line: i + 1 };
		}
	}
	return { ok: true, servers };
}

/** ICE servers as typed in the settings form (the inverse of parseIceServers). */
export function formatIceServers(servers: IceServerSetting[]): string {
	return servers.map((s) => [s.url, s.username, s.credential].filter(Boolean).join(' ')).join('\n');
}
