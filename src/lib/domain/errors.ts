/** Every reason an operation can fail for; the UI maps each to a message in the user's language. */
export type ErrorReason =
	| 'decrypt-failed'
	| 'wrong-passphrase'
	| 'weak-passphrase'
	| 'quota-exceeded'
	| 'storage-failed'
	| 'tombstoned'
	| 'invalid-update'
	| 'invalid-input'
	| 'not-found'
	| 'locked'
	| 'newer-version'
	| 'unknown-peer'
	/** An invite past its 10 minutes (or its screen closed). */
	| 'invite-expired'
	/** An invite another device already used. */
	| 'invite-used'
	/** Nobody answered the invite: the inviting screen is closed, or the relay is out of reach. */
	| 'invite-unanswered'
	/** This device already holds a salon: joining another would mix two salons' data. */
	| 'salon-exists'
	/** Health data written without an active health-data consent. */
	| 'consent-required';

/** An error with a typed reason; `detail` is for logs, never shown as the user's message. */
export class AppError extends Error {
	constructor(
		readonly reason: ErrorReason,
		readonly detail?: string
	) {
		super(detail ? `${reason}: ${detail}` : reason);
		this.name = 'AppError';
	}
}

/** Whether `e` is an AppError with the given reason. */
export function isAppError(e: unknown, reason?: ErrorReason): e is AppError {
	return e instanceof AppError && (reason === undefined || e.reason === reason);
}
