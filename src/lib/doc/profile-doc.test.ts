import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { makeClientId, makeClientProfile } from '../../../tests/factories/clients';
import { emptyProfile, type ClientProfile } from '../domain/client';
import type { DeviceId, StaffId } from '../domain/ids';
import { docMajorVersion, editProfile, initProfileDoc, profileSummary, readHistory, readProfile, type ChangeAuthor } from './profile-doc';

function author(at: string, device = 'tablet-a'): ChangeAuthor {
	return { at, staff: 'staff-1' as StaffId, staffName: 'Grażyna', device: device as DeviceId };
}

const CREATED = author('2025-03-01T09:00:00.000Z');

function newCard(profile: ClientProfile = makeClientProfile(1)): Y.Doc {
	const doc = new Y.Doc();
	initProfileDoc(doc, profile, CREATED);
	return doc;
}

/** A second device's copy of `doc`, as sync would make it. */
function copyOf(doc: Y.Doc): Y.Doc {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
}

/** Merges two diverged copies in both orders and checks both orders give the same card. */
function mergeBothWays(a: Y.Doc, b: Y.Doc): Y.Doc {
	const ua = Y.encodeStateAsUpdate(a);
	const ub = Y.encodeStateAsUpdate(b);
	const aThenB = new Y.Doc();
	Y.applyUpdate(aThenB, ua);
	Y.applyUpdate(aThenB, ub);
	const bThenA = new Y.Doc();
	Y.applyUpdate(bThenA, ub);
	Y.applyUpdate(bThenA, ua);
	expect(readProfile(aThenB)).toEqual(readProfile(bThenA));
	expect(readHistory(aThenB)).toEqual(readHistory(bThenA));
	// And the devices themselves, exchanging what they have, end up with that same card.
	Y.applyUpdate(a, ub);
	Y.applyUpdate(b, ua);
	expect(readProfile(a)).toEqual(readProfile(aThenB));
	expect(readProfile(b)).toEqual(readProfile(aThenB));
	return aThenB;
}

describe('profile doc', () => {
	it('reads back the card it was created with, at schema 1', () => {
		const profile = { ...makeClientProfile(3), note: 'Skóra wrażliwa 🌸' };
		const doc = newCard(profile);
		expect(readProfile(doc)).toEqual(profile);
		expect(readProfile(copyOf(doc))).toEqual(profile);
		expect(docMajorVersion(doc)).toBe(1);
	});

	it('records the creation with the fields that were filled in', () => {
		const doc = newCard({ ...emptyProfile(), firstName: 'Łucja', lastName: 'Gąsior', phone: '+48600100200' });
		expect(readHistory(doc)).toEqual([{ ...CREATED, fields: ['firstName', 'lastName', 'phone'] }]);
	});

	it('refuses to initialise a doc twice', () => {
		const doc = newCard();
		expect(() => initProfileDoc(doc, emptyProfile(), CREATED)).toThrow(expect.objectContaining({ reason: 'invalid-input' }));
	});

	it('returns the changed fields of an edit and appends one history entry', () => {
		const doc = newCard();
		const before = readProfile(doc);
		const edit = author('2025-03-02T10:00:00.000Z');
		const changed = editProfile(doc, { firstName: before.firstName, phone: '+48700200300', note: 'Nowa notatka' }, edit);
		expect(changed).toEqual(['phone', 'note']);
		expect(readProfile(doc)).toEqual({ ...before, phone: '+48700200300', note: 'Nowa notatka' });
		const history = readHistory(doc);
		expect(history).toHaveLength(2);
		expect(history[0]).toEqual({ ...edit, fields: ['phone', 'note'] });
	});

	it('appends nothing and sends no update when an edit changes nothing', () => {
		const doc = newCard();
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		expect(editProfile(doc, { ...readProfile(doc) }, author('2025-03-02T10:00:00.000Z'))).toEqual([]);
		expect(editProfile(doc, {}, author('2025-03-02T10:00:00.000Z'))).toEqual([]);
		expect(updates).toEqual([]);
		expect(readHistory(doc)).toHaveLength(1);
	});

	it('keeps both edits when two tablets change different fields', () => {
		const a = newCard();
		const b = copyOf(a);
		editProfile(a, { phone: '+48511222333' }, author('2025-03-02T10:00:00.000Z', 'tablet-a'));
		editProfile(b, { email: 'nowy@example.com', archived: true }, author('2025-03-02T10:00:05.000Z', 'tablet-b'));
		const merged = mergeBothWays(a, b);
		expect(readProfile(merged)).toMatchObject({ phone: '+48511222333', email: 'nowy@example.com', archived: true });
		expect(readHistory(merged).map((r) => r.fields)).toEqual([['email', 'archived'], ['phone'], expect.any(Array)]);
	});

	it('keeps both edits when two tablets change different parts of the note', () => {
		const note = 'Wywiad: brak przeciwwskazań.\nZabieg: peeling kawitacyjny.\nZalecenia: krem SPF 50.';
		const a = newCard({ ...makeClientProfile(5), note });
		const b = copyOf(a);
		editProfile(a, { note: note.replace('brak przeciwwskazań', 'ciąża — bez kwasów') }, author('2025-03-02T10:00:00.000Z'));
		editProfile(b, { note: note.replace('SPF 50', 'SPF 50 i serum z witaminą C') }, author('2025-03-02T10:01:00.000Z', 'tablet-b'));
		const merged = mergeBothWays(a, b);
		expect(readProfile(merged).note).toBe(
			'Wywiad: ciąża — bez kwasów.\nZabieg: peeling kawitacyjny.\nZalecenia: krem SPF 50 i serum z witaminą C.'
		);
	});

	it('ends with the same value on both tablets when both change the same field', () => {
		const a = newCard();
		const b = copyOf(a);
		editProfile(a, { lastName: 'Wiśniewska' }, author('2025-03-02T10:00:00.000Z'));
		editProfile(b, { lastName: 'Żółkiewska' }, author('2025-03-02T10:00:00.000Z', 'tablet-b'));
		const merged = mergeBothWays(a, b);
		expect(['Wiśniewska', 'Żółkiewska']).toContain(readProfile(merged).lastName);
		expect(readProfile(a)).toEqual(readProfile(b));
		expect(readHistory(merged)).toHaveLength(3);
	});

	it('keeps a field unknown to this version through an edit and a round trip', () => {
		const doc = newCard();
		// What a newer app might have written: a new profile key and a whole new section.
		doc.getMap('profile').set('favouriteColour', 'zielony');
		doc.getMap('futureSection').set('loyaltyPoints', 120);
		editProfile(doc, { firstName: 'Zdzisław', address: 'ul. Lipowa 3, Łódź' }, author('2025-03-02T10:00:00.000Z'));
		const fresh = new Y.Doc();
		Y.applyUpdate(fresh, Y.encodeStateAsUpdate(doc));
		expect(fresh.getMap('profile').get('favouriteColour')).toBe('zielony');
		expect(fresh.getMap('futureSection').get('loyaltyPoints')).toBe(120);
		expect(readProfile(fresh)).toMatchObject({ firstName: 'Zdzisław', address: 'ul. Lipowa 3, Łódź' });
	});

	it.each<[string, Record<string, unknown>]>([
		['a number as first name', { firstName: 42 }],
		['a phone not in E.164', { phone: '600 100 200' }],
		['an impossible birth date', { birthDate: '2023-02-29' }],
		['an unknown contact channel', { contactChannel: 'pigeon' }],
		['a string as archived', { archived: 'yes' }],
		['a field the profile does not have', { favouriteColour: 'zielony' }]
	])('throws on a write of %s and leaves the card unchanged', (_, patch) => {
		const doc = newCard();
		const before = Y.encodeStateAsUpdate(doc);
		expect(() => editProfile(doc, patch as Partial<ClientProfile>, author('2025-03-02T10:00:00.000Z'))).toThrow(
			expect.objectContaining({ reason: 'invalid-input' })
		);
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
	});

	it('throws on a save without a proper author', () => {
		const doc = newCard();
		expect(() => editProfile(doc, { firstName: 'Ewa' }, author('wczoraj'))).toThrow(expect.objectContaining({ reason: 'invalid-input' }));
		expect(() => editProfile(doc, { firstName: 'Ewa' }, { ...author('2025-03-02T10:00:00.000Z'), staff: '' as StaffId })).toThrow();
	});

	it('refuses to edit a card whose creation has not arrived', () => {
		expect(() => editProfile(new Y.Doc(), { firstName: 'Ewa' }, CREATED)).toThrow(expect.objectContaining({ reason: 'invalid-input' }));
	});

	it('leaves a card from a newer major version untouched and says so', () => {
		const doc = newCard();
		doc.getMap('meta').set('schema', 2);
		const before = Y.encodeStateAsUpdate(doc);
		const newer = expect.objectContaining({ reason: 'newer-version' });
		expect(() => readProfile(doc)).toThrow(newer);
		expect(() => editProfile(doc, { firstName: 'Ewa' }, CREATED)).toThrow(newer);
		expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
		expect(docMajorVersion(doc)).toBe(2);
	});

	it('reads malformed stored values as empty ones instead of failing', () => {
		const doc = newCard();
		doc.getMap('profile').set('firstName', 7);
		doc.getMap('profile').set('contactChannel', 'pigeon');
		doc.getArray('history').push(['not a record']);
		expect(readProfile(doc)).toMatchObject({ firstName: '', contactChannel: 'phone' });
		expect(readHistory(doc)).toHaveLength(1);
	});

	it('lists history newest first, whatever order concurrent saves merged in', () => {
		const a = newCard();
		const b = copyOf(a);
		editProfile(b, { address: 'ul. Długa 1' }, author('2025-03-05T08:00:00.000Z', 'tablet-b'));
		editProfile(a, { address: 'ul. Polna 2' }, author('2025-03-04T08:00:00.000Z'));
		editProfile(a, { note: 'x' }, author('2025-03-06T08:00:00.000Z'));
		const ats = readHistory(mergeBothWays(a, b)).map((r) => r.at);
		expect(ats).toEqual([...ats].sort().reverse());
	});

	it('converges on three tablets after a seeded random run of edits and partial syncs', () => {
		let state = 12345;
		const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
		const first = newCard({ ...makeClientProfile(11), note: 'Początek notatki. Środek. Koniec.' });
		const peers = [first, copyOf(first), copyOf(first)];
		for (let step = 0; step < 200; step++) {
			const peer = peers[Math.floor(random() * 3)];
			const note = readProfile(peer).note;
			const at = Math.floor(random() * note.length);
			const patches: Partial<ClientProfile>[] = [
				{ note: note.slice(0, at) + 'ąę'.charAt(step % 2) + note.slice(at + (step % 3 === 0 ? 1 : 0)) },
				{ phone: `+48600${String(step).padStart(6, '0')}` },
				{ archived: random() < 0.5 },
				makeClientProfile(step)
			];
			editProfile(peer, patches[Math.floor(random() * patches.length)], author(new Date(Date.UTC(2025, 0, 1, 0, step)).toISOString()));
			if (random() < 0.3) {
				const [from, to] = [peers[Math.floor(random() * 3)], peers[Math.floor(random() * 3)]];
				Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
			}
		}
		for (const from of peers) for (const to of peers) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
		expect(readProfile(peers[1])).toEqual(readProfile(peers[0]));
		expect(readProfile(peers[2])).toEqual(readProfile(peers[0]));
		expect(readHistory(peers[2])).toEqual(readHistory(peers[0]));
	});

	it('summarises the card for the list, without visit dates', () => {
		const profile = makeClientProfile(9);
		const id = makeClientId(9);
		expect(profileSummary(newCard(profile), id)).toEqual({
			id,
			firstName: profile.firstName,
			lastName: profile.lastName,
			phone: profile.phone,
			email: profile.email,
			birthDate: profile.birthDate,
			archived: profile.archived,
			lastVisit: null,
			nextVisit: null
		});
	});
});
