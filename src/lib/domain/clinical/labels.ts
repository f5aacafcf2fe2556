// Default labels of the clinical vocabulary, in Polish and English. Guarantees: every condition,
// medication flag and procedure kind has a label in both languages (a test checks it); these are
// catalogue data that the seed copies into rules, not UI chrome, so a salon can reword them.
import type { LocalizedText } from './ids';
import type { ConditionId, MedicationFlag, ProcedureKind } from './interview';

/** Labels of the interview's conditions. */
export const CONDITION_LABELS: Readonly<Record<ConditionId, LocalizedText>> = {
	'pregnancy-breastfeeding': { pl: 'Ciąża lub karmienie piersią', en: 'Pregnancy or breastfeeding' },
	'active-infection': { pl: 'Aktywna opryszczka, infekcja lub uszkodzona skóra w miejscu zabiegu', en: 'Active herpes, infection or broken skin in the area' },
	diabetes: { pl: 'Cukrzyca', en: 'Diabetes' },
	epilepsy: { pl: 'Padaczka', en: 'Epilepsy' },
	'heart-disease-pacemaker': { pl: 'Choroby serca lub rozrusznik', en: 'Heart disease or pacemaker' },
	'metal-implants': { pl: 'Metalowe implanty lub elementy w ciele', en: 'Metal implants' },
	'clotting-disorder': { pl: 'Zaburzenia krzepnięcia', en: 'Clotting disorder' },
	autoimmune: { pl: 'Choroba autoimmunologiczna', en: 'Autoimmune disease' },
	'cancer-chemotherapy': { pl: 'Choroba nowotworowa lub chemioterapia', en: 'Cancer or chemotherapy' },
	'herpes-tendency': { pl: 'Skłonność do opryszczki', en: 'Tendency to herpes' },
	keloids: { pl: 'Skłonność do bliznowców', en: 'Keloid tendency' },
	psoriasis: { pl: 'Łuszczyca', en: 'Psoriasis' },
	vitiligo: { pl: 'Bielactwo', en: 'Vitiligo' },
	eczema: { pl: 'Egzema lub atopowe zapalenie skóry', en: 'Eczema or atopic dermatitis' },
	'thyroid-hormonal': { pl: 'Choroby tarczycy lub leczenie hormonalne', en: 'Thyroid disease or hormonal treatment' }
};

/** Labels of the medication flags. */
export const MEDICATION_FLAG_LABELS: Readonly<Record<MedicationFlag, LocalizedText>> = {
	'oral-retinoid': { pl: 'Izotretynoina lub inne retinoidy doustne', en: 'Isotretinoin or other oral retinoids' },
	anticoagulant: { pl: 'Leki przeciwzakrzepowe', en: 'Anticoagulants' },
	photosensitising: { pl: 'Leki lub zioła światłouczulające', en: 'Photosensitising drugs or herbs' },
	antibiotic: { pl: 'Antybiotyki', en: 'Antibiotics' },
	nsaid: { pl: 'Niesteroidowe leki przeciwzapalne', en: 'NSAIDs' },
	'topical-acid-retinol': { pl: 'Retinol, kwasy AHA lub nadtlenek benzoilu na skórę', en: 'Topical retinol, AHA or benzoyl peroxide' }
};

/** Labels of the procedure kinds. */
export const PROCEDURE_LABELS: Readonly<Record<ProcedureKind, LocalizedText>> = {
	'chemical-peel': { pl: 'Peeling chemiczny', en: 'Chemical peel' },
	microneedling: { pl: 'Mikronakłuwanie', en: 'Microneedling' },
	mesotherapy: { pl: 'Mezoterapia igłowa', en: 'Needle mesotherapy' },
	'laser-hair-removal': { pl: 'Depilacja laserowa', en: 'Laser hair removal' },
	ipl: { pl: 'IPL', en: 'IPL' },
	'laser-resurfacing': { pl: 'Laser frakcyjny lub ablacyjny', en: 'Laser resurfacing' },
	microdermabrasion: { pl: 'Mikrodermabrazja', en: 'Microdermabrasion' },
	filler: { pl: 'Wypełniacz (kwas hialuronowy)', en: 'Filler (hyaluronic acid)' },
	botulinum: { pl: 'Toksyna botulinowa', en: 'Botulinum toxin' },
	'facial-surgery': { pl: 'Operacja twarzy', en: 'Facial surgery' },
	dental: { pl: 'Leczenie stomatologiczne', en: 'Dental treatment' },
	waxing: { pl: 'Depilacja woskiem lub pęsetą', en: 'Waxing or tweezing' },
	facial: { pl: 'Zabieg pielęgnacyjny twarzy', en: 'Facial' },
	manicure: { pl: 'Manicure', en: 'Manicure' },
	'brow-lash-tint': { pl: 'Henna brwi i rzęs', en: 'Brow and lash tint' },
	other: { pl: 'Inny zabieg', en: 'Other procedure' }
};

/** Labels of the rules the engine always applies, whatever the catalogue says. */
export const BUILT_IN_RULE_LABELS = {
	'interview-missing': { pl: 'Brak wywiadu zdrowotnego', en: 'No health interview' },
	'interview-stale': { pl: 'Wywiad zdrowotny jest nieaktualny', en: 'The health interview is out of date' },
	'product-allergen': { pl: 'Alergia na składnik produktu', en: 'Allergy to a product ingredient' },
	'allergy-unrecognised': { pl: 'Alergia spoza listy — sprawdź skład produktów', en: 'Allergy not on the list: check the products’ ingredients' },
	'patch-test': { pl: 'Brak zaliczonej próby uczuleniowej', en: 'No passed patch test' },
	'new-medication-undescribed': { pl: 'Nowy lek — nie wiadomo jaki', en: 'A new medication, not described' },
	'procedure-undescribed': { pl: 'Zabieg w innym miejscu — nie wiadomo jaki i kiedy', en: 'A procedure elsewhere, not described' }
} as const satisfies Record<string, LocalizedText>;

/** The id of a built-in rule. */
export type BuiltInRuleId = keyof typeof BUILT_IN_RULE_LABELS;
