import { randomUUID } from 'node:crypto';
import { CaseDriver } from '../support/case-driver';
import { bootTestApp, type TestApp } from '../support/test-app';
import { asSuperuser } from '../support/test-database';

/**
 * Issue 15, exactly-once retries: a request whose answer was lost can be sent again with the same
 * Idempotency-Key; it gets the first answer and nothing is written twice.
 */
describe('Idempotency-Key on state-changing requests', () => {
  let t: TestApp;
  let d: CaseDriver;

  beforeAll(async () => {
    t = await bootTestApp();
    d = new CaseDriver(t);
  });
  afterAll(() => t.close());

  const post = async (username: string, path: string, body: object, key?: string) => {
    const { auth } = await t.as(username);
    const req = t.http().post(path).set(auth);
    if (key !== undefined) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const historyLength = async (caseId: string) =>
    asSuperuser(t.db.name, async (c) =>
      Number((await c.query(`SELECT count(*) FROM audit_entries WHERE case_id = $1`, [caseId])).rows[0].count),
    );

  it('an event sent again with the same key gets the first answer (status and body) and writes nothing', async () => {
    const c = await d.create();
    const key = randomUUID();
    const first = await post('investment_manager_1', `/api/cases/${c.id}/events`, { type: 'SUBMIT', expectedVersion: 1 }, key);
    expect(first.status).toBe(200);
    const entries = await historyLength(c.id);
    const again = await post('investment_manager_1', `/api/cases/${c.id}/events`, { type: 'SUBMIT', expectedVersion: 1 }, key);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await historyLength(c.id)).toBe(entries);
    expect((await d.get(c.id)).version).toBe(2);
    // Without a key the same request is a new one: 409, someone (here: the first send) moved the case.
    expect((await post('investment_manager_1', `/api/cases/${c.id}/events`, { type: 'SUBMIT', expectedVersion: 1 })).status).toBe(409);
  });

  it('the same key with another body is a 422 with a sentence, and changes nothing', async () => {
    const c = await d.create();
    const key = randomUUID();
    expect((await post('investment_manager_1', `/api/cases/${c.id}/events`, { type: 'SUBMIT', expectedVersion: 1 }, key)).status).toBe(200);
    const entries = await historyLength(c.id);
    const other = await post(
      'investment_manager_1',
      `/api/cases/${c.id}/events`,
      { type: 'ADD_TEAM_MEMBER', expectedVersion: 2, userId: (await t.as('investment_manager_3')).id },
      key,
    );
    expect(other.status).toBe(422);
    expect(other.body.message).toMatch(/Idempotency-Key .* was used .* for another request/);
    expect(other.body.messageZh).toMatch(/幂等键/);
    expect(await historyLength(c.id)).toBe(entries);
  });

  it('parallel sends of one event with one key: one entry, every answer the same', async () => {
    const c = await d.create();
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        post('investment_manager_1', `/api/cases/${c.id}/events`, { type: 'SUBMIT', expectedVersion: 1 }, key),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    for (const a of answers) expect(a.body).toEqual(answers[0].body);
    expect(await historyLength(c.id)).toBe(2); // CASE_CREATED, SUBMIT
  });

  it('a refused event stores no answer: its retry is decided again', async () => {
    const c = await d.create();
    const key = randomUUID();
    expect((await post('investment_manager_1', `/api/cases/${c.id}/events`, { type: 'SUBMIT', expectedVersion: 7 }, key)).status).toBe(409);
    const stored = await asSuperuser(
      t.db.name,
      async (db) => (await db.query(`SELECT 1 FROM idempotency_keys WHERE key = $1`, [key])).rowCount,
    );
    expect(stored).toBe(0);
  });

  it('case creation, claim and release replay their first answer; keys are per user', async () => {
    const key = randomUUID();
    const body = {
      fundId: await d.fundId(),
      companyName: 'Retried Co',
      sector: 'robotics',
      requestedAmountFen: 5_000_000_00,
      summary: 'Sent twice.',
    };
    const first = await post('investment_manager_1', '/api/cases', body, key);
    const again = await post('investment_manager_1', '/api/cases', body, key);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.id).toBe(first.body.id);
    const created = await asSuperuser(
      t.db.name,
      async (c) => (await c.query(`SELECT id FROM cases WHERE company_name = 'Retried Co'`)).rowCount,
    );
    expect(created).toBe(1);
    // Another person's identical key is another request.
    const other = await post('investment_manager_2', '/api/cases', body, key);
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);

    await d.ok(first.body.id, 'investment_manager_1', { type: 'SUBMIT' });
    const { auth } = await t.as('department_head_1');
    const task = (await t.http().get(`/api/tasks?caseId=${first.body.id}&queue=department_head`).set(auth)).body.items[0] as { id: string };
    const claimKey = randomUUID();
    const claim1 = await post('department_head_1', `/api/tasks/${task.id}/claim`, {}, claimKey);
    const claim2 = await post('department_head_1', `/api/tasks/${task.id}/claim`, {}, claimKey);
    expect([claim1.status, claim2.status]).toEqual([200, 200]);
    expect(claim2.body).toEqual(claim1.body);
    const releaseKey = randomUUID();
    const release1 = await post('department_head_1', `/api/tasks/${task.id}/release`, {}, releaseKey);
    const release2 = await post('department_head_1', `/api/tasks/${task.id}/release`, {}, releaseKey);
    expect([release1.status, release2.status]).toEqual([200, 200]);
    // Without the key the second release is a 409 (nothing to release).
    expect((await post('department_head_1', `/api/tasks/${task.id}/release`, {})).status).toBe(409);
    const claims = await asSuperuser(t.db.name, async (c) =>
      (await c.query(`SELECT type FROM audit_entries WHERE case_id = $1 AND type LIKE 'TASK_%'`, [first.body.id])).rows.map(
        (r) => r.type as string,
      ),
    );
    expect(claims).toEqual(['TASK_CLAIMED', 'TASK_RELEASED']);
  });

  it('other state-changing routes replay too (an admin creating a fund)', async () => {
    const key = randomUUID();
    const body = { name: `Fund ${key.slice(0, 8)}`, type: 'seed', sizeFen: 100_000_000_00, vintageYear: 2026, termYears: 10 };
    const first = await post('admin_1', '/api/funds', body, key);
    const again = await post('admin_1', '/api/funds', body, key);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
  });

  it('an answer older than 24 hours is forgotten: the key then starts a new request', async () => {
    const c = await d.create();
    const key = randomUUID();
    expect((await post('investment_manager_1', `/api/cases/${c.id}/events`, { type: 'SUBMIT', expectedVersion: 1 }, key)).status).toBe(200);
    await asSuperuser(t.db.name, (db) =>
      db.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`, [key]),
    );
    expect((await post('investment_manager_1', `/api/cases/${c.id}/events`, { type: 'SUBMIT', expectedVersion: 1 }, key)).status).toBe(409);
  });

  it('refuses a malformed key with a 400 and a sentence', async () => {
    const c = await d.create();
    for (const key of ['has space', 'x'.repeat(256), 'tab\there']) {
      const res = await post('investment_manager_1', `/api/cases/${c.id}/events`, { type: 'SUBMIT', expectedVersion: 1 }, key);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/Idempotency-Key header must be 1 to 255 visible ASCII characters/);
      expect(res.body.messageZh).toBeTruthy();
    }
    expect((await d.get(c.id)).version).toBe(1);
  });
});
