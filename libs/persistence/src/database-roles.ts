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
  anchored_heads: ['SELECT', 'INSERT', 'UPDATE'],
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

const ALL_TABLE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];

/**
 * Run by the owner after the migrations: gives `apiRole` exactly the privileges of `TABLE_PRIVILEGES`
 * on every table of the schema (whatever else it held is revoked), the use of the sequences, and
 * nothing else. One query reads what the role holds; only the tables that differ are changed, in one
 * transaction. Runs at every start, so a new table is covered.
 */
export async function grantApiPrivileges(owner: ClientBase, apiRole: string): Promise<void> {
  const role = owner.escapeIdentifier(apiRole);
  const { rows } = await owner.query<{ relname: string; relkind: string; held: string[]; schema: string; usage: boolean }>(
    `SELECT c.relname, c.relkind, current_schema() AS schema,
            has_schema_privilege($1, current_schema(), 'USAGE') AS usage,
            CASE WHEN c.relkind = 'S'
                 THEN ARRAY(SELECT p FROM unnest(ARRAY['USAGE', 'SELECT', 'UPDATE']) p WHERE has_sequence_privilege($1, c.oid, p))
                 ELSE ARRAY(SELECT p FROM unnest($2::text[]) p WHERE has_table_privilege($1, c.oid, p)) END AS held
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S') ORDER BY c.relname`,
    [apiRole, ALL_TABLE_PRIVILEGES],
  );
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((p) => b.includes(p));
  const changes: string[] = [];
  if (rows.length > 0 && !rows[0].usage) changes.push(`GRANT USAGE ON SCHEMA ${owner.escapeIdentifier(rows[0].schema)} TO ${role}`);
  for (const { relname, relkind, held } of rows) {
    const name = owner.escapeIdentifier(relname);
    if (relkind === 'S') {
      if (!same(held, ['USAGE', 'SELECT']))
        changes.push(`REVOKE ALL ON SEQUENCE ${name} FROM ${role}`, `GRANT USAGE, SELECT ON SEQUENCE ${name} TO ${role}`);
      continue;
    }
    const wanted = TABLE_PRIVILEGES[relname] ?? DEFAULT_PRIVILEGES;
    if (same(held, wanted)) continue;
    changes.push(`REVOKE ALL ON TABLE ${name} FROM ${role}`);
    if (wanted.length) changes.push(`GRANT ${wanted.join(', ')} ON TABLE ${name} TO ${role}`);
  }
  if (changes.length === 0) return;
  await owner.query('BEGIN');
  try {
    for (const sql of changes) await owner.query(sql);
    await owner.query('COMMIT');
  } catch (err) {
    await owner.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Why `role` could rewrite the history (it is a superuser, or owns the audit table, itself or through
 * a role it belongs to), or null when it cannot. Start-up logs it as a warning.
 */
export async function historyRewritableBy(c: ClientBase, role: string): Promise<string | null> {
  const { rows } = await c.query<{ superuser: boolean | null; owner: string | null; owns: boolean | null }>(
    `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = $1) AS superuser, o.owner,
            CASE WHEN o.owner IS NULL THEN false ELSE pg_has_role($1, o.owner, 'USAGE') END AS owns
       FROM (SELECT (SELECT pg_get_userbyid(t.relowner) FROM pg_class t WHERE t.oid = to_regclass('audit_entries')) AS owner) o`,
    [role],
  );
  const { superuser, owner, owns } = rows[0];
  if (superuser) return `the API's database role "${role}" is a superuser`;
  if (owns) return `the API's database role "${role}" owns the audit tables (as "${owner}")`;
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
