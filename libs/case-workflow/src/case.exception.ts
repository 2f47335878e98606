export enum CaseExceptionCode {
  NotFound = 'NOT_FOUND',
  VersionConflict = 'VERSION_CONFLICT',
  Forbidden = 'FORBIDDEN',
  EventNotAllowed = 'EVENT_NOT_ALLOWED',
  RuleViolated = 'RULE_VIOLATED',
  InvalidInput = 'INVALID_INPUT',
}

/** A domain error with a code the HTTP layer maps to a status, and a sentence for the user. */
export class CaseException extends Error {
  constructor(
    readonly code: CaseExceptionCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CaseException';
  }
}
