import { describe, expect, it } from 'vitest';
import { makeTestSalon, TEST_OWNER_PASSPHRASE } from '../../../tests/factories/salon';
import { makeClientProfile } from '../domain/synthetic';
import { createClient } from './card-service';
import { exportSalon } from './salon-export';

describe('salon export', () => {
	it('exports every card and the staff after the owner passphrase, without PIN verifiers', async () => {
		const { session } = await makeTestSalon();
		const a = await createClient(session.store, makeClientProfile(1), session.author);
		const b = await createClient(session.store, makeClientProfile(2), session.author);
		const out = (await exportSalon(session, TEST_OWNER_PASSPHRASE)) as { clients: { id: string; profile: { lastName: string } }[]; staff: object[] };
		expect(out.clients.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
		expect(out.clients.find((c) => c.id === a.id)?.profile.lastName).toBe(a.lastName);
		expect(JSON.stringify(out.staff)).not.toContain('hash');
		expect(JSON.stringify(out.staff)).toContain('Halina Testowa');
	});

	it('refuses without the right passphrase', async () => {
		const { session } = await makeTestSalon();
		await expect(exportSalon(session, 'zla fraza hasla wlascicielki')).rejects.toMatchObject({ reason: 'wrong-passphrase' });
	});
});
