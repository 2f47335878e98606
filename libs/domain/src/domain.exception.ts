/** The services throw the workflow's one exception type (see libs/case-workflow/src/domain.exception.ts). */
export { DomainErrorCode, DomainException, notFound } from '@app/case-workflow';
