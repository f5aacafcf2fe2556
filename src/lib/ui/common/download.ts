// Saving a file the app made: the streamed parts become a Blob (which browsers keep on disk when
// large) and a download. One path for every browser, iPad Safari included; streaming straight to
// disk through the File System Access API is left for when backups reach gigabytes.

/** Saves streamed bytes as a file named `name`. */
export async function saveFile(parts: AsyncIterable<Uint8Array>, name: string, type: string): Promise<void> {
	const chunks: BlobPart[] = [];
	for await (const part of parts) chunks.push(part as Uint8Array<ArrayBuffer>);
	const url = URL.createObjectURL(new Blob(chunks, { type }));
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Wraps one buffer as the async iterable saveFile takes. */
export async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
	yield bytes;
}
