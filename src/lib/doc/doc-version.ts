// The major schema version every doc carries in its root map 'meta'. Guarantees: this version
// reads and writes only docs of a major version it knows; a doc from a newer major version is
// refused with `newer-version` and left untouched, so the app can say it needs updating.
import * as Y from 'yjs';
import { AppError } from '../domain/errors';

/** The major schema version this app writes; bumped only by a breaking change, which we avoid. */
export const SCHEMA_MAJOR = 1;

/** The root map holding `{schema}`; shared by every kind of doc. */
export function getMeta(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap('meta');
}

/** The doc's major schema version, or null when the doc was never initialised (or not yet synced). */
export function docMajorVersion(doc: Y.Doc): number | null {
	const schema = getMeta(doc).get('schema');
	return typeof schema === 'number' ? schema : null;
}

/** Whether this app understands the doc (initialised, with a major version it knows). */
export function isKnownVersion(doc: Y.Doc): boolean {
	const major = docMajorVersion(doc);
	return major !== null && major <= SCHEMA_MAJOR;
}

/** Throws `newer-version` when the doc comes from a newer app; an uninitialised doc reads as empty. */
export function assertReadable(doc: Y.Doc): void {
	const major = docMajorVersion(doc);
	if (major !== null && major > SCHEMA_MAJOR) throw new AppError('newer-version', `schema ${major}`);
}

/** Throws unless the doc is initialised with a major version this app may write. */
export function assertWritable(doc: Y.Doc): void {
	assertReadable(doc);
	// Editing a doc whose init has not arrived would create a card without its schema marker.
	if (docMajorVersion(doc) === null) throw new AppError('invalid-input', 'doc not initialised');
}

/** Throws unless the doc is still blank, so an init never overwrites data. */
export function assertBlank(doc: Y.Doc): void {
	if (docMajorVersion(doc) !== null) throw new AppError('invalid-input', 'doc already initialised');
}

/** Throws `invalid-input`: a local write that breaks the schema is a bug, never a user error. */
export function failSchema(detail: string): never {
	throw new AppError('invalid-input', `schema: ${detail}`);
}
