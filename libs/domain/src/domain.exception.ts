export enum DomainErrorCode {
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  VersionConflict = 'VERSION_CONFLICT',
  RuleViolated = 'RULE_VIOLATED',
  InvalidInput = 'INVALID_INPUT',
  /** An uploaded file over the configured size limit. */
  TooLarge = 'TOO_LARGE',
  /** An uploaded file whose content is not of an accepted type. */
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
}

/** An error a user caused and can act on; the HTTP layer maps its code to a status. */
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
