// The contraindication rule engine. Guarantees: pure (no clock: "today" is an argument); every
// rule of the treatment is checked against the card's interview, the pre-treatment check, patch
// tests, medications, allergies (against the treatment's products too), age and earlier visits;
// each warning names the rule and the entry that triggered it; an entry whose date the card does
// not know, or a question nobody answered, makes a rule warn and never lets it pass silently.
// evaluateRules and evaluateFromSummary are one engine: the full records are summarised first.
import { AppError } from '../errors';
import type { AllergenId } from './allergens';
import type { Product, Rule, RuleTrigger, RuleWeight, Treatment } from './catalogue';
import { hasActiveConsent, CONSENT_KINDS, type ConsentKind, type ConsentRecord } from './consent';
import { ageOn, dayNumber } from './days';
import type { LocalizedText, RuleId } from './ids';
import type { ConditionId, HealthInterview, PatchTest } from './interview';
import { BUILT_IN_RULE_LABELS, type BuiltInRuleId } from './labels';
import { EMPTY_CLINICAL_SUMMARY, flaggedMedications, summariseClinical, type ClinicalSummary, type SummaryMedication, type SummaryProcedure } from './summary';
import type { PreTreatmentCheck, Visit } from './visit';
import type { Warning, WarningEntry, WarningReason } from './warning';

/** How old an interview may be before it is itself a warning (about 6 months). */
export const DEFAULT_INTERVIEW_MAX_AGE_DAYS = 183;

/** What a treatment is checked against when only the summary is at hand. */
export interface RuleContext {
	treatment: Treatment;
	/** The products the treatment uses (see productsOf). */
	products: readonly Product[];
	/** The salon's `YYYY-MM-DD`. */
	today: string;
	birthDate: string | null;
	/** Consent kinds in force now (from the profile: the parent's consent for a minor). */
	activeConsents: readonly ConsentKind[];
	/** This visit's check; null or absent when nobody asked (the client list, bulk evaluation). */
	check?: PreTreatmentCheck | null;
	interviewMaxAgeDays?: number;
}

/** What a treatment is checked against when the card is open. */
export interface RuleInput extends Omit<RuleContext, 'activeConsents'> {
	/** The latest interview, or null. */
	interview: HealthInterview | null;
	patchTests: readonly PatchTest[];
	/** Earlier visits of this salon (not the one being started). */
	visits: readonly Visit[];
	consents: readonly ConsentRecord[];
	timeZone?: string;
}

/** Evaluates the treatment's rules against the open card's records. */
export function evaluateRules(input: RuleInput): Warning[] {
	const { interview, patchTests, visits, consents, timeZone, ...context } = input;
	const summary = summariseClinical({ interviews: interview ? [interview] : [], visits, patchTests, timeZone });
	const activeConsents = CONSENT_KINDS.filter((kind) => hasActiveConsent(consents, kind));
	return evaluateFromSummary(summary, { ...context, activeConsents });
}

/** Evaluates the treatment's rules against a stored clinical summary (null: no clinical record yet). */
export function evaluateFromSummary(summary: ClinicalSummary | null, ctx: RuleContext): Warning[] {
	const today = dayNumber(ctx.today);
	if (today === null) throw new AppError('invalid-input', `today = ${ctx.today}`);
	const card = new CardFacts(summary ?? EMPTY_CLINICAL_SUMMARY, ctx.check ?? null, ctx.today, today);
	const out: Warning[] = [];
	const maxAge = ctx.interviewMaxAgeDays ?? DEFAULT_INTERVIEW_MAX_AGE_DAYS;
	const interviewAge = card.daysAgo(card.s.interviewDate);
	if (card.s.interviewDate === null) out.push(builtIn('interview-missing', 'warns', 'not-asked', { type: 'interview', date: null }));
	else if (interviewAge === null || interviewAge > maxAge) {
		out.push(builtIn('interview-stale', 'warns', 'matched', { type: 'interview', date: card.s.interviewDate }));
	}
	for (const rule of ctx.treatment.rules) out.push(...evaluateRule(rule, card, ctx));
	if (ctx.treatment.needsPatchTest && !ctx.treatment.rules.some((r) => r.trigger.type === 'patch-test')) {
		const implicit: Rule = { id: 'patch-test' as RuleId, label: { ...BUILT_IN_RULE_LABELS['patch-test'] }, trigger: { type: 'patch-test' }, weight: 'blocks' };
		out.push(...evaluateRule(implicit, card, ctx));
	}
	out.push(...productAllergenWarnings(card, ctx));
	if (ctx.check?.newMedication === true && ctx.check.medications.length === 0 && hasTrigger(ctx.treatment, 'medication-flag')) {
		out.push(builtIn('new-medication-undescribed', 'warns', 'not-asked', { type: 'check', question: 'newMedication' }));
	}
	if (ctx.check?.procedureElsewhere === true && ctx.check.procedures.length === 0 && hasTrigger(ctx.treatment, 'recent-procedure')) {
		out.push(builtIn('procedure-undescribed', 'warns', 'not-asked', { type: 'check', question: 'procedureElsewhere' }));
	}
	// Blocking first; otherwise the catalogue's order, which the salon chose.
	return [...out.filter((w) => w.weight === 'blocks'), ...out.filter((w) => w.weight === 'warns')];
}

/** The card's facts for one evaluation: the summary plus this visit's check answers. */
class CardFacts {
	readonly conditions: Map<ConditionId, 'interview' | 'check'>;
	readonly medications: SummaryMedication[];
	readonly procedures: SummaryProcedure[];
	readonly tanDates: string[];

	constructor(
		readonly s: ClinicalSummary,
		readonly check: PreTreatmentCheck | null,
		readonly todayDate: string,
		readonly today: number
	) {
		this.conditions = new Map(s.conditions.map((c) => [c, 'interview' as const]));
		this.medications = s.medications;
		this.procedures = s.procedures;
		this.tanDates = s.tanDate ? [s.tanDate] : [];
		if (!check) return;
		// The check asks about now; its "yes" adds to the record, its "no" never erases it.
		if (check.pregnancy === true) this.conditions.set('pregnancy-breastfeeding', 'check');
		if (check.herpesNow === true) this.conditions.set('active-infection', 'check');
		this.medications = [...s.medications, ...flaggedMedications(check.medications)];
		const described = check.procedures.map((p) => ({ kind: p.kind, date: p.date, where: 'elsewhere' as const, undated: p.date === null }));
		this.procedures = [...s.procedures, ...described];
		// A tan reported without a day is taken as today's: the most cautious reading.
		if (check.tanOrSun === true) this.tanDates.push(check.tanDate ?? todayDate);
	}

	/** Days from `date` to today (negative for a future date), or null when unknown or malformed. */
	daysAgo(date: string | null): number | null {
		const n = date === null ? null : dayNumber(date);
		return n === null ? null : this.today - n;
	}

	/** Whether `date` lies at most `days` days back (a future date counts: it is not over yet). */
	isWithin(date: string, days: number): boolean | null {
		const ago = this.daysAgo(date);
		return ago === null ? null : ago <= days;
	}
}

function evaluateRule(rule: Rule, card: CardFacts, ctx: RuleContext): Warning[] {
	const warn = (reason: WarningReason, entry: WarningEntry): Warning => ({
		ruleId: rule.id,
		label: rule.label,
		weight: reason === 'matched' ? rule.weight : 'warns',
		reason,
		entry
	});
	const t: RuleTrigger = rule.trigger;
	switch (t.type) {
		case 'condition': {
			const source = card.conditions.get(t.condition);
			return source ? [warn('matched', { type: 'condition', condition: t.condition, source })] : [];
		}
		case 'medication-flag':
			return card.medications
				.filter((m) => m.flags.includes(t.flag))
				.flatMap((m) => {
					const entry: WarningEntry = { type: 'medication', name: m.name, flag: t.flag, lastTaken: m.lastTaken };
					if (m.lastTaken === 'ongoing') return [warn('matched', entry)];
					const within = m.lastTaken === null ? null : card.isWithin(m.lastTaken, t.lookBackDays);
					return within === null ? [warn('date-unknown', entry)] : within ? [warn('matched', entry)] : [];
				});
		case 'allergen':
			return card.s.allergies
				.filter((a) => a.allergens.includes(t.allergen))
				.map((a) => warn('matched', { type: 'allergy', allergen: t.allergen, text: a.text, productId: null, productName: null }));
		case 'recent-procedure': {
			const same = card.procedures.filter((p) => p.kind === t.procedureKind);
			const recent = same
				.filter((p) => p.date !== null && card.isWithin(p.date, t.withinDays) !== false)
				.sort((a, b) => (a.date! < b.date! ? 1 : -1))[0];
			if (recent) {
				const known = card.isWithin(recent.date!, t.withinDays) !== null;
				return [warn(known ? 'matched' : 'date-unknown', { type: 'procedure', kind: recent.kind, date: recent.date, where: recent.where })];
			}
			const undated = same.find((p) => p.undated);
			return undated ? [warn('date-unknown', { type: 'procedure', kind: undated.kind, date: null, where: null })] : [];
		}
		case 'recent-tan': {
			const latest = [...card.tanDates].sort().reverse()[0] ?? null;
			if (latest !== null && card.isWithin(latest, t.withinDays) !== false) {
				const reason = card.isWithin(latest, t.withinDays) === null ? 'date-unknown' : 'matched';
				return [warn(reason, { type: 'tan', date: latest })];
			}
			return card.check?.tanOrSun == null ? [warn('not-asked', { type: 'tan', date: latest })] : [];
		}
		case 'age': {
			const parentConsent = ctx.activeConsents.includes('parent-for-minor');
			const age = ctx.birthDate === null ? null : ageOn(ctx.birthDate, card.todayDate);
			if (age === null) return [warn('date-unknown', { type: 'age', age: null, parentConsent })];
			const needsParent = t.requiresParentConsentBelow !== undefined && age < t.requiresParentConsentBelow && !parentConsent;
			return age < t.min || needsParent ? [warn('matched', { type: 'age', age, parentConsent })] : [];
		}
		case 'patch-test': {
			const ids = ctx.treatment.productIds;
			const tests = card.s.patchTests.filter((p) => ids.length === 0 || ids.includes(p.productId));
			const pick = (result: string) => tests.find((p) => p.result === result);
			const failed = pick('failed');
			if (failed) return [warn('matched', { type: 'patch-test', productId: failed.productId, date: failed.date, result: 'failed' })];
			if (pick('passed')) return [];
			const unread = pick('not-read');
			if (unread) return [warn('matched', { type: 'patch-test', productId: unread.productId, date: unread.date, result: 'not-read' })];
			return [warn('matched', { type: 'patch-test', productId: ids[0] ?? null, date: null, result: 'missing' })];
		}
	}
}

function productAllergenWarnings(card: CardFacts, ctx: RuleContext): Warning[] {
	// An allergen the treatment's own rules name is reported by that rule, with the salon's weight.
	const covered = new Set<AllergenId>();
	for (const r of ctx.treatment.rules) if (r.trigger.type === 'allergen') covered.add(r.trigger.allergen);
	const out: Warning[] = [];
	for (const product of ctx.products) {
		for (const allergen of product.allergens) {
			if (covered.has(allergen)) continue;
			for (const a of card.s.allergies) {
				if (!a.allergens.includes(allergen)) continue;
				// A severe reaction on record stops the treatment; anything milder is for staff to weigh.
				const weight: RuleWeight = a.severity === 'severe' ? 'blocks' : 'warns';
				out.push(builtIn('product-allergen', weight, 'matched', { type: 'allergy', allergen, text: a.text, productId: product.id, productName: product.name }));
			}
		}
	}
	if (ctx.products.length > 0) {
		for (const a of card.s.allergies) {
			if (a.allergens.length > 0) continue;
			out.push(builtIn('allergy-unrecognised', 'warns', 'date-unknown', { type: 'allergy', allergen: null, text: a.text, productId: null, productName: null }));
		}
	}
	return out;
}

function hasTrigger(treatment: Treatment, type: RuleTrigger['type']): boolean {
	return treatment.rules.some((r) => r.trigger.type === type);
}

function builtIn(id: BuiltInRuleId, weight: RuleWeight, reason: WarningReason, entry: WarningEntry): Warning {
	const label: LocalizedText = { ...BUILT_IN_RULE_LABELS[id] };
	return { ruleId: id as RuleId, label, weight, reason, entry };
}
