// The catalogue in the `salon` doc: root Y.Maps 'treatments' and 'products' (id -> Y.Map, one key
// per field; a treatment's rules in a nested Y.Map 'rules', rule id -> plain Rule) and
// 'consentTemplates' (`<templateId>@<version>` -> plain ConsentTemplate, never rewritten).
// Guarantees: seedCatalogue writes each missing seed entry as a deterministic Yjs update (built
// in a scratch doc whose client id is a hash of the entry), so two devices seeding offline
// produce the very same items, which Yjs merges into one: one catalogue, no duplicates, and an
// edit made on either device before they met survives. Edits write only changed keys; a consent
// template version is added, never edited; reads skip entries they cannot make sense of.
import * as Y from 'yjs';
import type { Product, Rule, Treatment } from '../domain/clinical/catalogue';
import { PRODUCT_FIELDS, RULE_FIELDS, TREATMENT_FIELDS } from '../domain/clinical/catalogue-schema';
import type { ConsentTemplate } from '../domain/clinical/consent';
import type { ProductId, RuleId, TemplateId, TreatmentId } from '../domain/clinical/ids';
import { assertFields, readFields, TEMPLATE_FIELDS, type Fields } from '../domain/clinical/schema';
import { SEED_CONSENT_TEMPLATES } from '../domain/clinical/seed-consents';
import { SEED_PRODUCTS, SEED_TREATMENTS } from '../domain/clinical/seed-catalogue';
import { AppError } from '../domain/errors';
import { newId } from '../domain/ids';
import { assertReadable, assertWritable, failSchema } from './doc-version';

type Root = 'treatments' | 'products' | 'consentTemplates';
type SeedEntry = { root: Root; key: string; clientId: number; update: Uint8Array };

const collator = new Intl.Collator('pl');

/** The stored key of a template version. */
export function templateKey(templateId: TemplateId, version: number): string {
	return `${templateId}@${version}`;
}

/** Adds every seed entry the doc lacks, in one update; returns how many were added. */
export function seedCatalogue(doc: Y.Doc): number {
	assertWritable(doc);
	const missing = seedEntries().filter((e) => !doc.getMap(e.root).has(e.key));
	if (missing.length === 0) return 0;
	Y.applyUpdate(doc, Y.mergeUpdates(missing.map((e) => e.update)));
	return missing.length;
}

/** Every treatment, by Polish name; archived ones only when asked. */
export function listTreatments(doc: Y.Doc, options: { includeArchived?: boolean } = {}): Treatment[] {
	return listRoot(doc, 'treatments', (id, map) => readTreatmentMap(id as TreatmentId, map))
		.filter((t) => options.includeArchived || !t.archived)
		.sort((a, b) => collator.compare(a.name.pl, b.name.pl) || (a.id < b.id ? -1 : 1));
}

/** One treatment, or null. */
export function readTreatment(doc: Y.Doc, id: TreatmentId): Treatment | null {
	assertReadable(doc);
	const map = doc.getMap('treatments').get(id);
	return map instanceof Y.Map ? readTreatmentMap(id, map) : null;
}

/** Adds a treatment (its rules included) under a new id; returns the id. */
export function addTreatment(doc: Y.Doc, treatment: Omit<Treatment, 'id'>): TreatmentId {
	assertWritable(doc);
	const { rules, ...fields } = treatment;
	assertFields(TREATMENT_FIELDS, fields, 'treatment');
	rules.forEach(assertRule);
	const id = newId<TreatmentId>();
	doc.transact(() => doc.getMap('treatments').set(id, treatmentMap(fields, rules)));
	return id;
}

/** Changes a treatment's fields (not its rules); returns the keys that changed. */
export function editTreatment(doc: Y.Doc, id: TreatmentId, patch: Partial<Omit<Treatment, 'id' | 'rules'>>): string[] {
	return editEntry(doc, 'treatments', TREATMENT_FIELDS, id, patch);
}

/** Adds or replaces one rule of a treatment; returns whether anything changed. */
export function upsertRule(doc: Y.Doc, treatmentId: TreatmentId, rule: Rule): boolean {
	assertWritable(doc);
	assertRule(rule);
	const rules = rulesOf(doc, treatmentId);
	if (JSON.stringify(rules.get(rule.id)) === JSON.stringify(pickRule(rule))) return false;
	doc.transact(() => rules.set(rule.id, pickRule(rule)));
	return true;
}

/** Removes one rule of a treatment; returns whether it was there. */
export function removeRule(doc: Y.Doc, treatmentId: TreatmentId, ruleId: RuleId): boolean {
	assertWritable(doc);
	const rules = rulesOf(doc, treatmentId);
	if (!rules.has(ruleId)) return false;
	doc.transact(() => rules.delete(ruleId));
	return true;
}

/** Every product, by name; archived ones only when asked. */
export function listProducts(doc: Y.Doc, options: { includeArchived?: boolean } = {}): Product[] {
	return listRoot(doc, 'products', (id, map) => readEntry<Product>(PRODUCT_FIELDS, id, map))
		.filter((p) => options.includeArchived || !p.archived)
		.sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
}

/** Adds a product under a new id; returns the id. */
export function addProduct(doc: Y.Doc, product: Omit<Product, 'id'>): ProductId {
	assertWritable(doc);
	assertFields(PRODUCT_FIELDS, product as unknown as Record<string, unknown>, 'product');
	const id = newId<ProductId>();
	doc.transact(() => doc.getMap('products').set(id, fieldsMap(PRODUCT_FIELDS, product as unknown as Record<string, unknown>)));
	return id;
}

/** Changes a product's fields; returns the keys that changed. */
export function editProduct(doc: Y.Doc, id: ProductId, patch: Partial<Omit<Product, 'id'>>): string[] {
	return editEntry(doc, 'products', PRODUCT_FIELDS, id, patch);
}

/** Every template version, by template then version. */
export function listConsentTemplates(doc: Y.Doc): ConsentTemplate[] {
	assertReadable(doc);
	const templates: ConsentTemplate[] = [];
	doc.getMap('consentTemplates').forEach((value, key) => {
		const t = typeof value === 'object' && value !== null ? readFields(TEMPLATE_FIELDS, value as Record<string, unknown>) : null;
		// The key must agree with the content: a template is found by its key, and must say the same.
		if (t && key === templateKey(t.templateId as TemplateId, t.version as number)) templates.push(t as unknown as ConsentTemplate);
	});
	return templates.sort((a, b) => (a.templateId !== b.templateId ? (a.templateId < b.templateId ? -1 : 1) : a.version - b.version));
}

/** The newest version of a template, or null. */
export function latestTemplate(doc: Y.Doc, templateId: TemplateId): ConsentTemplate | null {
	return listConsentTemplates(doc).filter((t) => t.templateId === templateId).pop() ?? null;
}

/** Adds the next version of a template (or version 1 of a new one); never changes an existing version. */
export function addTemplateVersion(doc: Y.Doc, template: Omit<ConsentTemplate, 'version' | 'templateId'> & { templateId?: TemplateId }): ConsentTemplate {
	assertWritable(doc);
	const templateId = template.templateId ?? newId<TemplateId>();
	const version = (latestTemplate(doc, templateId)?.version ?? 0) + 1;
	const next: ConsentTemplate = { ...template, templateId, version };
	assertFields(TEMPLATE_FIELDS, next as unknown as Record<string, unknown>, 'template');
	const key = templateKey(templateId, version);
	if (doc.getMap('consentTemplates').has(key)) failSchema(`template ${key} exists`);
	doc.transact(() => doc.getMap('consentTemplates').set(key, readFields(TEMPLATE_FIELDS, next as unknown as Record<string, unknown>)));
	return next;
}

let seeds: SeedEntry[] | null = null;

// Built once per session; the same bytes on every device running this release.
function seedEntries(): SeedEntry[] {
	seeds ??= [
		...SEED_TREATMENTS.map(({ id, rules, ...fields }) => seedEntry('treatments', id, (m) => m.set(id, treatmentMap(fields, rules)))),
		...SEED_PRODUCTS.map(({ id, ...fields }) => seedEntry('products', id, (m) => m.set(id, fieldsMap(PRODUCT_FIELDS, fields as unknown as Record<string, unknown>)))),
		...SEED_CONSENT_TEMPLATES.map((t) => {
			const key = templateKey(t.templateId, t.version);
			return seedEntry('consentTemplates', key, (m) => m.set(key, readFields(TEMPLATE_FIELDS, t as unknown as Record<string, unknown>)));
		})
	];
	return seeds;
}

/** The deterministic client id of a seed entry: 32-bit FNV-1a of its content as Yjs encodes it. */
export function seedClientId(contentUpdate: Uint8Array): number {
	let hash = 0x811c9dc5;
	for (const byte of contentUpdate) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
	return hash;
}

/** Every seed entry of this release with its client id and update (for tests and diagnostics). */
export function catalogueSeeds(): readonly Readonly<SeedEntry>[] {
	return seedEntries();
}

function seedEntry(root: Root, key: string, write: (map: Y.Map<unknown>) => void): SeedEntry {
	const build = (clientId: number) => {
		const scratch = new Y.Doc();
		scratch.clientID = clientId;
		write(scratch.getMap(root));
		const update = Y.encodeStateAsUpdate(scratch);
		scratch.destroy();
		return update;
	};
	// The id hashes the entry exactly as written (keys, order, values), so whatever changes what a
	// release writes changes the id too: one (client, clock) never stands for two contents.
	const clientId = seedClientId(build(0));
	return { root, key, clientId, update: build(clientId) };
}

function treatmentMap(fields: Omit<Treatment, 'id' | 'rules'>, rules: readonly Rule[]): Y.Map<unknown> {
	const map = fieldsMap(TREATMENT_FIELDS, fields as unknown as Record<string, unknown>);
	const ruleMap = new Y.Map<unknown>();
	for (const rule of rules) ruleMap.set(rule.id, pickRule(rule));
	map.set('rules', ruleMap);
	return map;
}

// A prelim Y.Map: its keys are integrated when it is inserted, in this (fixed) order.
function fieldsMap(fields: Fields, value: Record<string, unknown>): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	for (const key of Object.keys(fields)) if (value[key] !== undefined) map.set(key, structuredClone(value[key]));
	return map;
}

function readTreatmentMap(id: TreatmentId, map: Y.Map<unknown>): Treatment | null {
	const base = readEntry<Omit<Treatment, 'rules'>>(TREATMENT_FIELDS, id, map);
	if (!base) return null;
	const rules: Rule[] = [];
	const stored = map.get('rules');
	// Rules keep their insertion order, which is the order the salon (or the seed) gave them.
	if (stored instanceof Y.Map) {
		stored.forEach((value) => {
			const rule = typeof value === 'object' && value !== null ? readFields(RULE_FIELDS, value as Record<string, unknown>) : null;
			if (rule) rules.push(rule as unknown as Rule);
		});
	}
	return { ...base, rules } as Treatment;
}

function readEntry<T>(fields: Fields, id: string, map: Y.Map<unknown>): T | null {
	const record = readFields(fields, (k) => map.get(k));
	return record ? ({ id, ...record } as T) : null;
}

function listRoot<T>(doc: Y.Doc, root: Root, read: (id: string, map: Y.Map<unknown>) => T | null): T[] {
	assertReadable(doc);
	const out: T[] = [];
	doc.getMap(root).forEach((value, id) => {
		const entry = value instanceof Y.Map ? read(id, value) : null;
		if (entry) out.push(entry);
	});
	return out;
}

function editEntry(doc: Y.Doc, root: Root, fields: Fields, id: string, patch: Record<string, unknown>): string[] {
	assertWritable(doc);
	const map = doc.getMap(root).get(id);
	if (!(map instanceof Y.Map)) throw new AppError('not-found', `${root}/${id}`);
	for (const [key, value] of Object.entries(patch)) {
		if (!(key in fields)) failSchema(`unknown field ${root}.${key}`);
		if (!fields[key].check(value)) failSchema(`${root}.${key} = ${JSON.stringify(value)}`);
	}
	const changed = Object.keys(patch).filter((key) => JSON.stringify(map.get(key)) !== JSON.stringify(patch[key]));
	if (changed.length > 0) doc.transact(() => changed.forEach((key) => map.set(key, structuredClone(patch[key]))));
	return changed;
}

function rulesOf(doc: Y.Doc, treatmentId: TreatmentId): Y.Map<unknown> {
	const map = doc.getMap('treatments').get(treatmentId);
	const rules = map instanceof Y.Map ? map.get('rules') : undefined;
	if (!(rules instanceof Y.Map)) throw new AppError('not-found', `treatments/${treatmentId}/rules`);
	return rules;
}

function assertRule(rule: Rule): void {
	assertFields(RULE_FIELDS, rule as unknown as Record<string, unknown>, 'rule');
}

// Only the known properties: a caller's extras must not end up synced to every device.
function pickRule(rule: Rule): Rule {
	return structuredClone({ id: rule.id, label: { pl: rule.label.pl, en: rule.label.en }, trigger: rule.trigger, weight: rule.weight });
}
