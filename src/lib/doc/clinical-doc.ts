// The clinical doc `clinical:<id>` in Yjs: root Y.Maps 'interviews', 'patchTests',
// 'skinAssessments', 'lifestyle' and 'visits' (record id -> Y.Map, one key per field), root
// Y.Array 'history' (ChangeRecord plain objects), root Y.Map 'meta' ({schema}). Guarantees: every
// record is its own Y.Map under a fresh UUID, so two devices adding records at once both keep
// theirs; an edit writes only the keys that change, plus one history entry, in one transaction;
// a visit's start is written once and a block without an override reason is refused; the doc
// initialises itself on first write (two devices doing so concurrently agree, it holds no data);
// keys this version does not know are never touched; reads skip what they cannot make sense of.
import * as Y from 'yjs';
import type { ConsentRecord } from '../domain/clinical/consent';
import type { InterviewId, LifestyleId, PatchTestId, SkinAssessmentId, VisitId } from '../domain/clinical/ids';
import type { HealthInterview, Lifestyle, PatchTest, PatchTestResult, SkinAssessment } from '../domain/clinical/interview';
import {
	assertFields,
	INTERVIEW_FIELDS,
	LIFESTYLE_FIELDS,
	PATCH_TEST_FIELDS,
	readFields,
	SKIN_FIELDS,
	VISIT_COMPLETION_FIELDS,
	VISIT_START_FIELDS,
	type Fields
} from '../domain/clinical/schema';
import { summariseClinical, type ClinicalSummary } from '../domain/clinical/summary';
import type { Visit, VisitCompletion, VisitStart } from '../domain/clinical/visit';
import { hasBlocking } from '../domain/clinical/warning';
import type { ChangeRecord } from '../domain/client';
import { AppError } from '../domain/errors';
import { newId } from '../domain/ids';
import { assertReadable, docMajorVersion, failSchema, getMeta, SCHEMA_MAJOR } from './doc-version';
import type { ChangeAuthor } from './profile-doc';
import { assertChange, readChangeRecord } from './profile-schema';

type Section = 'interviews' | 'patchTests' | 'skinAssessments' | 'lifestyle' | 'visits';

/** Content of a new interview: the author supplies when and who. */
export type InterviewInput = Omit<HealthInterview, 'id' | 'at' | 'staff'>;
/** Content of a new patch test: the author is the staff member. */
export type PatchTestInput = Omit<PatchTest, 'id' | 'staff'>;
/** Content of a new skin assessment. */
export type SkinAssessmentInput = Omit<SkinAssessment, 'id' | 'at' | 'staff'>;
/** Content of a new lifestyle entry. */
export type LifestyleInput = Omit<Lifestyle, 'id' | 'at' | 'staff'>;
/** A visit's start: the author supplies when; `staff` is the performer, who may be someone else. */
export type VisitStartInput = Omit<VisitStart, 'at'>;
/** A visit's completion: the author supplies when and who. */
export type VisitCompletionInput = Omit<VisitCompletion, 'completedAt' | 'completedBy'>;

/** Marks a blank clinical doc with this schema version; a no-op on an initialised one. */
export function initClinicalDoc(doc: Y.Doc): void {
	assertReadable(doc);
	if (docMajorVersion(doc) === null) getMeta(doc).set('schema', SCHEMA_MAJOR);
}

/** Adds a signed interview; throws unless the statement is confirmed and a signature is there. */
export function addInterview(doc: Y.Doc, input: InterviewInput, author: ChangeAuthor): InterviewId {
	return addRecord(doc, 'interviews', INTERVIEW_FIELDS, { ...input, at: author.at, staff: author.staff }, author);
}

/** Every interview, newest first. */
export function listInterviews(doc: Y.Doc): HealthInterview[] {
	return newestFirst(readSection<HealthInterview>(doc, 'interviews', INTERVIEW_FIELDS), (r) => r.at);
}

/** Adds a patch test (usually 'not-read' until someone reads it). */
export function addPatchTest(doc: Y.Doc, input: PatchTestInput, author: ChangeAuthor): PatchTestId {
	return addRecord(doc, 'patchTests', PATCH_TEST_FIELDS, { ...input, staff: author.staff }, author);
}

/** Records the result of a patch test; returns whether it changed. */
export function setPatchTestResult(doc: Y.Doc, id: PatchTestId, result: PatchTestResult, author: ChangeAuthor): boolean {
	return editRecord(doc, 'patchTests', PATCH_TEST_FIELDS, id, { result }, author).length > 0;
}

/** Every patch test, newest first. */
export function listPatchTests(doc: Y.Doc): PatchTest[] {
	return newestFirst(readSection<PatchTest>(doc, 'patchTests', PATCH_TEST_FIELDS), (r) => r.date);
}

/** Adds a dated skin assessment. */
export function addSkinAssessment(doc: Y.Doc, input: SkinAssessmentInput, author: ChangeAuthor): SkinAssessmentId {
	return addRecord(doc, 'skinAssessments', SKIN_FIELDS, { ...input, at: author.at, staff: author.staff }, author);
}

/** Every skin assessment, newest first. */
export function listSkinAssessments(doc: Y.Doc): SkinAssessment[] {
	return newestFirst(readSection<SkinAssessment>(doc, 'skinAssessments', SKIN_FIELDS), (r) => r.at);
}

/** Adds a dated lifestyle and home-care entry. */
export function addLifestyle(doc: Y.Doc, input: LifestyleInput, author: ChangeAuthor): LifestyleId {
	return addRecord(doc, 'lifestyle', LIFESTYLE_FIELDS, { ...input, at: author.at, staff: author.staff }, author);
}

/** Every lifestyle entry, newest first. */
export function listLifestyle(doc: Y.Doc): Lifestyle[] {
	return newestFirst(readSection<Lifestyle>(doc, 'lifestyle', LIFESTYLE_FIELDS), (r) => r.at);
}

/** Starts a visit; throws when a warning blocks and no override reason is given. */
export function startVisit(doc: Y.Doc, input: VisitStartInput, author: ChangeAuthor): VisitId {
	const started = { ...input, at: author.at };
	assertFields(VISIT_START_FIELDS, started, 'visit.started');
	if (hasBlocking(input.warnings) && !input.overrideReason?.trim()) failSchema('a blocking warning needs an override reason');
	assertChange(author);
	const id = newId<VisitId>();
	transactWrite(doc, () => {
		const map = new Y.Map<unknown>();
		getSection(doc, 'visits').set(id, map);
		// One plain object: the start is what was checked and shown at that moment, never edited.
		map.set('started', readFields(VISIT_START_FIELDS, started));
		pushHistory(doc, author, [`visits/${id}/started`]);
	});
	return id;
}

/** Completes a visit, or edits its completion; writes only changed fields; returns them. */
export function completeVisit(doc: Y.Doc, id: VisitId, input: VisitCompletionInput, author: ChangeAuthor): string[] {
	const existing = getSection(doc, 'visits').get(id);
	const prior = existing instanceof Y.Map ? existing.get('completedAt') : undefined;
	// The first completion says when and by whom; later edits are in the history.
	const stamp = typeof prior === 'string' ? {} : { completedAt: author.at, completedBy: author.staff };
	const current = existing instanceof Y.Map ? readFields(VISIT_COMPLETION_FIELDS, (k) => existing.get(k)) : null;
	assertFields(VISIT_COMPLETION_FIELDS, { ...(current ?? {}), ...input, ...stamp }, 'visit.completed');
	return editRecord(doc, 'visits', VISIT_COMPLETION_FIELDS, id, { ...input, ...stamp }, author);
}

/** One visit, or null when the card has no readable visit of that id. */
export function readVisit(doc: Y.Doc, id: VisitId): Visit | null {
	assertReadable(doc);
	return readVisitMap(id, getSection(doc, 'visits').get(id));
}

/** Every visit, newest first (the card's timeline). */
export function listVisits(doc: Y.Doc): Visit[] {
	assertReadable(doc);
	const visits: Visit[] = [];
	getSection(doc, 'visits').forEach((value, id) => {
		const visit = readVisitMap(id as VisitId, value);
		if (visit) visits.push(visit);
	});
	return newestFirst(visits, (v) => v.started.at);
}

/** The doc's change history, newest first. */
export function readClinicalHistory(doc: Y.Doc): ChangeRecord[] {
	assertReadable(doc);
	const records = doc.getArray('history').toArray().map(readChangeRecord).filter((r): r is ChangeRecord => r !== null);
	return records.reverse().sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/** The summary to seal beside the doc; re-derive it after every write and every merge. */
export function clinicalSummary(doc: Y.Doc, profileConsents: readonly ConsentRecord[], timeZone?: string): ClinicalSummary {
	return summariseClinical({
		interviews: listInterviews(doc),
		visits: listVisits(doc),
		patchTests: listPatchTests(doc),
		consents: profileConsents,
		timeZone
	});
}

function getSection(doc: Y.Doc, section: Section): Y.Map<unknown> {
	return doc.getMap(section);
}

function readVisitMap(id: VisitId, value: unknown): Visit | null {
	if (!(value instanceof Y.Map)) return null;
	const started = value.get('started');
	const start = typeof started === 'object' && started !== null ? readFields(VISIT_START_FIELDS, started as Record<string, unknown>) : null;
	if (!start) return null;
	const completed = readFields(VISIT_COMPLETION_FIELDS, (k) => value.get(k));
	return { id, started: start as unknown as VisitStart, completed: completed as unknown as VisitCompletion | null };
}

function readSection<T>(doc: Y.Doc, section: Section, fields: Fields): T[] {
	assertReadable(doc);
	const records: T[] = [];
	getSection(doc, section).forEach((value, id) => {
		if (!(value instanceof Y.Map)) return;
		const record = readFields(fields, (k) => value.get(k));
		if (record) records.push({ id, ...record } as T);
	});
	return records;
}

function addRecord<Id extends string>(doc: Y.Doc, section: Section, fields: Fields, value: Record<string, unknown>, author: ChangeAuthor): Id {
	assertFields(fields, value, section);
	assertChange(author);
	const id = newId<Id>();
	// Only the known fields, freshly copied: a caller's extras must not end up synced everywhere.
	const record = readFields(fields, value)!;
	transactWrite(doc, () => {
		const map = new Y.Map<unknown>();
		getSection(doc, section).set(id, map);
		for (const [key, v] of Object.entries(record)) map.set(key, v);
		pushHistory(doc, author, [`${section}/${id}`]);
	});
	return id;
}

function editRecord(doc: Y.Doc, section: Section, fields: Fields, id: string, patch: Record<string, unknown>, author: ChangeAuthor): string[] {
	assertReadable(doc);
	assertChange(author);
	const map = getSection(doc, section).get(id);
	if (!(map instanceof Y.Map)) throw new AppError('not-found', `${section}/${id}`);
	for (const [key, v] of Object.entries(patch)) {
		if (!(key in fields)) failSchema(`unknown field ${section}.${key}`);
		if (!fields[key].check(v)) failSchema(`${section}.${key} = ${JSON.stringify(v)}`);
	}
	const changed = Object.keys(patch).filter((key) => JSON.stringify(map.get(key)) !== JSON.stringify(patch[key]));
	if (changed.length === 0) return [];
	transactWrite(doc, () => {
		for (const key of changed) map.set(key, structuredClone(patch[key]));
		pushHistory(doc, author, changed.map((key) => `${section}/${id}/${key}`));
	});
	return changed;
}

function transactWrite(doc: Y.Doc, write: () => void): void {
	assertReadable(doc);
	doc.transact(() => {
		initClinicalDoc(doc);
		write();
	});
}

function pushHistory(doc: Y.Doc, author: ChangeAuthor, fields: string[]): void {
	const record: ChangeRecord = { at: author.at, staff: author.staff, staffName: author.staffName, device: author.device, fields };
	doc.getArray('history').push([record]);
}

function newestFirst<T>(items: T[], key: (item: T) => string): T[] {
	return items.sort((a, b) => {
		const x = key(a);
		const y = key(b);
		// Ties by id, so every device lists concurrent records in the same order.
		return x !== y ? (x < y ? 1 : -1) : (a as { id: string }).id < (b as { id: string }).id ? 1 : -1;
	});
}
