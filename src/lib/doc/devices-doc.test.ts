import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkDeviceName, checkRelayUrl, formatIceServers, parseIceServers } from '../domain/device';
import { editNetwork, listDevices, readNetwork, registerDevice, touchDevice } from './devices-doc';
import { initSalonDoc } from './salon-doc';

function salonDoc(): Y.Doc {
	const doc = new Y.Doc();
	initSalonDoc(doc, { name: 'Salon Testowy', timeZone: 'Europe/Warsaw', createdAt: '2026-01-01T08:00:00.000Z' });
	return doc;
}

describe('device registry', () => {
	it('lists devices by name with who added them; re-registering renames and keeps the rest', () => {
		const doc = salonDoc();
		registerDevice(doc, { id: 'd2', name: 'Tablet gabinet', addedBy: 'Anna Testowa', addedAt: '2026-02-01T10:00:00.000Z' });
		registerDevice(doc, { id: 'd1', name: 'Komputer recepcja', addedBy: '', addedAt: '2026-01-01T08:00:00.000Z' });
		expect(listDevices(doc).map((d) => d.name)).toEqual(['Komputer recepcja', 'Tablet gabinet']);
		expect(registerDevice(doc, { id: 'd2', name: '  Tablet gabinet 2 ', addedBy: 'Ktoś inny', addedAt: '2026-03-01T10:00:00.000Z' })).toBe(true);
		expect(listDevices(doc).find((d) => d.id === 'd2')).toEqual({
			id: 'd2', name: 'Tablet gabinet 2', addedBy: 'Anna Testowa', addedAt: '2026-02-01T10:00:00.000Z', lastSeenAt: null
		});
	});

	it('records "last seen" at most every 15 minutes, so an open app does not flood the salon doc', () => {
		const doc = salonDoc();
		registerDevice(doc, { id: 'd1', name: 'Tablet', addedBy: '', addedAt: '2026-01-01T08:00:00.000Z' });
		expect(touchDevice(doc, 'd1', '2026-01-02T09:00:00.000Z')).toBe(true);
		expect(touchDevice(doc, 'd1', '2026-01-02T09:10:00.000Z')).toBe(false);
		expect(touchDevice(doc, 'd1', '2026-01-02T09:16:00.000Z')).toBe(true);
		expect(listDevices(doc)[0].lastSeenAt).toBe('2026-01-02T09:16:00.000Z');
		expect(touchDevice(doc, 'unknown', '2026-01-02T09:16:00.000Z')).toBe(false);
	});

	it('refuses an empty or overlong name', () => {
		expect(checkDeviceName('  ')).toBe('device.nameRequired');
		expect(checkDeviceName('x'.repeat(61))).toBe('device.nameTooLong');
		expect(checkDeviceName('Tablet recepcja')).toBeNull();
		expect(() => registerDevice(salonDoc(), { id: 'd1', name: ' ', addedBy: '', addedAt: '2026-01-01T08:00:00.000Z' })).toThrow();
	});
});

describe('network settings', () => {
	it('default to the relay beside the app and no ICE servers', () => {
		expect(readNetwork(salonDoc())).toEqual({ relayUrl: '', iceServers: [] });
	});

	it('keep a relay address and STUN/TURN servers, and refuse anything else', () => {
		const doc = salonDoc();
		const parsed = parseIceServers('stun:stun.salon.example:3478\n\nturn:turn.salon.example:3478 salon tajne-haslo');
		expect(parsed).toEqual({
			ok: true,
			servers: [{ url: 'stun:stun.salon.example:3478' }, { url: 'turn:turn.salon.example:3478', username: 'salon', credential: 'tajne-haslo' }]
		});
		if (!parsed.ok) throw new Error('unreachable');
		editNetwork(doc, { relayUrl: 'wss://relay.salon.example/signal', iceServers: parsed.servers });
		expect(readNetwork(doc)).toEqual({ relayUrl: 'wss://relay.salon.example/signal', iceServers: parsed.servers });
		expect(formatIceServers(readNetwork(doc).iceServers)).toBe('stun:stun.salon.example:3478\nturn:turn.salon.example:3478 salon tajne-haslo');
		expect(() => editNetwork(doc, { relayUrl: 'https://relay.salon.example' })).toThrow();
		expect(checkRelayUrl('https://relay.salon.example')).toBe('network.relayInvalid');
		expect(parseIceServers('stun:ok:3478\nturn:bez-hasla:3478')).toEqual({ ok: false, line: 2 });
		expect(parseIceServers('http://x')).toEqual({ ok: false, line: 1 });
	});
});
