import { DatabaseError } from 'pg';
import { QueryFailedError, QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { classifyDatabaseError } from './database-error';

const pgError = (code: string, severity = 'ERROR', message = 'x') => {
  const e = new DatabaseError(message, 0, 'error');
  e.code = code;
  e.severity = severity;
  return e;
};
const wrapped = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('classifyDatabaseError', () => {
  it.each([
    ['08006', 'unavailable'],
    ['08001', 'unavailable'],
    ['57P01', 'unavailable'],
    ['57P02', 'unavailable'],
    ['57P03', 'unavailable'],
    ['53300', 'unavailable'],
    ['55P03', 'lock_timeout'],
    ['57014', 'statement_timeout'],
    ['23505', 'duplicate'],
    ['22007', 'invalid_value'],
  ])('maps SQLSTATE %s to %s, raw or wrapped by TypeORM', (code, failure) => {
    expect(classifyDatabaseError(pgError(code))).toBe(failure);
    expect(classifyDatabaseError(wrapped(pgError(code)))).toBe(failure);
  });

  it('maps a FATAL error (a database refusing connections, 55000) to unavailable, but not a plain 55000', () => {
    expect(classifyDatabaseError(pgError('55000', 'FATAL', 'database "x" is not currently accepting connections'))).toBe('unavailable');
    expect(classifyDatabaseError(pgError('55000'))).toBeNull();
  });

  it('maps a pool acquire timeout, a lost connection and a released query runner', () => {
    expect(classifyDatabaseError(new Error('timeout exceeded when trying to connect'))).toBe('pool_exhausted');
    expect(classifyDatabaseError(wrapped(new Error('Connection terminated unexpectedly')))).toBe('unavailable');
    expect(classifyDatabaseError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe('unavailable');
    expect(classifyDatabaseError(new QueryRunnerAlreadyReleasedError())).toBe('unavailable');
    expect(classifyDatabaseError(new QueryRunnerProviderAlreadyReleasedError())).toBe('unavailable');
  });

  it('leaves other errors alone', () => {
    expect(classifyDatabaseError(new Error('boom'))).toBeNull();
    expect(classifyDatabaseError(pgError('42P01'))).toBeNull();
  });
});
