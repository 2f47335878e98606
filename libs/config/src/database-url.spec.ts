import { userInfo } from 'node:os';
import { withDefaultUser } from './database-url';

describe('withDefaultUser', () => {
  it('fills in the operating-system user when the URL names none, as libpq does', () => {
    expect(withDefaultUser('postgres://127.0.0.1:5432/test')).toBe(
      `postgres://${encodeURIComponent(userInfo().username)}@127.0.0.1:5432/test`,
    );
  });

  it('leaves a URL with a user, or without a host (a socket path in the query), unchanged', () => {
    expect(withDefaultUser('postgres://app:secret@db:5432/workflow?sslmode=require')).toBe(
      'postgres://app:secret@db:5432/workflow?sslmode=require',
    );
    expect(withDefaultUser('postgresql:///workflow?host=/var/run/postgresql')).toBe('postgresql:///workflow?host=/var/run/postgresql');
  });
});
