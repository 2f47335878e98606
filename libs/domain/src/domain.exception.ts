export enum DomainErrorCode {
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  VersionConflict = 'VERSION_CONFLICT',
  RuleViolated = 'RULE_VIOLATED',
  InvalidInput = 'INVALID_INPUT',
}

/** An error a user caused and can act on; the HTTP layer maps its code to a status. */
export class DomainException extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainException';
  }
}

export const notFound = (what: string) => new DomainException(DomainErrorCode.NotFound, `No ${what} with that id exists.`);
