// SHA-256 through WebCrypto, for hashing exactly what a client signed (a consent text version, an
// interview as shown). Guarantees: text is hashed as its UTF-8 bytes; the result is lowercase hex,
// the form domain/clinical/consent.ts's isSignature accepts.

/** The SHA-256 of `data` (a string is hashed as UTF-8) in lowercase hex. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
	const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
	const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
	return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
