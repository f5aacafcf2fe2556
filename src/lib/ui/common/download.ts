// Saving a file the app made. Where the browser lets us (File System Access API) the bytes stream
// straight to disk, so a backup of gigabytes never sits in memory; elsewhere they become a Blob
// (which browsers may keep on disk) and a download link.

/** Saves streamed bytes as a file named `name`. Returns false when the user cancelled. */
export async function saveFile(parts: AsyncIterable<Uint8Array>, name: string, type: string): Promise<boolean> {
	const picker = (globalThis as { showSaveFilePicker?: (o: object) => Promise<FileSystemFileHandle> }).showSaveFilePicker;
	if (picker) {
		let handle: FileSystemFileHandle;
		try {
			handle = await picker({ suggestedName: name });
		} catch (e) {
			if ((e as Error).name === 'AbortError') return false;
			throw e;
		}
		const writable = await handle.createWritable();
		try {
			for await (const part of parts) await writable.write(part as Uint8Array<ArrayBuffer>);
			await writable.close();
		} catch (e) {
			await writable.abort();
			throw e;
		}
		return true;
	}
	const chunks: BlobPart[] = [];
	for await (const part of parts) chunks.push(part as Uint8Array<ArrayBuffer>);
	const url = URL.createObjectURL(new Blob(chunks, { type }));
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
	return true;
}

/** Wraps one buffer as the async iterable saveFile takes. */
export async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
	yield bytes;
}
