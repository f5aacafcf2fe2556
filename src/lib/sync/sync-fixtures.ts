// Test devices for the sync suites: each one a MemoryStorage behind an ObservedStorage, a DocStore
// and a SyncNode, all of one salon (shared salon, clinical and sync keys); links are loopback
// pairs. Synthetic data only (makeClientProfile).
import * as Y from 'yjs';
import { importDataKey, randomKeyBytes, type DataKey } from '../crypto/envelope';
import type { ClientProfile } from '../domain/client';
import { clinicalDocId, profileDocId, type ClientId, type DeviceId, type DocId, type StaffId } from '../domain/ids';
import { editProfile, readHistory, readProfile } from '../doc/profile-doc';
import { captureUpdate } from '../state/card-service';
import { DocStore, type DocStoreKeys } from '../storage/doc-store';
import { MemoryStorage } from '../storage/memory-storage';
import type { Storage } from '../storage/storage';
import type { SyncLimits, SyncLogEntry } from './limits';
import { ObservedStorage } from './observed-storage';
import type { VersionSignal } from './session-context';
import { SyncNode, type SyncNodeOptions } from './sync-node';
import { createLoopbackPair, type LoopbackLink } from './transport';
import { makeRandom } from '../domain/synthetic';

/** The keys every device of one test salon shares. */
export interface TestSalonKeys {
	salon: DataKey;
	clinical: DataKey;
	syncSecret: Uint8Array;
}

/** A device of the test salon. */
export interface TestDevice {
	name: string;
	storage: ObservedStorage;
	store: DocStore;
	node: SyncNode;
	logs: SyncLogEntry[];
	/** "Update the app" signals this device raised. */
	versionSignals: VersionSignal[];
	/** The keys in memory; set `clinical` to null to act as reception. */
	roots: DocStoreKeys;
}

/** The seeded PRNG of the synthetic data, shared so every schedule replays the same way. */
export { makeRandom };

/** Creates a salon's shared keys. */
export async function makeSalonKeys(): Promise<TestSalonKeys> {
	return {
		salon: await importDataKey('salon/1', randomKeyBytes()),
		clinical: await importDataKey('clinical/1', randomKeyBytes()),
		syncSecret: randomKeyBytes()
	};
}

/** Creates a device of the salon; `hasClinical: false` makes it a reception-only device. */
export async function makeDevice(
	name: string,
	keys: TestSalonKeys,
	options: { hasClinical?: boolean; limits?: Partial<SyncLimits>; compactAfterUpdates?: number; node?: Partial<SyncNodeOptions>; storage?: Storage } = {}
): Promise<TestDevice> {
	const storage = new ObservedStorage(options.storage ?? new MemoryStorage());
	const roots: DocStoreKeys = { salon: keys.salon, clinical: options.hasClinical === false ? null : keys.clinical };
	const compaction = options.compactAfterUpdates ? { compactAfterUpdates: options.compactAfterUpdates, compactMinUpdates: 2 } : {};
	const store = new DocStore(storage, roots, { onError: () => {}, ...compaction });
	const logs: SyncLogEntry[] = [];
	const versionSignals: VersionSignal[] = [];
	const node = await SyncNode.create({
		deviceId: name,
		storage,
		store,
		keys: () => roots,
		syncSecret: keys.syncSecret,
		limits: { replyTimeoutMs: 5_000, ...options.limits },
		log: (entry) => logs.push(entry),
		onVersion: (signal) => versionSignals.push(signal),
		...options.node
	});
	return { name, storage, store, node, logs, versionSignals, roots };
}

/** Links two devices over a loopback pair and starts both sessions. */
export function linkDevices(a: TestDevice, b: TestDevice, random?: () => number): LoopbackLink {
	const pair = createLoopbackPair(random);
	a.node.connect(pair.a);
	b.node.connect(pair.b);
	return pair.link;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Waits until no device has anything in flight, several event-loop turns in a row. */
export async function waitForQuiet(devices: TestDevice[], links: LoopbackLink[] = [], maxTurns = 200_000): Promise<void> {
	let quietTurns = 0;
	for (let turn = 0; turn < maxTurns; turn++) {
		await nextTurn();
		const isQuiet = devices.every((d) => d.node.isIdle) && links.every((l) => !l.isBusy);
		quietTurns = isQuiet ? quietTurns + 1 : 0;
		if (quietTurns >= 5) return;
	}
	throw new Error('sync never went quiet');
}

/** The author of test edits. */
export const TEST_AUTHOR = { staff: 'staff-test' as StaffId, staffName: 'Halina Testowa', device: 'test' as DeviceId };

/** Edits a card on a device as a user would; returns the update (null when nothing changed). */
export async function editCard(device: TestDevice, id: ClientId, patch: Partial<ClientProfile>): Promise<Uint8Array | null> {
	const docId = profileDocId(id);
	const doc = await device.store.load(docId);
	try {
		const update = captureUpdate(doc, () => editProfile(doc, patch, { ...TEST_AUTHOR, at: new Date().toISOString() }));
		if (update) await device.store.append(docId, update);
		return update;
	} finally {
		doc.destroy();
	}
}

/** What a user sees of a card on a device (profile and history), plus its Yjs state vector. */
export async function readCard(device: TestDevice, id: ClientId) {
	const doc = await device.store.load(profileDocId(id));
	try {
		return { profile: readProfile(doc), history: readHistory(doc), stateVector: Y.encodeStateVector(doc) };
	} finally {
		doc.destroy();
	}
}

/** The client ids whose profile docs a device holds (not erased). */
export async function listCardIds(device: TestDevice): Promise<ClientId[]> {
	const entries = await device.storage.listRegistry();
	return entries.filter((e) => e.kind === 'profile' && !e.tombstone).map((e) => e.docId.slice('client:'.length) as ClientId);
}

/** Writes one raw Yjs update into a clinical doc (the clinical schema is another issue's). */
export async function writeClinicalNote(device: TestDevice, id: ClientId, text: string): Promise<DocId> {
	const docId = clinicalDocId(id);
	await device.store.createDoc(docId, 'clinical');
	const doc = new Y.Doc();
	const update = captureUpdate(doc, () => doc.getText('note').insert(0, text));
	await device.store.append(docId, update!);
	return docId;
}

/** A MemoryStorage whose writes of received data (appends, adoptions) each take `delayMs`: a slow tablet. */
export function makeSlowStorage(delayMs: number): Storage {
	const inner = new MemoryStorage();
	const slow = new Set<string | symbol>(['appendUpdate', 'adoptDocs']);
	return new Proxy(inner, {
		get(target, prop) {
			const value: unknown = Reflect.get(target, prop);
			if (typeof value !== 'function') return value;
			const bound = value.bind(target) as (...args: unknown[]) => Promise<unknown>;
			if (!slow.has(prop)) return bound;
			return async (...args: unknown[]) => {
				await new Promise((resolve) => setTimeout(resolve, delayMs));
				return bound(...args);
			};
		}
	});
}
