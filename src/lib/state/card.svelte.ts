// The card on screen: the only client doc loaded as a Y.Doc (DESIGN: never load all cards).
// A failed save reloads the doc from storage, so memory never holds an edit the disk does not,
// and the form keeps what the user typed so nothing is lost: they can simply save again.
import * as Y from 'yjs';
import type { ChangeRecord, ClientProfile } from '../domain/client';
import { profileDocId, type ClientId } from '../domain/ids';
import { readHistory, readProfile } from '../doc/profile-doc';
import type { DocStore } from '../storage/doc-store';
import { saveProfile, type Author } from './card-service';
import type { ClientList } from './clients.svelte';

/** One open client card. */
export class OpenCard {
	profile = $state<ClientProfile | null>(null);
	history = $state<ChangeRecord[]>([]);
	private doc: Y.Doc | null = null;

	constructor(
		readonly id: ClientId,
		private readonly store: DocStore,
		private readonly list: ClientList
	) {}

	/** Loads the card's profile doc from storage. */
	async load(): Promise<void> {
		this.doc?.destroy();
		this.doc = await this.store.load(profileDocId(this.id));
		this.refresh();
	}

	private refresh(): void {
		if (!this.doc) return;
		this.profile = readProfile(this.doc);
		this.history = readHistory(this.doc);
	}

	/** Saves a change; returns the changed fields. Throws (after reloading) when storing fails. */
	async save(patch: Partial<ClientProfile>, author: Author): Promise<string[]> {
		if (!this.doc || !this.profile) throw new Error('card not loaded');
		try {
			const { fields, summary } = await saveProfile(this.store, this.id, this.doc, patch, author, this.profile);
			this.list.upsert(summary);
			this.refresh();
			return fields;
		} catch (e) {
			await this.load();
			throw e;
		}
	}

	/** Releases the Y.Doc. */
	close(): void {
		this.doc?.destroy();
		this.doc = null;
	}
}
