// The demo salon: its own database of ~200 synthetic Polish clients, never mixed with a real
// salon. Its keys are wrapped with a fixed, public passphrase and cheap derivation parameters,
// because its data is fictional and it must open without setup.
import { createSalon } from '../app';
import type { KdfParams } from '../crypto/kdf';
import { makeClientProfile } from '../domain/synthetic';
import { createClient } from './card-service';
import type { SalonSession } from './salon-session';

/** The demo salon's passphrase (the demo holds only fictional data). */
export const DEMO_PASSPHRASE = 'kartoteka-demo';
/** How many synthetic clients the demo holds. */
export const DEMO_CLIENTS = 200;

/** Creates the demo salon with its synthetic clients and returns it open. */
export async function seedDemoSalon(count = DEMO_CLIENTS): Promise<SalonSession> {
	const kdf: KdfParams = { algorithm: 'PBKDF2-SHA-256', iterations: 1000, salt: crypto.getRandomValues(new Uint8Array(16)) };
	const { salon } = await createSalon({
		salonName: 'Salon Demo „Różana”',
		timeZone: 'Europe/Warsaw',
		ownerName: 'Demo Właścicielka',
		passphrase: DEMO_PASSPHRASE,
		pin: '0000',
		kdf,
		isDemo: true
	});
	for (let i = 1; i <= count; i++) await createClient(salon.store, makeClientProfile(i), salon.author);
	return salon;
}
