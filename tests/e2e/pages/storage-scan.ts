// Reads everything the browser keeps for the app's origin (every IndexedDB database, store, key,
// index key and value, Cache Storage, localStorage, sessionStorage and OPFS) from the page and
// reports where any of the given strings appears, as text or as UTF-8 or UTF-16 bytes. A planted
// canary proves the scanner sees each kind of place, so a blind scanner cannot pass.
import type { Page } from '@playwright/test';

/** The canary a scan must find (planted by plantCanary). */
export const CANARY = 'Kanarek-Żółty-42';

/** What a scan found and how much it looked at. */
export interface ScanResult {
	hits: string[];
	databases: number;
	storesSeen: number;
	valuesSeen: number;
}

/** Plants the canary as UTF-8 bytes in IndexedDB, as UTF-16 bytes in a Blob and as text in sessionStorage. */
export async function plantCanary(page: Page): Promise<void> {
	await page.evaluate(async (canary: string) => {
		sessionStorage.setItem('scan-control', canary);
		const db = await new Promise<IDBDatabase>((resolve) => {
			const req = indexedDB.open('scan-control');
			req.onupgradeneeded = () => req.result.createObjectStore('s');
			req.onsuccess = () => resolve(req.result);
		});
		const utf16 = new Uint16Array([...canary].map((c) => c.charCodeAt(0)));
		await new Promise((resolve) => {
			const tx = db.transaction('s', 'readwrite');
			tx.objectStore('s').put({ bytes: new TextEncoder().encode(canary), blob: new Blob([utf16]) }, 1);
			tx.oncomplete = resolve;
		});
		db.close();
	}, CANARY);
}

/** Scans every browser storage of the page's origin for `needles`. */
export async function scanBrowserStorage(page: Page, needles: string[]): Promise<ScanResult> {
	return page.evaluate(async (needles: string[]) => {
		const hits: string[] = [];
		const utf8 = needles.map((n) => new TextEncoder().encode(n));
		const utf16 = needles.map((n) => {
			const b = new Uint8Array(n.length * 2);
			for (let i = 0; i < n.length; i++) {
				b[2 * i] = n.charCodeAt(i) & 0xff;
				b[2 * i + 1] = n.charCodeAt(i) >> 8;
			}
			return b;
		});
		const hasBytes = (hay: Uint8Array, needle: Uint8Array) => {
			outer: for (let i = 0; i + needle.length <= hay.length; i++) {
				for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
				return true;
			}
			return false;
		};
		const checkBytes = (bytes: Uint8Array, where: string) => {
			needles.forEach((n, i) => {
				if (hasBytes(bytes, utf8[i]) || hasBytes(bytes, utf16[i])) hits.push(`${where}: ${n}`);
			});
		};
		const checkText = (text: string, where: string) => {
			for (const n of needles) if (text.includes(n)) hits.push(`${where}: ${n}`);
		};
		let valuesSeen = 0;
		const walk = async (v: unknown, where: string, depth = 0): Promise<void> => {
			valuesSeen++;
			if (v == null || depth > 20) return;
			if (typeof v === 'string') return checkText(v, where);
			if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return;
			if (v instanceof ArrayBuffer) return checkBytes(new Uint8Array(v), where);
			if (ArrayBuffer.isView(v)) return checkBytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), where);
			if (v instanceof Blob) return checkBytes(new Uint8Array(await v.arrayBuffer()), where);
			if (v instanceof Date) return;
			if (v instanceof Map) {
				for (const [k, val] of v) {
					await walk(k, where, depth + 1);
					await walk(val, where, depth + 1);
				}
				return;
			}
			if (Array.isArray(v) || v instanceof Set) {
				for (const x of v) await walk(x, where, depth + 1);
				return;
			}
			for (const [k, val] of Object.entries(v as object)) {
				checkText(k, `${where} (key)`);
				await walk(val, where, depth + 1);
			}
		};

		// IndexedDB: every database, every store, every key and value.
		const dbs = await indexedDB.databases();
		let storesSeen = 0;
		for (const info of dbs) {
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const req = indexedDB.open(info.name!);
				req.onsuccess = () => resolve(req.result);
				req.onerror = () => reject(req.error);
			});
			for (const storeName of Array.from(db.objectStoreNames)) {
				storesSeen++;
				const tx = db.transaction(storeName, 'readonly');
				const store = tx.objectStore(storeName);
				const [keys, values] = await Promise.all(
					[store.getAllKeys(), store.getAll()].map(
						(req) => new Promise<unknown[]>((resolve, reject) => {
							req.onsuccess = () => resolve(req.result as unknown[]);
							req.onerror = () => reject(req.error);
						})
					)
				);
				await walk(keys, `idb ${info.name}/${storeName} keys`);
				await walk(values, `idb ${info.name}/${storeName}`);
				for (const indexName of Array.from(store.indexNames)) {
					const idxKeys = await new Promise<unknown[]>((resolve, reject) => {
						const req = store.index(indexName).getAllKeys();
						req.onsuccess = () => resolve(req.result as unknown[]);
						req.onerror = () => reject(req.error);
					});
					await walk(idxKeys, `idb ${info.name}/${storeName}/${indexName}`);
				}
			}
			db.close();
		}
		// Cache Storage.
		for (const cacheName of await caches.keys()) {
			const cache = await caches.open(cacheName);
			for (const req of await cache.keys()) {
				checkText(req.url, `cache ${cacheName} url`);
				const res = await cache.match(req);
				if (res) checkBytes(new Uint8Array(await res.arrayBuffer()), `cache ${cacheName} ${req.url}`);
			}
		}
		// Web storage.
		for (const [name, store] of [['localStorage', localStorage], ['sessionStorage', sessionStorage]] as const) {
			for (let i = 0; i < store.length; i++) {
				const k = store.key(i)!;
				checkText(k, `${name} key`);
				checkText(store.getItem(k) ?? '', `${name} ${k}`);
			}
		}
		// OPFS.
		const walkDir = async (dir: FileSystemDirectoryHandle, path: string): Promise<void> => {
			for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
				checkText(name, `opfs ${path}`);
				if (handle.kind === 'file') checkBytes(new Uint8Array(await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer()), `opfs ${path}/${name}`);
				else await walkDir(handle as FileSystemDirectoryHandle, `${path}/${name}`);
			}
		};
		await walkDir(await navigator.storage.getDirectory(), '');
		return { hits, databases: dbs.length, storesSeen, valuesSeen };
	}, needles);
}
