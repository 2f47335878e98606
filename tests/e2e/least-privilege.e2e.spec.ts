import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DEFAULT_PRIVILEGES, TABLE_PRIVILEGES } from '../../libs/persistence/src/database-roles';
import { CaseDriver } from '../support/case-driver';
import { verifyAllChains } from '../support/chains';
import { freePort } from '../support/global-setup';
import { bootTestApp, DEMO_PASSWORD, startApi, type TestApp } from '../support/test-app';
import { asSuperuser } from '../support/test-database';

/**
 * Issue 15: the API's own database role must not be able to rewrite the history. The role is the one
 * the running API's connections log in as (pg_stat_activity), and every operation that let the table
 * owner rewrite a vote (disable the trigger, replica mode, truncate, drop, update, delete) is refused
 * to it with insufficient_privilege (42501).
 */
describe('least privilege: the API connects as a role that cannot rewrite the history', () => {
  let t: TestApp;
  let role: string;
  let api: Client;
  let caseId: string;

  beforeAll(async () => {
    t = await bootTestApp();
    caseId = (await new CaseDriver(t).create()).id as string;
    role = await asSuperuser(t.db.name, async (c) => {
      const { rows } = await c.query<{ usename: string }>(
        `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`,
        [t.db.name, `patient-capital-workflow:${t.api.child.pid}`],
      );
      expect(rows).toHaveLength(1);
      return rows[0].usename;
    });
    const url = new URL(t.db.url);
    if (decodeURIComponent(url.username) !== role) {
      url.username = encodeURIComponent(role);
      url.password = process.env.TEST_API_PASSWORD ?? '';
    }
    api = new Client({ connectionString: url.toString() });
    await api.connect();
  });
  afterAll(async () => {
    await api?.end();
    await t.close();
  });

  const refused = async (sql: string) => {
    const err = await api.query(sql).then(
      () => null,
      (e: { code?: string; message: string }) => e,
    );
    return { sql, code: err?.code ?? 'accepted', message: err?.message };
  };

  it('is not a superuser and owns no table', async () => {
    const { rows } = await api.query<{ rolsuper: boolean; owned: string }>(
      `SELECT r.rolsuper, (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                             WHERE n.nspname = 'public' AND pg_has_role(current_user, c.relowner, 'USAGE'))::text AS owned
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    expect(rows[0]).toEqual({ rolsuper: false, owned: '0' });
  });

  it.each([
    ['ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_update_delete'],
    ['ALTER TABLE audit_entries DISABLE TRIGGER ALL'],
    ['ALTER TABLE audit_entries ADD COLUMN note text'],
    ['ALTER TABLE audit_entries OWNER TO CURRENT_USER'],
    ['DROP TRIGGER audit_entries_no_update_delete ON audit_entries'],
    [`CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`],
    ['SET session_replication_role = replica'],
    ['TRUNCATE audit_entries'],
    ['DROP TABLE audit_entries'],
    [`UPDATE audit_entries SET reason = 'rewritten'`],
    ['DELETE FROM audit_entries'],
    ['DELETE FROM audit_chain_heads'],
    [`UPDATE evidence_files SET file_name = 'x'`],
    [`UPDATE issued_documents SET number = 'x'`],
    ['TRUNCATE cases CASCADE'],
    ['DROP TABLE cases CASCADE'],
    ['ALTER TABLE cases DISABLE TRIGGER ALL'],
    ['DELETE FROM schema_migrations'],
  ])('refuses %s', async (sql) => {
    expect(await refused(sql)).toMatchObject({ code: '42501' });
  });

  it('refuses to become the owner', async () => {
    const owner = await asSuperuser(
      t.db.name,
      async (c) =>
        (await c.query<{ o: string }>(`SELECT pg_get_userbyid(relowner) AS o FROM pg_class WHERE oid = 'audit_entries'::regclass`)).rows[0]
          .o,
    );
    expect(await refused(`SET ROLE ${api.escapeIdentifier(owner)}`)).toMatchObject({ code: '42501' });
  });

  it('holds exactly the privileges of its policy on every table', async () => {
    const { rows } = await api.query<{ relname: string; privileges: string[] }>(
      `SELECT c.relname, ARRAY(SELECT p FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) p
                                WHERE has_table_privilege(current_user, c.oid, p)) AS privileges
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1`,
    );
    expect(rows.length).toBeGreaterThan(10);
    for (const { relname, privileges } of rows) {
      expect({ relname, privileges }).toEqual({ relname, privileges: [...(TABLE_PRIVILEGES[relname] ?? DEFAULT_PRIVILEGES)] });
    }
  });

  it('starts with DATABASE_URL alone once the owner has migrated (nothing pending, no owner password needed)', async () => {
    const second = await startApi({ databaseUrl: t.db.url, env: { MIGRATION_DATABASE_URL: '' } });
    try {
      const res = await fetch(`${second.url}/api/health`);
      expect(res.status).toBe(200);
      expect(second.output()).not.toMatch(/not protected/);
    } finally {
      await second.stop();
    }
  });

  it('still reads and appends the history: the API works and every chain verifies', async () => {
    const d = new CaseDriver(t);
    await d.toDueDiligence(caseId);
    const { rows } = await api.query<{ n: string }>(`SELECT count(*)::text AS n FROM audit_entries WHERE case_id = $1`, [caseId]);
    expect(Number(rows[0].n)).toBeGreaterThanOrEqual(3);
    const { auth } = await t.as('auditor_1');
    const verify = await t.http().get('/api/audit/verify').set(auth);
    expect(verify.body).toMatchObject({ valid: true });
    expect((await verifyAllChains(t.db.url)).broken).toEqual([]);
  });
});

describe('least privilege in demo mode (npm start without DATABASE_URL)', () => {
  it('sets up both roles itself: the embedded superuser migrates, the API logs in as workflow_api', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pcw-demo-'));
    const pgPort = await freePort();
    const api = await startApi({
      databaseUrl: null,
      env: { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort) },
      startTimeoutMs: 120_000,
    });
    try {
      const login = await fetch(`${api.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'investment_manager_1', password: DEMO_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const admin = new Client({
        connectionString: `postgres://postgres:${encodeURIComponent(readFileSync(join(dataDir, 'pg-password'), 'utf8').trim())}@127.0.0.1:${pgPort}/workflow`,
      });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ usename: string; rolsuper: boolean }>(
          `SELECT DISTINCT a.usename, r.rolsuper FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename
            WHERE a.datname = 'workflow' AND a.application_name = $1`,
          [`patient-capital-workflow:${api.child.pid}`],
        );
        expect(rows).toEqual([{ usename: 'workflow_api', rolsuper: false }]);
        const { rows: owner } = await admin.query<{ o: string }>(
          `SELECT pg_get_userbyid(relowner) AS o FROM pg_class WHERE oid = 'audit_entries'::regclass`,
        );
        expect(owner[0].o).toBe('postgres');
      } finally {
        await admin.end();
      }
    } finally {
      await api.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
