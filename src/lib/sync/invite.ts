// One-time invites: how a new device gets the salon's keyring without any long-lived secret in a
// link or a picture (DESIGN, sync). Guarantees:
// - the link holds only a fresh random invite key, the relay address and the expiry (at most 10
//   minutes after it was made), all in the URL fragment, which browsers never send to a server;
// - both devices meet on a relay topic derived from the invite key (its own HKDF salt, so it is
//   never the salon's topic), and every message is sealed with a key derived from it: the relay
//   sees ciphertext only;
// - the inviting device answers the first device that asks and no other: a second device gets
//   "used", a late one "expired"; the same device asking again (a lost answer) gets the same answer;
// - a new device that hears nothing within its wait gets 'invite-unanswered', never a hang.
// What the welcome carries (the keyring) is ciphertext wrapped by staff passphrases: the new
// device still needs a staff member's own passphrase to read anything.
import { decodeBase64, encodeBase64 } from '../crypto/sync-signaling';
import { AppError } from '../domain/errors';
import { SignalingClient, type SignalPayload } from './signaling-client';

/** How long an invite is valid at most. */
export const INVITE_TTL_MS = 10 * 60_000;
const KEY_BYTES = 32;
const MAX_TEXT = 200;
const MAX_KEYRING_CHARS = 40_000;

/** What an invite link holds. */
export interface InviteTicket {
	key: Uint8Array;
	relayUrl: string;
	/** ms since the epoch. */
	expiresAt: number;
}

/** What the inviting device sends the new one. */
export interface Welcome {
	salonId: string;
	salonName: string;
	/** The keyring as text (crypto/keyring-codec). */
	keyring: string;
	/** The staff member who made the invite. */
	addedBy: string;
	inviterDeviceId: string;
}

/** A device that asked to join with an invite. */
export interface JoiningDevice {
	deviceId: string;
	name: string;
}

/** Opens a relay connection on the invite's topic (tests pass one to a fake relay). */
export type OpenInviteSignaling = (ticket: InviteTicket) => Promise<InviteSignaling>;

/** What invites need of a signaling client. */
export interface InviteSignaling {
	readonly isConnected: boolean;
	publish(payload: SignalPayload): Promise<boolean>;
	onPayload(handler: (payload: SignalPayload) => void): () => void;
	onStatus(handler: (isConnected: boolean) => void): () => void;
	close(): void;
}

const openRelay: OpenInviteSignaling = (ticket) => SignalingClient.create({ url: ticket.relayUrl, syncSecret: ticket.key, purpose: 'invite' });

/** Makes a fresh invite for the relay at `relayUrl`. */
export function createInviteTicket(relayUrl: string, now = Date.now()): InviteTicket {
	return { key: crypto.getRandomValues(new Uint8Array(KEY_BYTES)), relayUrl, expiresAt: now + INVITE_TTL_MS };
}

const toUrlBase64 = (bytes: Uint8Array) => encodeBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromUrlBase64 = (text: string) => decodeBase64(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));

/** The link a new device opens: `{appUrl}/join#k=…&r=…&e=…`. */
export function inviteLink(appUrl: string, ticket: InviteTicket): string {
	const fragment = new URLSearchParams({ k: toUrlBase64(ticket.key), r: ticket.relayUrl, e: String(ticket.expiresAt) });
	return `${appUrl.replace(/\/+$/, '')}/join#${fragment.toString()}`;
}

/** Reads an invite from a link or its fragment; null when it is not one (a damaged or partial link). */
export function parseInvite(linkOrFragment: string): InviteTicket | null {
	const fragment = linkOrFragment.includes('#') ? linkOrFragment.slice(linkOrFragment.indexOf('#') + 1) : linkOrFragment;
	const params = new URLSearchParams(fragment);
	const key = fromUrlBase64(params.get('k') ?? '');
	const relayUrl = params.get('r') ?? '';
	const expiresAt = Number(params.get('e') ?? NaN);
	if (!key || key.byteLength !== KEY_BYTES || !Number.isSafeInteger(expiresAt) || !/^wss?:\/\/[^\s]+$/.test(relayUrl)) return null;
	return { key, relayUrl, expiresAt };
}

const isText = (v: unknown, max = MAX_TEXT): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/** The inviting side: answers the first device that asks, while open and not expired. */
export class InviteHost {
	readonly ticket: InviteTicket;
	#status: 'waiting' | 'used' | 'closed' = 'waiting';
	#guest: JoiningDevice | null = null;
	#welcome: SignalPayload | null = null;
	#signaling: InviteSignaling;
	#unsubscribe: () => void;
	#onJoined: (device: JoiningDevice) => void;
	#onUsed: (device: JoiningDevice) => void;
	#isConfirmed = false;

	private constructor(
		ticket: InviteTicket,
		signaling: InviteSignaling,
		makeWelcome: () => Promise<Welcome>,
		onJoined: (device: JoiningDevice) => void,
		onUsed: (device: JoiningDevice) => void
	) {
		this.ticket = ticket;
		this.#signaling = signaling;
		this.#onJoined = onJoined;
		this.#onUsed = onUsed;
		this.#unsubscribe = signaling.onPayload((p) => void this.#receive(p, makeWelcome).catch(() => undefined));
	}

	/**
	 * Starts listening on the invite's topic. `onUsed` runs once, when a device asks and gets the
	 * invite; `onJoined` runs once, when that device confirms it has the welcome.
	 */
	static async open(options: {
		ticket: InviteTicket;
		welcome: () => Promise<Welcome>;
		onJoined: (device: JoiningDevice) => void;
		onUsed?: (device: JoiningDevice) => void;
		openSignaling?: OpenInviteSignaling;
	}): Promise<InviteHost> {
		const signaling = await (options.openSignaling ?? openRelay)(options.ticket);
		return new InviteHost(options.ticket, signaling, options.welcome, options.onJoined, options.onUsed ?? (() => {}));
	}

	/** 'waiting' for a device, 'used' once one was answered, 'closed' when the screen went away. */
	get status(): 'waiting' | 'used' | 'closed' {
		return this.#status;
	}

	/** The device that used the invite, once it asked. */
	get guest(): JoiningDevice | null {
		return this.#guest;
	}

	/** Stops answering (the invite screen closed); the invite is worth nothing from now on. */
	close(): void {
		if (this.#status === 'closed') return;
		this.#status = 'closed';
		this.#unsubscribe();
		this.#signaling.close();
	}

	async #receive(p: SignalPayload, makeWelcome: () => Promise<Welcome>): Promise<void> {
		if (this.#status === 'closed' || !isText(p.from, 128)) return;
		const from = p.from;
		if (p.kind === 'joined' && this.#guest?.deviceId === from && !this.#isConfirmed) {
			this.#isConfirmed = true;
			this.#onJoined(this.#guest);
			return;
		}
		if (p.kind !== 'join' || !isText(p.name, 80)) return;
		if (Date.now() > this.ticket.expiresAt) return void this.#signaling.publish({ kind: 'refused', to: from, reason: 'expired' });
		if (this.#guest && this.#guest.deviceId !== from) return void this.#signaling.publish({ kind: 'refused', to: from, reason: 'used' });
		if (!this.#guest) {
			// Taken before anything is awaited, so two devices asking at once cannot both get it.
			this.#guest = { deviceId: from, name: p.name };
			this.#status = 'used';
			this.#onUsed(this.#guest);
			this.#welcome = { kind: 'welcome', to: from, ...(await makeWelcome()) };
		}
		if (this.#welcome) await this.#signaling.publish(this.#welcome);
	}
}

/** The new device's side: asks to join and waits for the welcome; throws AppError when refused or unanswered. */
export async function joinWithInvite(options: {
	ticket: InviteTicket;
	device: JoiningDevice;
	openSignaling?: OpenInviteSignaling;
	/** How long to wait for an answer; the inviting screen must be open. */
	waitMs?: number;
	/** How often to ask again while nobody answered (the relay keeps nothing for late subscribers). */
	askEveryMs?: number;
}): Promise<Welcome> {
	const { ticket, device } = options;
	if (Date.now() > ticket.expiresAt) throw new AppError('invite-expired');
	const signaling = await (options.openSignaling ?? openRelay)(ticket);
	const ask = () => void signaling.publish({ kind: 'join', from: device.deviceId, name: device.name }).catch(() => false);
	try {
		return await new Promise<Welcome>((resolve, reject) => {
			const waitMs = Math.min(options.waitMs ?? 20_000, Math.max(0, ticket.expiresAt - Date.now()));
			const timer = setTimeout(() => reject(new AppError(Date.now() > ticket.expiresAt ? 'invite-expired' : 'invite-unanswered')), waitMs);
			const repeat = setInterval(ask, options.askEveryMs ?? 1500);
			const done = (fn: () => void) => {
				clearTimeout(timer);
				clearInterval(repeat);
				fn();
			};
			signaling.onStatus((isConnected) => isConnected && ask());
			signaling.onPayload((p) => {
				if (p.to !== device.deviceId) return;
				if (p.kind === 'refused') {
					done(() => reject(new AppError(p.reason === 'used' ? 'invite-used' : 'invite-expired')));
				} else if (p.kind === 'welcome') {
					const welcome = readWelcome(p);
					if (!welcome) return done(() => reject(new AppError('invalid-input', 'malformed welcome')));
					void signaling.publish({ kind: 'joined', from: device.deviceId }).catch(() => false);
					done(() => resolve(welcome));
				}
			});
			if (signaling.isConnected) ask();
		});
	} finally {
		// Let the confirmation leave before the socket closes.
		setTimeout(() => signaling.close(), 500);
	}
}

function readWelcome(p: SignalPayload): Welcome | null {
	const ok =
		isText(p.salonId, 64) && isText(p.salonName) && isText(p.keyring, MAX_KEYRING_CHARS) && isText(p.addedBy) && isText(p.inviterDeviceId, 128);
	if (!ok) return null;
	return { salonId: p.salonId as string, salonName: p.salonName as string, keyring: p.keyring as string, addedBy: p.addedBy as string, inviterDeviceId: p.inviterDeviceId as string };
}
