// Test data factories for clients. Guarantees: deterministic per seed, synthetic only (the
// generator lives in domain/synthetic.ts because the demo salon uses it too).
import type { ClientSummary } from '../../src/lib/domain/client';
import type { ClientId } from '../../src/lib/domain/ids';
import { makeClientProfile } from '../../src/lib/domain/synthetic';

export { makeClientProfile };

/** A deterministic UUID-shaped client id for `seed`. */
export function makeClientId(seed: number): ClientId {
	return `00000000-0000-4000-8000-${seed.toString(16).padStart(12, '0')}` as ClientId;
}

/** A deterministic summary of the client of `seed`, with optional overrides. */
export function makeClientSummary(seed: number, overrides: Partial<ClientSummary> = {}): ClientSummary {
	const p = makeClientProfile(seed);
	return {
		id: makeClientId(seed),
		firstName: p.firstName,
		lastName: p.lastName,
		phone: p.phone,
		email: p.email,
		birthDate: p.birthDate,
		archived: p.archived,
		lastVisit: null,
		nextVisit: null,
		...overrides
	};
}
