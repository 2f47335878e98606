import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runVerifier } from '../support/audit-verifier';
import { CaseDriver } from '../support/case-driver';
import { startFakeS3, type FakeS3 } from '../support/fake-s3';
import { bootTestApp, type TestApp } from '../support/test-app';

/** Checkpoints in an S3-compatible bucket with Object Lock (CHECKPOINT_S3_*), against an in-memory S3. */
describe('anchored checkpoints in an S3 bucket with Object Lock', () => {
  let s3: FakeS3;
  let t: TestApp;
  const folder = mkdtempSync(join(tmpdir(), 'pcw-s3-checkpoints-'));
  const keyFile = join(folder, 'signing-key.pem');
  const publicKeyFile = join(folder, 'public.pem');
  const s3Env = (bucket: string) => ({
    CHECKPOINT_S3_BUCKET: bucket,
    CHECKPOINT_S3_PREFIX: 'fund-a/checkpoints/',
    CHECKPOINT_S3_ENDPOINT: s3.url,
    CHECKPOINT_S3_RETENTION_DAYS: '2555',
    CHECKPOINT_S3_ACCESS_KEY_ID: 'anchor-writer',
    CHECKPOINT_S3_SECRET_ACCESS_KEY: 'anchor-writer-secret',
    CHECKPOINT_KEY_FILE: keyFile,
    CHECKPOINT_INTERVAL_MS: '0',
  });
  const key = (n: number) => `fund-a/checkpoints/checkpoint-${String(n).padStart(8, '0')}.json`;

  beforeAll(async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));
    s3 = await startFakeS3();
    s3.createBucket('audit-anchors', true);
    s3.createBucket('no-lock', false);
    t = await bootTestApp({ env: s3Env('audit-anchors') });
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const writeCheckpoint = async (app: TestApp) =>
    app
      .http()
      .post('/api/audit/checkpoints')
      .set((await app.as('compliance_officer_1')).auth);
  const verify = async () => {
    const res = await t
      .http()
      .get('/api/audit/verify')
      .set((await t.as('auditor_1')).auth);
    expect(res.status).toBe(200);
    return res.body as { valid: boolean; checkpoints: { configured: boolean; valid: boolean; checkpoints: number; problems: string[] } };
  };

  it('writes each checkpoint once into the bucket, locked in compliance mode for the retention period, and verifies against it', async () => {
    const d = new CaseDriver(t);
    const id = (await d.create()).id as string;
    await d.toDueDiligence(id);
    const res = await writeCheckpoint(t);
    expect(res.status).toBe(200);
    expect(res.body.checkpoint).toMatchObject({ number: 1, file: 'checkpoint-00000001.json' });

    const objects = s3.buckets.get('audit-anchors')!.objects;
    expect([...objects.keys()].sort()).toEqual([key(1), 'fund-a/checkpoints/public-key.pem']);
    const [stored] = objects.get(key(1))!;
    expect(stored.lockMode).toBe('COMPLIANCE');
    expect((stored.retainUntil!.getTime() - Date.now()) / 86_400_000).toBeGreaterThan(2554);
    expect(JSON.parse(stored.body.toString()).checkpoint.heads).toContainEqual(expect.objectContaining({ chain: id }));
    const puts = s3.requests.filter((r) => r.method === 'PUT');
    expect(
      puts.every((r) => r.headers['if-none-match'] === '*' && /Credential=anchor-writer\//.test(String(r.headers.authorization))),
    ).toBe(true);

    const listed = await t
      .http()
      .get('/api/audit/checkpoints')
      .set((await t.as('auditor_1')).auth);
    expect(listed.body).toEqual([expect.objectContaining({ number: 1, file: 'checkpoint-00000001.json' })]);
    const v = await verify();
    expect(v.valid).toBe(true);
    expect(v.checkpoints).toMatchObject({ configured: true, valid: true, checkpoints: 1, problems: [] });

    // The standalone verifier reads the same bucket (credentials from the AWS_* variables).
    const cli = await runVerifier(
      [
        '--database-url',
        t.db.url,
        '--checkpoints',
        's3://audit-anchors/fund-a/checkpoints/',
        '--s3-endpoint',
        s3.url,
        '--public-key',
        publicKeyFile,
      ],
      { AWS_ACCESS_KEY_ID: 'auditor', AWS_SECRET_ACCESS_KEY: 'auditor-secret' },
    );
    expect(cli.stderr).not.toMatch(/Could not verify/);
    expect(cli.stdout).toContain('CHECKPOINTS VALID: 1 signed checkpoints hold');
    expect(cli.code).toBe(0);
  });

  it('finds a checkpoint written over with a new version: the locked original is checked and the overwrite named', async () => {
    const d = new CaseDriver(t);
    await d.create();
    expect((await writeCheckpoint(t)).body.checkpoint).toMatchObject({ number: 2 });
    // Somebody with the bucket's write credentials replaces checkpoint 2 (a new version; the locked one stays).
    const put = await fetch(`${s3.url}/audit-anchors/${key(2)}`, { method: 'PUT', body: '{"checkpoint":"forged"}' });
    expect(put.status).toBe(200);
    const v = await verify();
    expect(v.valid).toBe(false);
    expect(v.checkpoints.checkpoints).toBe(2); // both originals still verify
    expect(v.checkpoints.problems).toEqual([expect.stringMatching(/^Checkpoint file checkpoint-00000002\.json: was written again 1 time/)]);
  });

  it('a bucket without Object Lock: a warning at start-up, and a checkpoint request gets a 503 with a sentence, not a 500', async () => {
    const other = await bootTestApp({ env: s3Env('no-lock') });
    try {
      const d = new CaseDriver(other);
      await d.create();
      const res = await writeCheckpoint(other);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('60');
      expect(res.body.message).toMatch(
        /checkpoint store cannot be written \(InvalidRequest\); nothing was pinned.*s3:\/\/no-lock\/fund-a\/checkpoints\//,
      );
      expect(res.body.messageZh).toMatch(/存储桶/);
      expect(other.api.output()).toMatch(/The bucket no-lock has no Object Lock configuration/);
    } finally {
      await other.close();
    }
  });

  it('a bucket that cannot be read: the list is a 503 with a sentence, verification says the chains were not compared', async () => {
    const other = await bootTestApp({ env: s3Env('missing-bucket') });
    try {
      const auditor = (await other.as('auditor_1')).auth;
      const listed = await other.http().get('/api/audit/checkpoints').set(auditor);
      expect(listed.status).toBe(503);
      expect(listed.body.message).toMatch(
        /^The checkpoint store s3:\/\/missing-bucket\/fund-a\/checkpoints\/ cannot be read \(NoSuchBucket\); try again later/,
      );
      const verified = await other.http().get('/api/audit/verify').set(auditor);
      expect(verified.status).toBe(200);
      expect(verified.body.valid).toBe(false);
      expect(verified.body.checkpoints).toMatchObject({
        configured: true,
        valid: false,
        problems: [expect.stringMatching(/could not be read \(NoSuchBucket\): the chains were not compared with the checkpoints/)],
      });
    } finally {
      await other.close();
    }
  });
});
