import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CaseDriver } from '../support/case-driver';
import { ROOT } from '../support/global-setup';
import { bootTestApp, type TestApp } from '../support/test-app';
import { asSuperuser } from '../support/test-database';

const MAX = 64 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const pdf = (text: string) =>
  Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'utf8');

function runVerifier(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', join(ROOT, 'scripts', 'register-dist-paths.js'), join(ROOT, 'dist', 'scripts', 'audit-verify.js'), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 },
      (err, stdout) => resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout }),
    );
  });
}

describe('evidence files', () => {
  let t: TestApp;
  let d: CaseDriver;
  let caseId: string;

  beforeAll(async () => {
    t = await bootTestApp({ env: { EVIDENCE_MAX_BYTES: String(MAX) } });
    d = new CaseDriver(t);
    caseId = (await d.create()).id;
    await d.toDueDiligence(caseId);
  });
  afterAll(() => t.close());

  const upload = async (id: string, username: string, content: Buffer, filename: string, contentType = 'application/pdf') =>
    t
      .http()
      .post(`/api/cases/${id}/evidence`)
      .set((await t.as(username)).auth)
      .attach('file', content, { filename, contentType });

  const stored = () =>
    asSuperuser(t.db.name, async (c) => {
      const files = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM evidence_files');
      const chunks = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM file_chunks');
      const entries = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_entries WHERE type = 'EVIDENCE_UPLOADED'`);
      return { files: files.rows[0].n, chunks: chunks.rows[0].n, entries: entries.rows[0].n };
    });

  it('round trip: a file with a Chinese name comes back byte for byte, with its name, type and SHA-256; the chain entry carries the hash', async () => {
    const content = pdf('财务尽调 financial DD');
    const name = '尽职调查报告（财务）2026年.pdf';
    const res = await upload(caseId, 'investment_manager_1', content, name, 'text/plain');
    expect(res.status).toBe(201);
    const me = await t.as('investment_manager_1');
    expect(res.body).toMatchObject({
      caseId,
      fileName: name,
      mediaType: 'application/pdf',
      sizeBytes: content.length,
      sha256: sha(content),
      uploadedBy: me.id,
    });

    const down = await t
      .http()
      .get(`/api/evidence/${res.body.id}`)
      .set((await t.as('auditor_1')).auth)
      .buffer(true)
      .parse((r, cb) => {
        const parts: Buffer[] = [];
        r.on('data', (c: Buffer) => parts.push(c));
        r.on('end', () => cb(null, Buffer.concat(parts)));
      });
    expect(down.status).toBe(200);
    expect(Buffer.compare(down.body as Buffer, content)).toBe(0);
    expect(down.headers['content-type']).toBe('application/pdf');
    expect(down.headers['x-content-sha256']).toBe(sha(content));
    const disposition = down.headers['content-disposition'];
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1])).toBe(name);

    const history = (
      await t
        .http()
        .get(`/api/cases/${caseId}/history`)
        .set((await t.as('auditor_1')).auth)
    ).body as {
      seq: string;
      type: string;
      payload: Record<string, unknown>;
    }[];
    const entry = history.find((e) => e.type === 'EVIDENCE_UPLOADED' && e.payload.evidenceId === res.body.id)!;
    expect(entry.payload).toMatchObject({ sha256: sha(content), sizeBytes: content.length, fileName: name, mediaType: 'application/pdf' });
    expect(entry.seq).toBe(res.body.chainSeq);

    const list = await t
      .http()
      .get(`/api/cases/${caseId}/evidence`)
      .set((await t.as('auditor_1')).auth);
    expect(list.status).toBe(200);
    expect(list.body.map((e: { id: string }) => e.id)).toContain(res.body.id);
  });

  it('sniffs the type from the content: text, PNG, a Word document named .bin', async () => {
    const text = await upload(caseId, 'investment_manager_1', Buffer.from('会议纪要：同意立项。\n', 'utf8'), '纪要.txt', 'application/pdf');
    expect(text.status).toBe(201);
    expect(text.body.mediaType).toBe('text/plain; charset=utf-8');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
    expect((await upload(caseId, 'investment_manager_1', png, 'scan.pdf')).body.mediaType).toBe('image/png');
    const docx = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04]),
      Buffer.alloc(26),
      Buffer.from('[Content_Types].xml....word/document.xml'),
    ]);
    expect((await upload(caseId, 'investment_manager_1', docx, 'report.bin')).body.mediaType).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
  });

  it('refuses an empty, an oversized and a disguised file with a clear 4xx, and stores nothing', async () => {
    const before = await stored();
    const empty = await upload(caseId, 'investment_manager_1', Buffer.alloc(0), 'empty.pdf');
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/empty/);
    expect(empty.body.messageZh).toMatch(/为空/);

    const big = await upload(caseId, 'investment_manager_1', Buffer.concat([pdf('big'), Buffer.alloc(MAX, 0x20)]), '大文件.pdf');
    expect(big.status).toBe(413);
    expect(big.body.message).toMatch(/larger than the limit of 64 KB|larger than the limit/);

    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
    const disguised = await upload(caseId, 'investment_manager_1', exe, '合同扫描件.pdf', 'application/pdf');
    expect(disguised.status).toBe(415);
    expect(disguised.body.message).toMatch(/Windows executable/);

    const elf = await upload(caseId, 'investment_manager_1', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), 'a.pdf');
    expect(elf.status).toBe(415);
    const binary = await upload(caseId, 'investment_manager_1', Buffer.from([1, 2, 3, 0, 0, 0, 4]), 'data.txt', 'text/plain');
    expect(binary.status).toBe(415);

    const noFile = await t
      .http()
      .post(`/api/cases/${caseId}/evidence`)
      .set((await t.as('investment_manager_1')).auth)
      .field('other', 'x');
    expect(noFile.status).toBe(400);
    const json = await t
      .http()
      .post(`/api/cases/${caseId}/evidence`)
      .set((await t.as('investment_manager_1')).auth)
      .send({ file: 'x' });
    expect(json.status).toBe(400);

    expect(await stored()).toEqual(before);
  });

  it('only someone who may act on the case uploads; readers download; others get 403 or 404', async () => {
    const content = pdf('access');
    const ok = await upload(caseId, 'investment_manager_1', content, 'a.pdf');
    expect(ok.status).toBe(201);
    // Not on the team and nothing to do on the case: need-to-know hides the case itself (404, as for a case that does not exist).
    expect((await upload(caseId, 'investment_manager_2', content, 'b.pdf')).status).toBe(404);
    expect((await upload(caseId, 'auditor_1', content, 'b.pdf')).status).toBe(403);
    expect((await upload(caseId, 'admin_1', content, 'b.pdf')).status).toBe(403);
    expect((await upload('00000000-0000-4000-8000-000000000000', 'investment_manager_1', content, 'b.pdf')).status).toBe(404);

    const admin = (await t.as('admin_1')).auth;
    expect((await t.http().get(`/api/evidence/${ok.body.id}`).set(admin)).status).toBe(403);
    expect((await t.http().get(`/api/cases/${caseId}/evidence`).set(admin)).status).toBe(403);
    const auditor = (await t.as('auditor_1')).auth;
    expect((await t.http().get('/api/evidence/00000000-0000-4000-8000-000000000000').set(auditor)).status).toBe(404);
    expect((await t.http().get('/api/evidence/not-a-uuid').set(auditor)).status).toBe(400);
    expect((await t.http().get(`/api/evidence/${ok.body.id}`)).status).toBe(401);
  });

  it('events cite uploaded files by id: the chain entry carries their SHA-256; a file of another case is refused', async () => {
    const content = pdf('business DD');
    const file = (await upload(caseId, 'investment_manager_1', content, '商业尽调.pdf')).body;
    const other = await d.create();
    await d.toDueDiligence(other.id);
    const foreign = (await upload(other.id, 'investment_manager_1', pdf('other case'), 'x.pdf')).body;

    const refused = await d.send(caseId, 'investment_manager_1', {
      type: 'SUBMIT_DD_REPORT',
      workstream: 'business',
      conclusion: 'Positive',
      findings: 'Market checked',
      evidenceIds: [file.id, foreign.id],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain(foreign.id);
    expect(
      (
        await d.send(caseId, 'investment_manager_1', {
          type: 'SUBMIT_DD_REPORT',
          workstream: 'business',
          conclusion: 'x',
          findings: 'y',
          evidenceIds: ['nope'],
        })
      ).status,
    ).toBe(400);

    await d.ok(caseId, 'investment_manager_1', {
      type: 'SUBMIT_DD_REPORT',
      workstream: 'business',
      conclusion: 'Positive',
      findings: 'Market checked',
      evidenceIds: [file.id],
    });
    const history = (
      await t
        .http()
        .get(`/api/cases/${caseId}/history`)
        .set((await t.as('auditor_1')).auth)
    ).body as {
      type: string;
      payload: { server?: { citedEvidence?: unknown } };
    }[];
    const dd = history.filter((e) => e.type === 'SUBMIT_DD_REPORT').pop()!;
    expect(dd.payload.server?.citedEvidence).toEqual([{ id: file.id, fileName: '商业尽调.pdf', sha256: sha(content) }]);
  });

  it('the tables are append-only, and verification names a stored file whose bytes were changed', async () => {
    const content = pdf('to be tampered with');
    const file = (await upload(caseId, 'investment_manager_1', content, '被篡改.pdf')).body;
    const auditor = (await t.as('auditor_1')).auth;
    const clean = await t.http().get('/api/audit/verify').set(auditor);
    expect(clean.body).toMatchObject({ valid: true, files: { brokenCount: 0 } });
    expect(clean.body.files.checked).toBeGreaterThan(0);

    await asSuperuser(t.db.name, async (c) => {
      await expect(c.query(`UPDATE file_chunks SET data = 'x' WHERE file_id = $1`, [file.id])).rejects.toMatchObject({ code: 'PCA01' });
      await expect(c.query(`DELETE FROM evidence_files WHERE id = $1`, [file.id])).rejects.toMatchObject({ code: 'PCA01' });
      // Someone with the owner's rights turns the triggers off and edits one byte.
      await c.query('ALTER TABLE file_chunks DISABLE TRIGGER ALL');
      await c.query(`UPDATE file_chunks SET data = overlay(data placing '\\x41'::bytea from 12 for 1) WHERE file_id = $1`, [file.id]);
      await c.query('ALTER TABLE file_chunks ENABLE TRIGGER ALL');
    });
    const res = await t.http().get('/api/audit/verify').set(auditor);
    expect(res.body.valid).toBe(false);
    expect(res.body.brokenChains).toBe(0);
    expect(res.body.files.broken).toEqual([
      expect.objectContaining({
        kind: 'evidence',
        id: file.id,
        caseId,
        fileName: '被篡改.pdf',
        problem: expect.stringContaining(sha(content)),
      }),
    ]);
    const perCase = await t.http().get(`/api/audit/verify?caseId=${caseId}`).set(auditor);
    expect(perCase.body.files.brokenCount).toBe(1);

    const cli = await runVerifier(['--database-url', t.db.url]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`CHANGED evidence ${file.id}`);
  });

  describe('Idempotency-Key', () => {
    const keyed = async (id: string, username: string, content: Buffer, filename: string, key: string) =>
      t
        .http()
        .post(`/api/cases/${id}/evidence`)
        .set((await t.as(username)).auth)
        .set('Idempotency-Key', key)
        .attach('file', content, { filename, contentType: 'application/pdf' });

    it('a retried upload with the same key gets the first answer (Idempotent-Replayed) and stores nothing', async () => {
      const key = `upload-${Date.now()}-${Math.random()}`;
      const content = pdf('retried upload');
      const first = await keyed(caseId, 'investment_manager_1', content, '重传.pdf', key);
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const before = await stored();
      const again = await keyed(caseId, 'investment_manager_1', content, '重传.pdf', key);
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await stored()).toEqual(before);
      // Parallel retries: still the one file, every answer the first.
      const answers = await Promise.all(Array.from({ length: 4 }, () => keyed(caseId, 'investment_manager_1', content, '重传.pdf', key)));
      expect(answers.map((a) => [a.status, a.body.id])).toEqual(Array(4).fill([201, first.body.id]));
      expect(await stored()).toEqual(before);
    });

    it('parallel first sends with one new key store one file, and every answer is the same', async () => {
      const key = `race-${Date.now()}-${Math.random()}`;
      const content = pdf('raced upload');
      const before = await stored();
      const answers = await Promise.all(Array.from({ length: 4 }, () => keyed(caseId, 'investment_manager_1', content, 'race.pdf', key)));
      expect(answers.map((a) => a.status)).toEqual(Array(4).fill(201));
      for (const a of answers) expect(a.body).toEqual(answers[0].body);
      const after = await stored();
      expect([after.files - before.files, after.entries - before.entries]).toEqual([1, 1]);
    });

    it('the same key with another file is a 422 with a sentence, and stores nothing', async () => {
      const key = `other-${Date.now()}-${Math.random()}`;
      expect((await keyed(caseId, 'investment_manager_1', pdf('first file'), 'a.pdf', key)).status).toBe(201);
      const before = await stored();
      for (const [content, name] of [
        [pdf('another file'), 'a.pdf'],
        [pdf('first file'), 'renamed.pdf'],
      ] as const) {
        const res = await keyed(caseId, 'investment_manager_1', content, name, key);
        expect([name, res.status]).toEqual([name, 422]);
        expect(res.body.message).toMatch(/Idempotency-Key .* was used .* for another request/);
        expect(res.body.messageZh).toMatch(/幂等键/);
      }
      expect(await stored()).toEqual(before);
      // A malformed key is a 400, as on every route.
      expect((await keyed(caseId, 'investment_manager_1', pdf('x'), 'x.pdf', 'has space')).status).toBe(400);
    });
  });
});
