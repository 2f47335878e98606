import { generateKeyPairSync } from 'node:crypto';
import { startFakeS3, type FakeS3 } from '../../../tests/support/fake-s3';
import { readCheckpointSeries, signCheckpoint } from './checkpoint';
import { adoptPublicKey } from './checkpoint-store';
import { S3CheckpointStore, type S3CheckpointSettings } from './s3-checkpoint-store';

describe('S3CheckpointStore (against an in-memory S3 with Object Lock)', () => {
  let s3: FakeS3;
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const settings = (over: Partial<S3CheckpointSettings> = {}): S3CheckpointSettings => ({
    bucket: 'audit-anchors',
    prefix: 'checkpoints/',
    region: 'us-east-1',
    endpoint: s3.url,
    retentionDays: 30,
    lockMode: 'COMPLIANCE',
    accessKeyId: 'test',
    secretAccessKey: 'test-secret',
    ...over,
  });
  const head = { chain: 'c1', seq: '1', hash: 'a'.repeat(64) };
  const sign = (number: number, previousText: string | null) =>
    signCheckpoint(privateKey, {
      number,
      at: new Date().toISOString(),
      reason: 'manual',
      previousText,
      heads: [{ ...head, seq: String(number) }],
    });
  const objects = () => s3.buckets.get('audit-anchors')!.objects;

  beforeAll(async () => {
    s3 = await startFakeS3();
    s3.createBucket('audit-anchors', true);
    s3.createBucket('plain-bucket', false);
  });
  afterAll(() => s3.close());

  it('writes each checkpoint once, locked in the configured mode for the retention period', async () => {
    const store = new S3CheckpointStore(settings());
    await adoptPublicKey(store, publicKey);
    expect(await store.head()).toEqual({ next: 1, latestText: null });
    const first = sign(1, null);
    expect(await store.write(1, first)).toBe('checkpoint-00000001.json');
    const second = sign(2, first);
    await store.write(2, second);

    const v = objects().get('checkpoints/checkpoint-00000001.json')!;
    expect(v).toHaveLength(1);
    expect(v[0].lockMode).toBe('COMPLIANCE');
    const days = (v[0].retainUntil!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    const puts = s3.requests.filter((r) => r.method === 'PUT');
    expect(puts.every((r) => r.headers['if-none-match'] === '*')).toBe(true);

    expect(await store.head()).toEqual({ next: 3, latestText: second });
    const listed = await store.list();
    expect(listed.map((f) => f.name)).toEqual(['checkpoint-00000001.json', 'checkpoint-00000002.json']);
    expect(readCheckpointSeries(listed, publicKey).problems).toEqual([]);
  });

  it('refuses to write a number that exists (EEXIST), and another signing key', async () => {
    const store = new S3CheckpointStore(settings());
    await expect(store.write(1, 'replacement')).rejects.toMatchObject({ code: 'EEXIST' });
    expect(objects().get('checkpoints/checkpoint-00000001.json')).toHaveLength(1);
    const other = generateKeyPairSync('ed25519').publicKey;
    await expect(adoptPublicKey(store, other)).rejects.toMatchObject({
      code: 'EKEYMISMATCH',
      message: expect.stringMatching(/another signing key/),
    });
    await adoptPublicKey(store, publicKey); // the same key again is fine
    expect((await store.publicKey())!.export({ type: 'spki', format: 'pem' })).toBe(publicKey.export({ type: 'spki', format: 'pem' }));
  });

  it('reads the first, locked version when a key was written again or deleted, and says so', async () => {
    const store = new S3CheckpointStore(settings());
    const original = (await store.list())[0].text;
    // Somebody with the bucket's write credentials: a new version over checkpoint 1, a delete marker over 2.
    const forged = sign(1, null).replace('"manual"', '"forged"');
    const put = await fetch(`${s3.url}/audit-anchors/checkpoints/checkpoint-00000001.json`, { method: 'PUT', body: forged });
    expect(put.status).toBe(200);
    const del = await fetch(`${s3.url}/audit-anchors/checkpoints/checkpoint-00000002.json`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    // And the locked original cannot be removed.
    const locked = objects().get('checkpoints/checkpoint-00000001.json')![0].versionId;
    const removal = await fetch(`${s3.url}/audit-anchors/checkpoints/checkpoint-00000001.json?versionId=${locked}`, { method: 'DELETE' });
    expect(removal.status).toBe(403);

    const listed = await store.list();
    expect(listed).toHaveLength(2);
    expect(listed[0].text).toBe(original);
    expect(listed[0].problem).toMatch(/written again 1 time/);
    expect(listed[1].problem).toMatch(/deleted \(a delete marker\) 1 time/);
    const series = readCheckpointSeries(listed, publicKey);
    expect(series.checkpoints.map((c) => c.number)).toEqual([1, 2]);
    expect(series.problems).toHaveLength(2);
    expect(series.problems[0]).toMatch(/checkpoint-00000001\.json: was written again/);
    // The next number still follows the originals, and links to the latest original.
    expect(await store.head()).toEqual({ next: 3, latestText: (await store.list())[1].text });
    // Only the last ones are read when asked (the list of the API).
    expect((await store.list({ last: 1 })).map((f) => f.name)).toEqual(['checkpoint-00000002.json']);
  });

  it('names a checkpoint whose every version is gone (only delete markers), and keeps numbering after it', async () => {
    const store = new S3CheckpointStore(settings({ prefix: 'gone/' }));
    const first = sign(1, null);
    await store.write(1, first);
    await store.write(2, sign(2, first));
    // Past its retention (or under a governance lock with the right to bypass it): the version removed, a marker left.
    const bucket = objects();
    const [v] = bucket.get('gone/checkpoint-00000002.json')!;
    bucket.set('gone/checkpoint-00000002.json', [{ ...v, body: Buffer.alloc(0), deleteMarker: true }]);
    const listed = await store.list();
    expect(listed.map((f) => [f.name, f.problem ?? null])).toEqual([
      ['checkpoint-00000001.json', null],
      ['checkpoint-00000002.json', expect.stringMatching(/has no version left, only 1 delete marker\(s\): its content is gone/)],
    ]);
    expect(await store.head()).toEqual({ next: 3, latestText: first });
  });

  it('tells a bucket without Object Lock, refuses to write there, and names a missing bucket', async () => {
    expect(await new S3CheckpointStore(settings()).check()).toBeNull();
    const plain = new S3CheckpointStore(settings({ bucket: 'plain-bucket' }));
    expect(await plain.check()).toMatch(/plain-bucket has no Object Lock configuration/);
    await expect(plain.write(1, 'x')).rejects.toMatchObject({ code: 'InvalidRequest' });
    const missing = new S3CheckpointStore(settings({ bucket: 'no-such-bucket' }));
    await expect(missing.list()).rejects.toMatchObject({ code: 'NoSuchBucket' });
    expect(await missing.check()).toMatch(/cannot be reached|no Object Lock/);
  });
});
