/**
 * The one code enum of the domain: every refusal the workflow or a service can give, each mapped to
 * exactly one HTTP status by the API's error filter (an exhaustive switch there).
 */
export enum DomainErrorCode {
  /** No token, a bad token, an expired token, a failed login (401). */
  Unauthorized = 'UNAUTHORIZED',
  /** This role or this person may not do this, separation of duties included (403). */
  Forbidden = 'FORBIDDEN',
  /** No such resource, or one the caller may not know exists (404). */
  NotFound = 'NOT_FOUND',
  /** The resource is held or taken: a claimed task, a name in use (409). */
  Conflict = 'CONFLICT',
  /** `expectedVersion` is not the case's current version (409). */
  VersionConflict = 'VERSION_CONFLICT',
  /** The event is not accepted in the case's current state (422). */
  EventNotAllowed = 'EVENT_NOT_ALLOWED',
  /** A rule refuses the event; the message names it (422). */
  RuleViolated = 'RULE_VIOLATED',
  /** A value the request carried cannot be used (400). */
  InvalidInput = 'INVALID_INPUT',
  /** An uploaded file over the configured size limit (413). */
  TooLarge = 'TOO_LARGE',
  /** An uploaded file whose content is not of an accepted type (415). */
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  /** Too many attempts (failed logins): try again after `details.retryAfterSeconds` (429 with Retry-After). */
  TooManyRequests = 'TOO_MANY_REQUESTS',
  /** Something the server depends on outside the database (the checkpoint folder) failed; nothing was written (503, Retry-After from `details.retryAfterSeconds`). */
  Unavailable = 'UNAVAILABLE',
}

/**
 * An error a user caused and can act on: a code for the HTTP layer and a sentence for the person.
 * The one exception type of the domain (the workflow lib and the services); nothing under libs/
 * throws an HttpException.
 */
export class DomainException extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    /** The sentence in Chinese, when there is one more specific than the status's summary. */
    readonly messageZh?: string,
  ) {
    super(message);
    this.name = 'DomainException';
  }
}

export const notFound = (what: string) => new DomainException(DomainErrorCode.NotFound, `No ${what} with that id exists.`);
