// Summaries never travel: a card a peer changed is summarised on this device, as a local save
// would be. Used by the app's sync state and by the sync benchmark, so both do the same work.
import type { ClientSummary } from '../domain/client';
import { clinicalDocId, profileDocId, type ClientId } from '../domain/ids';
import type { DocStore } from '../storage/doc-store';
import type { Storage } from '../storage/storage';
import { CardDocs } from './card-docs';

/**
 * Rebuilds and stores a client's summaries from the stored docs. The clinical part is rebuilt only
 * when this device holds the clinical key and the card has a clinical doc (it is never created
 * here: that is the first clinical member's open). An erased card, or one whose profile has not
 * arrived yet, is left alone. `previous` supplies what the docs do not hold (CardDocs.summaries).
 */
export async function rebuildSummaries(store: DocStore, storage: Storage, clientId: ClientId, timeZone: string, previous?: ClientSummary): Promise<void> {
	const profileEntry = await storage.getRegistryEntry(profileDocId(clientId));
	if (!profileEntry || profileEntry.tombstone) return;
	const card = new CardDocs(store, clientId, timeZone);
	try {
		await card.loadProfile();
		const clinicalEntry = store.hasClinicalKey ? await storage.getRegistryEntry(clinicalDocId(clientId)) : undefined;
		if (clinicalEntry && !clinicalEntry.tombstone) await card.loadClinical();
		const summaries = card.summaries(previous);
		await store.putSummary(clientId, summaries.profile, summaries.clinical);
	} finally {
		card.close();
	}
}
