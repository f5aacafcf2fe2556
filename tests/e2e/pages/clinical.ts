// Page objects of the card's clinical record: tabs, consents, the health interview and visits,
// in the words of the people who use them. Signatures are drawn with the mouse on the canvas.
import { expect, type Locator, type Page } from '@playwright/test';

/** A calendar date `days` before today (`YYYY-MM-DD`). */
export function daysAgo(days: number): string {
	return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** Draws a short signature on a signature pad with the mouse (pointer events, like a finger). */
export async function drawSignature(page: Page, pad: Locator): Promise<void> {
	await pad.scrollIntoViewIfNeeded();
	const box = await pad.boundingBox();
	if (!box) throw new Error('signature pad not visible');
	const at = (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const;
	await page.mouse.move(...at(0.1, 0.7));
	await page.mouse.down();
	for (const [fx, fy] of [[0.2, 0.3], [0.3, 0.75], [0.45, 0.35], [0.6, 0.7], [0.8, 0.4]]) await page.mouse.move(...at(fx, fy), { steps: 4 });
	await page.mouse.up();
}

/** The tabs of a client's card. */
export class CardScreens {
	constructor(private readonly page: Page) {}

	/** Opens a tab of the card ("Dane", "Zgody", "Wywiad", "Skóra i pielęgnacja", "Wizyty", ...). */
	async openTab(name: string): Promise<void> {
		await this.page.getByRole('tab', { name, exact: true }).click();
		await expect(this.page.getByRole('tab', { name, exact: true })).toHaveAttribute('aria-selected', 'true');
	}

	/** Opens a client's card from the list. */
	async openClient(listName: RegExp | string): Promise<void> {
		await this.page.getByRole('navigation').getByRole('link', { name: 'Klienci' }).click();
		await this.page.getByRole('link', { name: listName }).click();
		await expect(this.page.getByTestId('card-name')).toBeVisible();
	}
}

/** The consents tab and the signing screen. */
export class ConsentScreens {
	constructor(private readonly page: Page) {}

	/** A consent kind's row on the consents tab ('health-data', 'treatment', ...). */
	row(kind: string): Locator {
		return this.page.getByTestId(`consent-${kind}`);
	}

	/** The client reads the text shown and signs; the save button waits for the signature. */
	async signShownConsent(): Promise<void> {
		const form = this.page.getByTestId('consent-sign');
		await expect(form.getByTestId('consent-text')).toBeVisible();
		const save = form.getByRole('button', { name: 'Zapisz podpisaną zgodę' });
		await expect(save).toBeDisabled();
		await drawSignature(this.page, form.getByTestId('signature-pad'));
		await expect(save).toBeEnabled();
		await save.click();
		await expect(form).toHaveCount(0);
	}

	/** Gives the consent of `kind` from the consents tab. */
	async give(kind: string): Promise<void> {
		await this.row(kind).getByRole('button', { name: 'Odbierz zgodę' }).click();
		await this.signShownConsent();
		await expect(this.row(kind)).toContainText('Udzielona');
	}
}

/** A medication as the client declares it. */
export interface MedicationInput {
	name: string;
	/** `YYYY-MM-DD`, or 'ongoing'. */
	lastTaken: string;
}

/** An allergy as the client declares it. */
export interface AllergyInput {
	text: string;
	reaction?: string;
	severity?: 'łagodna' | 'umiarkowana' | 'ciężka';
}

/** The health interview. */
export class InterviewScreens {
	constructor(private readonly page: Page) {}

	/** The interview form. */
	get form(): Locator {
		return this.page.getByTestId('interview-form');
	}

	/** Opens a new interview (pre-filled from the last one, if any). */
	async startNew(): Promise<void> {
		await this.page.getByRole('button', { name: /Przeprowadź wywiad|Nowy wywiad/ }).click();
		await expect(this.form).toBeVisible();
	}

	/** Ticks a condition by its label. */
	async tickCondition(label: string): Promise<void> {
		await this.form.getByLabel(label).check();
	}

	/** Adds an allergy row and fills it in. */
	async addAllergy(a: AllergyInput): Promise<void> {
		await this.form.getByRole('button', { name: 'Dodaj alergię' }).click();
		const row = this.form.getByTestId('allergy-row').last();
		await row.getByLabel('Opis (jak mówi klient)').fill(a.text);
		if (a.reaction) await row.getByLabel('Reakcja').fill(a.reaction);
		if (a.severity) await row.getByLabel('Nasilenie').selectOption({ label: a.severity });
	}

	/** Adds a medication row and fills it in; returns the row. */
	async addMedication(m: MedicationInput): Promise<Locator> {
		await this.form.getByRole('button', { name: 'Dodaj lek' }).click();
		const row = this.form.getByTestId('medication-row').last();
		await row.getByLabel('Nazwa leku lub suplementu').fill(m.name);
		if (m.lastTaken === 'ongoing') await row.getByLabel('Ostatnia dawka').selectOption({ label: 'nadal przyjmuje' });
		else {
			await row.getByLabel('Ostatnia dawka').selectOption({ label: 'podaj datę' });
			await row.getByLabel('Dzień ostatniej dawki').fill(m.lastTaken);
		}
		return row;
	}

	/** Types the interview's other information. */
	async fillNotes(text: string): Promise<void> {
		await this.form.getByLabel('Inne informacje').fill(text);
	}

	/** The client confirms the data are true and signs; saving waits for both. */
	async confirmSignAndSave(): Promise<void> {
		const save = this.form.getByRole('button', { name: 'Zapisz podpisany wywiad' });
		await expect(save).toBeDisabled();
		await this.form.getByLabel('Oświadczam, że podane przeze mnie informacje są prawdziwe i kompletne.').check();
		await expect(save).toBeDisabled();
		await drawSignature(this.page, this.form.getByTestId('signature-pad'));
		await save.click();
		await expect(this.form).toHaveCount(0);
		await expect(this.page.getByTestId('interview-view').first()).toBeVisible();
	}
}

/** Answers of the pre-treatment check (true = yes); unanswered when left out. */
export interface CheckAnswers {
	newMedication?: boolean;
	pregnancy?: boolean;
	tanOrSun?: boolean;
	herpesNow?: boolean;
	procedureElsewhere?: boolean;
	note?: string;
}

const QUESTIONS: Record<Exclude<keyof CheckAnswers, 'note'>, string> = {
	newMedication: 'Nowe leki lub suplementy?',
	pregnancy: 'Ciąża lub karmienie piersią?',
	tanOrSun: 'Opalanie, solarium lub samoopalacz ostatnio?',
	herpesNow: 'Opryszczka lub infekcja teraz?',
	procedureElsewhere: 'Zabieg w innym miejscu od ostatniej wizyty?'
};

/** Starting and completing visits, and their history. */
export class VisitScreens {
	constructor(private readonly page: Page) {}

	/** The start form. */
	get startForm(): Locator {
		return this.page.getByTestId('visit-start');
	}

	/** The warnings shown in the start form. */
	get warnings(): Locator {
		return this.startForm.getByTestId('warning');
	}

	/** The button that starts the treatment. */
	get startButton(): Locator {
		return this.startForm.getByRole('button', { name: 'Rozpocznij zabieg' });
	}

	/** Opens the start form and chooses the treatment (and the performer, when given). */
	async begin(treatment: string, staff?: string): Promise<void> {
		await this.page.getByRole('button', { name: 'Rozpocznij wizytę' }).click();
		await expect(this.startForm).toBeVisible();
		if (staff) await this.startForm.getByLabel('Kto wykonuje zabieg').selectOption({ label: staff });
		await this.startForm.getByLabel('Zabieg', { exact: true }).selectOption({ label: treatment });
	}

	/** Answers the short check before the treatment. */
	async answerCheck(answers: CheckAnswers): Promise<void> {
		for (const [key, question] of Object.entries(QUESTIONS) as [keyof typeof QUESTIONS, string][]) {
			const answer = answers[key];
			if (answer === undefined) continue;
			await this.startForm.getByRole('group', { name: question }).getByRole('button', { name: answer ? 'Tak' : 'Nie' }).click();
		}
		if (answers.note) await this.startForm.getByLabel('Uwagi do wywiadu przed zabiegiem').fill(answers.note);
	}

	/** Describes the new medication the check was told about (its row opens with the "yes"). */
	async describeNewMedication(name: string): Promise<void> {
		await this.startForm.getByTestId('medication-row').first().getByLabel('Nazwa leku lub suplementu').fill(name);
	}

	/** Types the reason to treat despite a blocking contraindication. */
	async giveOverrideReason(reason: string): Promise<void> {
		await this.startForm.getByLabel('Powód wykonania zabiegu mimo przeciwwskazania').fill(reason);
	}

	/** Starts the treatment. */
	async start(): Promise<void> {
		await this.startButton.click();
		await expect(this.startForm).toHaveCount(0);
	}

	/** The visits of the timeline, newest first. */
	get timeline(): Locator {
		return this.page.getByTestId('visit');
	}

	/** Completes the newest started visit with a product's batch and notes. */
	async completeLatest(c: { batch: string; expiry?: string; notes?: string; area?: string }): Promise<void> {
		const visit = this.timeline.first();
		await visit.getByRole('button', { name: 'Zakończ wizytę' }).click();
		const form = visit.getByTestId('visit-complete');
		if (c.area) await form.getByLabel('Okolica zabiegowa').fill(c.area);
		const product = form.getByTestId('product-row').first();
		await product.getByLabel('Numer partii').fill(c.batch);
		if (c.expiry) await product.getByLabel('Data ważności').fill(c.expiry);
		if (c.notes) await form.getByLabel('Przebieg i uwagi').fill(c.notes);
		await form.getByRole('button', { name: 'Zakończ wizytę' }).click();
		await expect(form).toHaveCount(0);
	}
}
