// Per-doc data keys. Guarantees: every doc has its own random AES key, stored only wrapped (sealed
// with binding {docId, 'doc-key'}) under the salon key (profile and salon docs) or the clinical key
// (clinical docs); which wrapping key applies follows from the doc id, never from a registry entry
// a peer could have sent; unwrapped keys live only in memory (non-extractable CryptoKeys) and are
// dropped on lock; raw key bytes are zeroed as soon as they are imported.
import { AppError } from '../domain/errors';
import type { DocId, DocKind } from '../domain/ids';
import { importDataKey, openEnvelope, randomKeyBytes, sealEnvelope, type DataKey } from '../crypto/envelope';
import type { Storage } from './storage';
import { readDocIdParts } from './erasure-rules';

/** The keys a DocStore works with; `clinical` is null for reception (and after forgetClinical). */
export interface DocStoreKeys {
	salon: DataKey;
	clinical: DataKey | null;
}

interface CachedKey {
	isClinical: boolean;
	key: Promise<DataKey>;
}

/** Names a doc's data key (generation 1); envelopes of the doc carry this name. */
export function nameDocKey(docId: DocId): string {
	return `doc/${docId}/1`;
}

/** Creates, unwraps and caches doc data keys under the salon and clinical keys. */
export class DocKeys {
	readonly #storage: Storage;
	#roots: DocStoreKeys | null;
	readonly #cache = new Map<DocId, CachedKey>();

	constructor(storage: Storage, roots: DocStoreKeys) {
		this.#storage = storage;
		this.#roots = roots;
	}

	/** The salon and clinical keys; 'locked' once forgotten. */
	requireRoots(): DocStoreKeys {
		if (!this.#roots) throw new AppError('locked', 'keys forgotten');
		return this.#roots;
	}

	/** Creates and registers a doc's key; does nothing when the doc is already registered. */
	async createKey(docId: DocId, kind: DocKind): Promise<void> {
		if (readDocIdParts(docId).kind !== kind) throw new AppError('invalid-input', `${docId} is not a ${kind} doc`);
		const wrapping = this.#findWrappingKey(docId);
		const existing = await this.#storage.getRegistryEntry(docId);
		if (existing?.tombstone) throw new AppError('tombstoned', docId);
		if (existing) return; // a second key would make the data sealed under the first unreadable
		const raw = randomKeyBytes();
		try {
			const wrappedKey = await sealEnvelope(wrapping, raw, { docId, kind: 'doc-key' });
			const key = await importDataKey(nameDocKey(docId), raw);
			await this.#storage.putRegistryEntry({ docId, kind, wrappedKey, tombstone: false });
			// A lock may have come while the entry was stored: a forgotten store caches nothing.
			if (this.#roots) this.#cache.set(docId, { isClinical: kind === 'clinical', key: Promise.resolve(key) });
		} finally {
			raw.fill(0);
		}
	}

	/** Finds a doc's key: cached, or unwrapped from the registry ('locked', 'not-found', 'tombstoned'). */
	findKey(docId: DocId): Promise<DataKey> {
		try {
			this.#findWrappingKey(docId); // fails fast when the needed root key is not in memory
		} catch (e) {
			return Promise.reject(e);
		}
		const cached = this.#cache.get(docId);
		if (cached) return cached.key;
		const key = this.#unwrapKey(docId);
		this.#cache.set(docId, { isClinical: readDocIdParts(docId).kind === 'clinical', key });
		key.catch(() => {
			if (this.#cache.get(docId)?.key === key) this.#cache.delete(docId);
		});
		return key;
	}

	/**
	 * Caches a key the caller just unwrapped, under this device's root key, from the very entry it
	 * stored for `docId` (a doc adopted from a peer), so it is not unwrapped a second time.
	 */
	remember(docId: DocId, key: DataKey): void {
		if (!this.#roots || this.#cache.has(docId)) return;
		this.#cache.set(docId, { isClinical: readDocIdParts(docId).kind === 'clinical', key: Promise.resolve(key) });
	}

	/** Drops one doc's cached key (the doc was erased). */
	dropKey(docId: DocId): void {
		this.#cache.delete(docId);
	}

	/** Drops every key from memory (hard lock). */
	forget(): void {
		this.#roots = null;
		this.#cache.clear();
	}

	/** Drops the clinical key and every clinical doc key. */
	forgetClinical(): void {
		if (this.#roots) this.#roots = { ...this.#roots, clinical: null };
		for (const [docId, cached] of this.#cache) if (cached.isClinical) this.#cache.delete(docId);
	}

	/** Whether the clinical key is in memory (a clinical role is signed in). */
	get hasClinical(): boolean {
		return !!this.#roots?.clinical;
	}

	/** Puts the clinical key back after a clinical staff member entered their passphrase. */
	restoreClinical(clinical: DataKey): void {
		if (this.#roots) this.#roots = { ...this.#roots, clinical };
	}

	async #unwrapKey(docId: DocId): Promise<DataKey> {
		const wrapping = this.#findWrappingKey(docId);
		const entry = await this.#storage.getRegistryEntry(docId);
		if (entry?.tombstone) throw new AppError('tombstoned', docId);
		if (!entry?.wrappedKey) throw new AppError('not-found', docId);
		const raw = await openEnvelope(wrapping, entry.wrappedKey, { docId, kind: 'doc-key' });
		try {
			return await importDataKey(nameDocKey(docId), raw);
		} finally {
			raw.fill(0);
		}
	}

	#findWrappingKey(docId: DocId): DataKey {
		const roots = this.requireRoots();
		if (readDocIdParts(docId).kind !== 'clinical') return roots.salon;
		if (!roots.clinical) throw new AppError('locked', docId);
		return roots.clinical;
	}
}
