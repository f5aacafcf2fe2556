// The client's personal and contact data, as the domain sees it (profile doc).
import type { ClientId, StaffId, DeviceId } from './ids';

/** How the client prefers to be contacted. */
export type ContactChannel = 'phone' | 'sms' | 'email' | 'none';

/** Personal and contact data of a client card. */
export interface ClientProfile {
	firstName: string;
	lastName: string;
	/** Local calendar date `YYYY-MM-DD`, or null when unknown. */
	birthDate: string | null;
	/** E.164 (`+48600100200`), or '' when none. */
	phone: string;
	email: string;
	address: string;
	contactChannel: ContactChannel;
	note: string;
	archived: boolean;
}

/** A field of the profile that an edit can change. */
export type ProfileField = keyof ClientProfile;

/** One user-level save: when, who, on which device, which fields. */
export interface ChangeRecord {
	/** UTC ISO instant. */
	at: string;
	staff: StaffId;
	/** The staff member's name at the time, so history stays readable. */
	staffName: string;
	device: DeviceId;
	fields: string[];
}

/** What the list, search and later rules need without opening the card (profile part). */
export interface ClientSummary {
	id: ClientId;
	firstName: string;
	lastName: string;
	phone: string;
	email: string;
	birthDate: string | null;
	archived: boolean;
	lastVisit: string | null;
	nextVisit: string | null;
}

/** An empty profile, the start of a new card. */
export function emptyProfile(): ClientProfile {
	return {
		firstName: '',
		lastName: '',
		birthDate: null,
		phone: '',
		email: '',
		address: '',
		contactChannel: 'phone',
		note: '',
		archived: false
	};
}
