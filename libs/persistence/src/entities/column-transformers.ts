import type { ValueTransformer } from 'typeorm';

/** bigint columns hold money in fen; pg returns them as strings. Amounts stay below 2^53. */
export const bigintFen: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
