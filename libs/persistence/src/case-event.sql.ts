/**
 * The two statements of the event hot path, kept apart from the repository (no Nest, no TypeORM) so
 * that the benchmark can run the very same SQL without the API, and tell the database's share of an
 * event from the application's.
 */

/**
 * $1 case id. Reads the case, takes the next audit seq and reads the case's open tasks, in one round
 * trip. Nothing is locked: the write below succeeds only if the case is still as read.
 */
export const CASE_READ_FOR_EVENT_SQL = `SELECT c.*, nextval('audit_entries_seq')::text AS next_seq,
              (SELECT json_agg(t ORDER BY t.due_at, t.id) FROM tasks t WHERE t.case_id = c.id AND t.status = 'open') AS open_tasks
         FROM cases c WHERE c.id = $1`;

/**
 * $1 id, $2 expected version, $3 state, $4 snapshot, $5 machine version, $6 invested fen, $7 proceeds
 * fen, $8 new head hash (the entry's hash), $9 at, $10 seq, $11 actor id, $12 actor roles, $13 type,
 * $14 from state, $15 reason, $16 payload, $17 prev hash, $18 task keys to complete, $19 tasks to open
 * (JSON: key, kind, queue, assignee_id, due_at), $20 the head hash as read. One statement, so one
 * transaction: it writes the case with version + 1, its history entry and the task changes only if the
 * case still has the version and chain head it was read with (no event, claim or escalation came in
 * between), and returns no row otherwise. The snapshot is not sent back: the caller wrote it. `next_seq` reserves the seq of
 * the case's next entry, for a writer that remembers the case (gaps in seq are harmless). Two writers of one case serialise on its row lock; the
 * second re-checks the condition against the first's result and writes nothing.
 */
export const CASE_APPLY_EVENT_SQL = `WITH upd AS (
         UPDATE cases SET state = $3, snapshot = $4, machine_version = $5, version = version + 1,
                invested_fen = $6, proceeds_fen = $7, head_hash = $8, updated_at = $9
          WHERE id = $1 AND version = $2 AND head_hash IS NOT DISTINCT FROM $20 RETURNING *
       ), hist AS (
         INSERT INTO audit_entries (seq, at, actor_id, actor_roles, case_id, type, from_state, to_state, reason, payload, prev_hash, hash)
         SELECT $10, $9, $11, $12, $1, $13, $14, $3, $15, $16, $17, $8 FROM upd
       ), done AS (
         UPDATE tasks SET status = 'done', completed_at = $9, completed_by = $11
          WHERE case_id = $1 AND status = 'open' AND key = ANY($18::varchar[]) AND EXISTS (SELECT 1 FROM upd)
       ), kept AS (
         UPDATE tasks SET case_state = $3
          WHERE case_id = $1 AND status = 'open' AND case_state <> $3 AND NOT (key = ANY($18::varchar[])) AND EXISTS (SELECT 1 FROM upd)
       ), opened AS (
         INSERT INTO tasks (case_id, key, kind, queue, case_state, assignee_id, status, due_at, created_at)
         SELECT $1, t.key, t.kind, t.queue, $3, t.assignee_id, 'open', t.due_at, $9
           FROM jsonb_to_recordset($19::jsonb) AS t(key varchar, kind varchar, queue varchar, assignee_id uuid, due_at timestamptz)
          WHERE EXISTS (SELECT 1 FROM upd)
         RETURNING *
       )
       SELECT upd.id, upd.fund_id, upd.company_name, upd.sector, upd.requested_amount_fen, upd.summary, upd.owner_id, upd.state,
              upd.machine_version, upd.version, upd.invested_fen, upd.proceeds_fen, upd.head_hash, upd.created_at, upd.updated_at,
              COALESCE((SELECT json_agg(opened) FROM opened), '[]'::json) AS opened,
              nextval('audit_entries_seq')::text AS next_seq
         FROM upd`;
