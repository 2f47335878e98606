import type { Client } from 'pg';

/**
 * Loads production-size data with server-side generate_series (no round trip per row): cases with a
 * real snapshot, one open task per case spread over the queues, and ten audit entries per case
 * spread over a year and over every user. Hashes of generated entries are not a valid chain: this
 * data is for query timings only.
 */
export async function loadBulkData(pg: Client, scale: number, log: (m: string) => void): Promise<Record<string, number>> {
  const cases = Math.round(1_000_000 * scale);
  const perCase = 10;
  const template = (await pg.query(`SELECT fund_id, owner_id, snapshot, machine_version FROM cases ORDER BY created_at LIMIT 1`)).rows[0];
  const batch = 100_000;
  let t0 = Date.now();
  for (let from = 0; from < cases; from += batch) {
    const n = Math.min(batch, cases - from);
    await pg.query(
      `INSERT INTO cases (id, fund_id, company_name, sector, requested_amount_fen, summary, owner_id, state, snapshot, machine_version, version, head_hash, created_at, updated_at)
       SELECT gen_random_uuid(), $1, 'Gen ' || g, 'generated', 100000000, 'generated for the benchmark', $2,
              (ARRAY['draft','screening','dueDiligence','riskReview','committee','monitoring'])[1 + g % 6], $3::jsonb, $6, 1 + g % 9,
              repeat('0', 64), now() - (g % 31536000) * interval '1 second', now()
         FROM generate_series($4::int, $5::int) g`,
      [template.fund_id, template.owner_id, JSON.stringify(template.snapshot), from + 1, from + n, template.machine_version],
    );
  }
  log(`${cases} cases in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  t0 = Date.now();
  await pg.query(
    `INSERT INTO tasks (case_id, key, kind, queue, case_state, assignee_id, status, due_at, created_at)
     SELECT id, 'generated', 'generated',
            (ARRAY['investment_manager','department_head','risk_officer','legal_officer','committee_member','committee_chair','compliance_officer'])[1 + abs(hashtext(id::text)::bigint) % 7],
            state, NULL, 'open', now() + (abs(hashtext(id::text)::bigint) % 1209600 - 302400) * interval '1 second', now()
       FROM cases WHERE company_name LIKE 'Gen %'`,
  );
  log(`${cases} open tasks in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const users = (await pg.query(`SELECT id, roles FROM users ORDER BY username`)).rows as { id: string; roles: string[] }[];
  t0 = Date.now();
  const ids = (await pg.query(`SELECT id FROM cases WHERE company_name LIKE 'Gen %' ORDER BY id`)).rows.map((r) => r.id as string);
  for (let from = 0; from < ids.length; from += batch) {
    const slice = ids.slice(from, from + batch);
    await pg.query(
      `INSERT INTO audit_entries (seq, at, actor_id, actor_roles, case_id, type, from_state, to_state, reason, payload, prev_hash, hash)
       SELECT nextval('audit_entries_seq'), now() - ((abs(hashtext(c.id::text)::bigint) + k * 86413) % 31536000) * interval '1 second',
              (u.users)[1 + (abs(hashtext(c.id::text)::bigint) + k) % array_length(u.users, 1)], '{investment_manager}', c.id,
              (ARRAY['SUBMIT','APPROVE','SUBMIT_DD_REPORT','RISK_OPINION','CAST_VOTE'])[1 + k % 5], 'draft', 'screening', 'generated',
              jsonb_build_object('input', jsonb_build_object('reason', 'generated'), 'version', k + 1),
              repeat('0', 64), md5(c.id::text || k) || md5(k || c.id::text)
         FROM unnest($1::uuid[]) AS c(id), generate_series(1, $2::int) k, (SELECT $3::uuid[] AS users) u`,
      [slice, perCase, users.map((u) => u.id)],
    );
    if ((from / batch) % 2 === 1) log(`  ${(from + slice.length) * perCase} audit entries…`);
  }
  log(`${ids.length * perCase} audit entries in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  t0 = Date.now();
  await pg.query('VACUUM ANALYZE cases');
  await pg.query('VACUUM ANALYZE tasks');
  await pg.query('VACUUM ANALYZE audit_entries');
  log(`vacuum analyze in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const count = async (sql: string) => Number((await pg.query(sql)).rows[0].n);
  return {
    cases: await count('SELECT count(*) AS n FROM cases'),
    openTasks: await count(`SELECT count(*) AS n FROM tasks WHERE status = 'open'`),
    auditEntries: await count('SELECT count(*) AS n FROM audit_entries'),
  };
}
