import { ValidateBy, type ValidationOptions } from 'class-validator';

/** The earliest date the API accepts (the programme's records start in the 1990s; earlier is a typing error). */
export const EARLIEST_ACCEPTED_DATE = '1990-01-01';
/** The first date no longer accepted: anything this far ahead is a typing error, not a plan. */
export const FIRST_REFUSED_FUTURE_DATE = '2100-01-01';

const EARLIEST_MS = Date.parse(`${EARLIEST_ACCEPTED_DATE}T00:00:00Z`);
const LATEST_MS = Date.parse(`${FIRST_REFUSED_FUTURE_DATE}T00:00:00Z`);

/** Whether an ISO-8601 date or timestamp lies in [1990-01-01, 2100-01-01) UTC; unreadable values are left to the format check. */
export function isAcceptedDate(value: unknown): boolean {
  if (typeof value !== 'string') return true;
  const ms = Date.parse(value);
  return Number.isNaN(ms) || (ms >= EARLIEST_MS && ms < LATEST_MS);
}

/** A date or timestamp field: 400 when it is before 1990 or in 2100 or later. */
export function IsAcceptedDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAcceptedDate',
      validator: {
        validate: isAcceptedDate,
        defaultMessage: (args) =>
          `${args?.property ?? 'The date'} must be on or after ${EARLIEST_ACCEPTED_DATE} and before ${FIRST_REFUSED_FUTURE_DATE}; check the year`,
      },
    },
    options,
  );
}
