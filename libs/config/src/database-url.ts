import { userInfo } from 'node:os';

/**
 * A PostgreSQL URL with no user name connects as the operating-system user, as psql and libpq do
 * (`postgres://127.0.0.1:5432/test`); node-postgres would otherwise send no user at all when USER is
 * unset. Other URLs are returned unchanged.
 */
export function withDefaultUser(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username !== '' || parsed.hostname === '') return url;
  parsed.username = encodeURIComponent(userInfo().username);
  return parsed.toString();
}
