// Adding a device, on both ends. The inviting device shows a one-time invite while its screen is
// open (InviteScreen); the new device opens the link, names itself, receives the keyring and
// becomes a (still empty) device of the salon, to be unlocked with a staff member's own
// passphrase. Guarantees: an invite stops answering when closed or after 10 minutes; the new
// device's link is taken out of the address bar as soon as it is read; a device already holding a
// real salon never joins another ('salon-exists').
import { deviceId, joinSalon, listLocalSalons } from '../app';
import { AppError } from '../domain/errors';
import { createInviteTicket, InviteHost, inviteLink, joinWithInvite, parseInvite, type InviteTicket } from '../sync/invite';
import type { SalonSession } from './salon-session';
import { relayUrlOf } from './sync.svelte';

/** Where the inviting screen stands. */
export type InviteStatus = 'idle' | 'waiting' | 'used' | 'joined' | 'expired';

/** The inviting device's side: one invite at a time, alive while its screen is open. */
export class InviteScreen {
	status = $state<InviteStatus>('idle');
	link = $state<string | null>(null);
	expiresAt = $state(0);
	/** The name of the device that joined. */
	joinedName = $state('');
	#host: InviteHost | null = null;
	#timer: ReturnType<typeof setTimeout> | null = null;

	/** Makes a fresh invite for `salon`, reachable at `appUrl` (this app's address). */
	async open(salon: SalonSession, appUrl: string): Promise<void> {
		this.close();
		if (salon.staff.role !== 'owner') throw new AppError('locked', 'invites: owner only');
		// The demo salon is fictional and never syncs: a tablet must not join it as if it were real.
		if (salon.isDemo) throw new AppError('locked', 'no invites in the demo salon');
		const relayUrl = relayUrlOf(salon);
		if (!relayUrl) throw new AppError('invalid-input', 'no relay address');
		const ticket = createInviteTicket(relayUrl);
		this.#host = await InviteHost.open({
			ticket,
			welcome: async () => ({
				salonId: salon.id,
				salonName: salon.profile.name,
				keyring: salon.keyringText,
				addedBy: salon.staff.name,
				inviterDeviceId: salon.deviceId
			}),
			// "used" shows the moment a device asked, before it confirmed.
			onUsed: () => {
				if (this.status === 'waiting') this.status = 'used';
			},
			onJoined: (device) => {
				// 'joined' once the registry holds the device, so a list re-read then shows it.
				void salon
					.registerInvitedDevice(device)
					.catch((e) => console.warn('device not registered', e))
					.finally(() => {
						this.joinedName = device.name;
						this.status = 'joined';
					});
			}
		});
		this.link = inviteLink(appUrl, ticket);
		this.expiresAt = ticket.expiresAt;
		this.status = 'waiting';
		this.#timer = setTimeout(() => this.#expire(), ticket.expiresAt - Date.now());
	}

	/** The screen closed: the invite is worth nothing from now on. */
	close(): void {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		this.#host?.close();
		this.#host = null;
		this.link = null;
		this.status = 'idle';
	}

	#expire(): void {
		const wasJoined = this.status === 'joined';
		this.#host?.close();
		this.#host = null;
		this.link = null;
		if (!wasJoined) this.status = 'expired';
	}
}

/** Where the new device stands. */
export type JoinStatus = 'invalid' | 'ready' | 'connecting' | 'joined';

/** The new device's side. */
export class JoinScreen {
	status = $state<JoinStatus>('invalid');
	salonName = $state('');
	#ticket: InviteTicket | null = null;

	/** Reads the invite from the page's address and removes it from there (and from history). */
	take(location: { href: string; hash: string }, replaceUrl: (url: string) => void): void {
		this.#ticket = parseInvite(location.hash);
		if (location.hash) replaceUrl(location.href.slice(0, location.href.indexOf('#')));
		this.status = this.#ticket ? 'ready' : 'invalid';
	}

	/** Whether this device already holds a real salon (then it cannot join another). */
	get hasSalon(): boolean {
		return listLocalSalons().some((s) => !s.isDemo);
	}

	/** Asks the inviting device, then stores the keyring; throws AppError (used, expired, unanswered, salon-exists). */
	async join(deviceName: string): Promise<void> {
		const ticket = this.#ticket;
		if (!ticket) throw new AppError('invite-expired');
		if (this.hasSalon) throw new AppError('salon-exists');
		this.status = 'connecting';
		try {
			const welcome = await joinWithInvite({ ticket, device: { deviceId: deviceId(), name: deviceName.trim() } });
			await joinSalon(welcome, ticket.relayUrl);
			this.salonName = welcome.salonName;
			this.status = 'joined';
			this.#ticket = null;
		} catch (e) {
			this.status = 'ready';
			throw e;
		}
	}
}
