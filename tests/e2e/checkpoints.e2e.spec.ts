import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashEntry, type AuditEntry } from '../../libs/audit/src/audit-chain';
import { CaseDriver } from '../support/case-driver';
import { runVerifier } from '../support/audit-verifier';
import { bootTestApp, type TestApp } from '../support/test-app';
import { asSuperuser } from '../support/test-database';

describe('anchored checkpoints: a rewrite re-hashed inside the database is still found', () => {
  let t: TestApp;
  let d: CaseDriver;
  let auditor: { Authorization: string };
  const folder = mkdtempSync(join(tmpdir(), 'pcw-checkpoints-'));
  const checkpointDir = join(folder, 'checkpoints');
  const keyFile = join(folder, 'signing-key.pem');

  beforeAll(async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    // The auditor's own copy of the public key, kept outside the checkpoint folder.
    writeFileSync(join(folder, 'public.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    t = await bootTestApp({ env: { CHECKPOINT_DIR: checkpointDir, CHECKPOINT_KEY_FILE: keyFile, CHECKPOINT_INTERVAL_MS: '0' } });
    d = new CaseDriver(t);
    auditor = (await t.as('auditor_1')).auth;
  });
  afterAll(async () => {
    await t.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const writeCheckpoint = async () => {
    const res = await t
      .http()
      .post('/api/audit/checkpoints')
      .set((await t.as('compliance_officer_1')).auth);
    expect(res.status).toBe(200);
    return res.body.checkpoint as { number: number; chains: number; file: string } | null;
  };
  const verify = async () => {
    const res = await t.http().get('/api/audit/verify').set(auditor);
    expect(res.status).toBe(200);
    return res.body as { valid: boolean; broken: unknown[]; checkpoints: { valid: boolean; checkpoints: number; problems: string[] } };
  };
  const history = async (caseId: string) => (await t.http().get(`/api/cases/${caseId}/history`).set(auditor)).body as AuditEntry[];

  /** What someone with the owner's or a superuser's rights can do: change entries and re-hash the chain after them. */
  const rewrite = (caseId: string, entries: AuditEntry[], headHash: string | null) =>
    asSuperuser(t.db.name, async (c) => {
      await c.query('BEGIN');
      await c.query('ALTER TABLE audit_entries DISABLE TRIGGER ALL');
      const seqs = entries.map((e) => e.seq);
      await c.query('DELETE FROM audit_entries WHERE case_id = $1 AND NOT (seq = ANY($2::bigint[]))', [caseId, seqs]);
      for (const e of entries)
        await c.query('UPDATE audit_entries SET reason = $2, prev_hash = $3, hash = $4 WHERE seq = $1', [
          e.seq,
          e.reason,
          e.prevHash,
          e.hash,
        ]);
      await c.query('ALTER TABLE audit_entries ENABLE TRIGGER ALL');
      await c.query('UPDATE cases SET head_hash = $2 WHERE id = $1', [caseId, headHash]);
      await c.query('COMMIT');
    });
  const rehash = (entries: AuditEntry[]): AuditEntry[] => {
    let prev = '0'.repeat(64);
    return entries.map((e) => {
      const { hash: _old, ...body } = { ...e, prevHash: prev };
      const hash = hashEntry(body);
      prev = hash;
      return { ...body, hash };
    });
  };

  let rewritten: string;
  let truncated: string;

  it('writes a signed checkpoint pinning every chain that moved, read-only, and nothing when nothing moved', async () => {
    rewritten = (await d.create()).id as string;
    await d.toDueDiligence(rewritten);
    truncated = (await d.create()).id as string;
    await d.toDueDiligence(truncated);

    const first = await writeCheckpoint();
    expect(first).toMatchObject({ number: 1, file: 'checkpoint-00000001.json' });
    expect(first!.chains).toBeGreaterThanOrEqual(2);
    expect(readdirSync(checkpointDir).sort()).toEqual(['checkpoint-00000001.json', 'public-key.pem']);
    expect(statSync(join(checkpointDir, 'checkpoint-00000001.json')).mode & 0o222).toBe(0);
    expect(await writeCheckpoint()).toBeNull();

    const listed = await t.http().get('/api/audit/checkpoints').set(auditor);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([expect.objectContaining({ number: 1, reason: 'manual' })]);

    const v = await verify();
    expect(v.valid).toBe(true);
    expect(v.checkpoints).toMatchObject({ configured: true, valid: true, checkpoints: 1, problems: [] });
  });

  it('finds an entry rewritten and the chain re-hashed, and a removed tail, though every hash inside the database agrees', async () => {
    const entries = await history(rewritten);
    entries[0] = { ...entries[0], reason: 'Rewritten after the fact.' };
    const forged = rehash(entries);
    await rewrite(rewritten, forged, forged[forged.length - 1].hash);

    const tail = (await history(truncated)).slice(0, -1);
    await rewrite(truncated, tail, tail[tail.length - 1].hash);

    const v = await verify();
    // The chains are consistent with themselves: only the checkpoints can tell.
    expect(v.broken).toEqual([]);
    expect(v.valid).toBe(false);
    expect(v.checkpoints.valid).toBe(false);
    expect(v.checkpoints.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^Case ${rewritten}: entry \\d+ no longer has the hash checkpoint 1 pinned`)),
        expect.stringMatching(new RegExp(`^Case ${truncated}: entry \\d+, pinned by checkpoint 1, is no longer in its chain`)),
      ]),
    );

    const cli = await runVerifier(['--database-url', t.db.url, '--checkpoints', checkpointDir, '--public-key', join(folder, 'public.pem')]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`UNPINNED Case ${rewritten}`);
    expect(cli.stdout).toContain('CHECKPOINTS FAIL');
    expect(cli.stderr).not.toContain('WARNING');
  });

  it('never re-pins a rewritten chain, and finds checkpoints removed from the folder', async () => {
    await d.create();
    const second = await writeCheckpoint();
    expect(second?.number).toBe(2);
    // The rewritten and the cut chains were left out of checkpoint 2: it does not make the rewrite look anchored.
    const pinned = JSON.parse(readFileSync(join(checkpointDir, second!.file), 'utf8')).checkpoint.heads.map(
      (h: { chain: string }) => h.chain,
    );
    expect(pinned).not.toContain(rewritten);
    expect(pinned).not.toContain(truncated);
    expect((await verify()).checkpoints.problems).toContainEqual(expect.stringMatching(new RegExp(`^Case ${rewritten}:`)));
    // Someone who can write the folder removes the newest checkpoint.
    rmSync(join(checkpointDir, second!.file), { force: true });
    const v = await verify();
    expect(v.checkpoints.problems).toContainEqual(
      expect.stringMatching(/records checkpoint 2 as written, but the folder holds only up to 1: checkpoints were removed/),
    );
  });

  it('is refused with a sentence where checkpoints are not configured', async () => {
    const plain = await bootTestApp();
    try {
      // Auditors only read, here as everywhere.
      expect(
        (
          await plain
            .http()
            .post('/api/audit/checkpoints')
            .set((await plain.as('auditor_1')).auth)
        ).status,
      ).toBe(403);
      const res = await plain
        .http()
        .post('/api/audit/checkpoints')
        .set((await plain.as('compliance_officer_1')).auth);
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/CHECKPOINT_DIR and CHECKPOINT_KEY_FILE/);
      const v = await plain
        .http()
        .get('/api/audit/verify')
        .set((await plain.as('auditor_1')).auth);
      expect(v.body.checkpoints).toMatchObject({ configured: false, valid: true });
    } finally {
      await plain.close();
    }
  });
});
