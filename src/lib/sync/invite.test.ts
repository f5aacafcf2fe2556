// One-time invites against the real relay on loopback: the first device gets the welcome, a second
// is told the invite was used, a late one that it expired, and nobody answering is said so too.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startRelay } from './relay-fixtures';
import { isAppError } from '../domain/errors';
import { createInviteTicket, InviteHost, inviteLink, joinWithInvite, parseInvite, type InviteTicket, type JoiningDevice, type OpenInviteSignaling, type Welcome } from './invite';
import { SignalingClient, type SocketLike } from './signaling-client';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The relay's traffic as it saw it, to check that it carried nothing readable. */
const relayed: string[] = [];


const openSignaling: OpenInviteSignaling = async (ticket: InviteTicket) => {
	const client = await SignalingClient.create({
		url: ticket.relayUrl,
		syncSecret: ticket.key,
		purpose: 'invite',
		minBackoffMs: 10,
		openSocket: (u) => {
			const ws = new WebSocket(u);
			ws.on('error', () => {}); // closing a socket still connecting is not a failure here
			const send = ws.send.bind(ws);
			ws.send = ((data: string) => (relayed.push(String(data)), send(data))) as typeof ws.send;
			return ws as unknown as SocketLike;
		}
	});
	cleanups.push(() => client.close());
	return client;
};

const WELCOME: Welcome = {
	salonId: '7d1c2b3a-1111-4222-8333-444455556666',
	salonName: 'Salon Testowy Różany',
	keyring: '{"version":1,"entries":[]}',
	addedBy: 'Anna Testowa',
	inviterDeviceId: 'device-a'
};

async function host(ticket: InviteTicket) {
	const joined: JoiningDevice[] = [];
	const used: JoiningDevice[] = [];
	const invite = await InviteHost.open({ ticket, welcome: async () => WELCOME, onJoined: (d) => joined.push(d), onUsed: (d) => used.push(d), openSignaling });
	cleanups.push(() => invite.close());
	return { invite, joined, used };
}

const join = (ticket: InviteTicket, deviceId: string, waitMs = 5000) =>
	joinWithInvite({ ticket, device: { deviceId, name: `Tablet ${deviceId}` }, openSignaling, waitMs, askEveryMs: 100 });

describe('invites', () => {
	it('carries key, relay and expiry in the link fragment and reads them back; a damaged link is no invite', () => {
		const ticket = createInviteTicket('wss://salon.example/signal', 1_000);
		const link = inviteLink('https://salon.example/', ticket);
		expect(link.startsWith('https://salon.example/join#')).toBe(true);
		expect(parseInvite(link)).toEqual(ticket);
		expect(ticket.expiresAt).toBe(1_000 + 10 * 60_000);
		expect(parseInvite(link.slice(0, link.indexOf('&')))).toBeNull();
		expect(parseInvite(inviteLink('https://salon.example', { ...ticket, relayUrl: 'https://salon.example/signal' }))).toBeNull();
		expect(parseInvite(inviteLink('https://salon.example', { ...ticket, key: ticket.key.slice(0, 16) }))).toBeNull();
	});

	it('gives the first device the welcome and tells a second one the invite is used', async () => {
		const relayUrl = await startRelay(cleanups);
		const ticket = createInviteTicket(relayUrl);
		const { invite, joined, used } = await host(ticket);
		relayed.length = 0;
		expect(await join(ticket, 'device-b')).toEqual(WELCOME);
		await expect.poll(() => joined).toEqual([{ deviceId: 'device-b', name: 'Tablet device-b' }]);
		expect(invite.status).toBe('used');
		const second = await join(ticket, 'device-c').catch((e: unknown) => e);
		expect(isAppError(second, 'invite-used')).toBe(true);
		// The same device asking again (its answer was lost) gets the same welcome.
		expect(await join(ticket, 'device-b')).toEqual(WELCOME);
		expect(joined).toHaveLength(1);
		expect(used).toEqual([{ deviceId: 'device-b', name: 'Tablet device-b' }]);
		// The relay carried ciphertext only: no salon name, no keyring, no device name.
		const wire = relayed.join('\n');
		for (const secret of ['Salon Testowy', 'Anna Testowa', 'Tablet device', '"entries"']) expect(wire).not.toContain(secret);
	});

	it('refuses an expired invite, whether the link says so or the inviting device does', async () => {
		const relayUrl = await startRelay(cleanups);
		const past = createInviteTicket(relayUrl, Date.now() - 11 * 60_000);
		expect(isAppError(await join(past, 'device-b').catch((e: unknown) => e), 'invite-expired')).toBe(true);
		// A new device whose clock runs behind trusts the link; the inviting device still refuses.
		const ticket = createInviteTicket(relayUrl);
		await host({ ...ticket, expiresAt: Date.now() - 1 });
		expect(isAppError(await join(ticket, 'device-b').catch((e: unknown) => e), 'invite-expired')).toBe(true);
	});

	it('says nobody answered when the inviting screen is closed', async () => {
		const relayUrl = await startRelay(cleanups);
		const ticket = createInviteTicket(relayUrl);
		const { invite } = await host(ticket);
		invite.close();
		expect(isAppError(await join(ticket, 'device-b', 800).catch((e: unknown) => e), 'invite-unanswered')).toBe(true);
	});
});
