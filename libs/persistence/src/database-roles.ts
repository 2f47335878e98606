import { Client, type ClientBase } from 'pg';

/**
 * Least privilege in PostgreSQL. Migrations run as the owner of the tables (MIGRATION_DATABASE_URL);
 * the API connects as another role (DATABASE_URL) that holds only the table privileges below. Only an
 * owner or a superuser can ALTER a table, disable its triggers, TRUNCATE or DROP it, or replace the
 * trigger functions, and `session_replication_role` needs a superuser: the API role can do none of it.
 */

/** The privileges the API role holds on each table; a table not named here gets `DEFAULT_PRIVILEGES`. */
export const TABLE_PRIVILEGES: Readonly<Record<string, readonly TablePrivilege[]>> = {
  // The history and what it pins are append-only (the triggers refuse it for the owner too).
  audit_entries: ['SELECT', 'INSERT'],
  evidence_files: ['SELECT', 'INSERT'],
  file_chunks: ['SELECT', 'INSERT'],
  issued_documents: ['SELECT', 'INSERT'],
  // Heads and counters move forward, never away.
  audit_chain_heads: ['SELECT', 'INSERT', 'UPDATE'],
  document_numbers: ['SELECT', 'INSERT', 'UPDATE'],
  // The migrations' own bookkeeping: read, so that an API started without the owner's URL can see
  // that nothing is pending; written only by the owner.
  schema_migrations: ['SELECT'],
};
export type TablePrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
export const DEFAULT_PRIVILEGES: readonly TablePrivilege[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

/** The role a PostgreSQL URL logs in as (the URL carries it percent-encoded). */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/**
 * Run by the owner after the migrations, in one transaction: gives `apiRole` exactly the privileges of
 * `TABLE_PRIVILEGES` on every table of the schema (whatever it held before is revoked first), the use
 * of the sequences, and nothing else. Idempotent; runs at every start, so a new table is covered.
 */
export async function grantApiPrivileges(owner: ClientBase, apiRole: string): Promise<void> {
  const role = owner.escapeIdentifier(apiRole);
  const { rows } = await owner.query<{ relname: string; relkind: string }>(
    `SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S') ORDER BY c.relname`,
  );
  const { rows: schema } = await owner.query<{ s: string }>('SELECT current_schema() AS s');
  await owner.query('BEGIN');
  try {
    await owner.query(`GRANT USAGE ON SCHEMA ${owner.escapeIdentifier(schema[0].s)} TO ${role}`);
    for (const { relname, relkind } of rows) {
      const name = owner.escapeIdentifier(relname);
      if (relkind === 'S') {
        await owner.query(`REVOKE ALL ON SEQUENCE ${name} FROM ${role}`);
        await owner.query(`GRANT USAGE, SELECT ON SEQUENCE ${name} TO ${role}`);
        continue;
      }
      const privileges = TABLE_PRIVILEGES[relname] ?? DEFAULT_PRIVILEGES;
      await owner.query(`REVOKE ALL ON TABLE ${name} FROM ${role}`);
      if (privileges.length) await owner.query(`GRANT ${privileges.join(', ')} ON TABLE ${name} TO ${role}`);
    }
    await owner.query('COMMIT');
  } catch (err) {
    await owner.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Why the role of `url` could rewrite the history (it is a superuser, or owns the audit table), or
 * null when it cannot. Start-up logs it as a warning.
 */
export async function historyRewritableBy(c: ClientBase): Promise<string | null> {
  const { rows } = await c.query<{ role: string; superuser: boolean; owner: string | null }>(
    `SELECT current_user AS role, r.rolsuper AS superuser,
            (SELECT pg_get_userbyid(t.relowner) FROM pg_class t WHERE t.oid = to_regclass('audit_entries')) AS owner
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  const { role, superuser, owner } = rows[0];
  if (superuser) return `the API's database role "${role}" is a superuser`;
  if (owner !== null) {
    const { rows: member } = await c.query<{ m: boolean }>('SELECT pg_has_role(current_user, $1, $2) AS m', [owner, 'USAGE']);
    if (member[0].m) return `the API's database role "${role}" owns the audit tables (as "${owner}")`;
  }
  return null;
}

/**
 * Creates a login role with this password, or sets the password of the existing one (run as a
 * role with CREATEROLE). Two processes doing it at once are fine.
 */
export async function ensureLoginRole(adminUrl: string, role: string, password: string): Promise<void> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const name = c.escapeIdentifier(role);
    const pw = c.escapeLiteral(password);
    const exists = async () => (await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount === 1;
    if (!(await exists())) {
      try {
        await c.query(`CREATE ROLE ${name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD ${pw}`);
        return;
      } catch (err) {
        // Created meanwhile by another process (duplicate_object, or the catalog's unique index).
        const code = (err as { code?: string }).code;
        if (code !== '42710' && code !== '23505') throw err;
      }
    }
    await c.query(`ALTER ROLE ${name} LOGIN NOSUPERUSER PASSWORD ${pw}`);
  } finally {
    await c.end();
  }
}
