// Raw IndexedDB reads for the bench harness: every record of a salon's database in one read-only
// transaction (no Dexie, no decryption), and the sealed size of a stored envelope.
import type { Envelope } from '../src/lib/crypto/envelope';

const utf8 = new TextEncoder();

export interface RawRecord {
	[key: string]: unknown;
}

/** Every record of every object store of `dbName`, one getAll per store. */
export function readAllRaw(dbName: string): Promise<Record<string, RawRecord[]>> {
	return new Promise((resolve, reject) => {
		const req = indexedDB.open(dbName);
		req.onerror = () => reject(req.error);
		req.onsuccess = () => {
			const db = req.result;
			const names = [...db.objectStoreNames];
			const tx = db.transaction(names, 'readonly');
			const out: Record<string, RawRecord[]> = {};
			for (const name of names) {
				const r = tx.objectStore(name).getAll();
				r.onsuccess = () => (out[name] = r.result as RawRecord[]);
			}
			tx.oncomplete = () => {
				db.close();
				resolve(out);
			};
			tx.onerror = () => reject(tx.error);
		};
	});
}

/** Bytes of a stored envelope: IV + ciphertext + key id (sealed), and the ciphertext alone. */
export function envelopeBytes(e: unknown): { sealed: number; ciphertext: number } {
	if (!e || typeof e !== 'object') return { sealed: 0, ciphertext: 0 };
	const env = e as Envelope;
	const ct = env.ciphertext.byteLength;
	return { sealed: ct + env.iv.byteLength + utf8.encode(env.keyId).length, ciphertext: ct };
}
