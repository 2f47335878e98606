import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExemptionDriver } from '../support/exemption-driver';
import { ROOT } from '../support/global-setup';
import { bootTestApp, type TestApp } from '../support/test-app';
import { asSuperuser } from '../support/test-database';

/** DOC_SAMPLES_DIR=… keeps a copy of each kind's PDF (for the README's rendered pages). */
const keepSample = (kind: string, pdf: Buffer) => {
  if (process.env.DOC_SAMPLES_DIR) writeFileSync(join(process.env.DOC_SAMPLES_DIR, `${kind}.pdf`), pdf);
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');

function runDocumentVerify(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', join(ROOT, 'scripts', 'register-dist-paths.js'), join(ROOT, 'dist', 'scripts', 'document-verify.js'), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 },
      (err, stdout) => resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout }),
    );
  });
}

describe('issued documents', () => {
  let t: TestApp;
  let x: ExemptionDriver;
  let caseId: string;
  let companyName: string;
  let dir: string;

  beforeAll(async () => {
    t = await bootTestApp({ env: { EXEMPTION_NOTICE_PERIOD_DAYS: '0' } });
    x = new ExemptionDriver(t);
    dir = mkdtempSync(join(tmpdir(), 'pcw-docs-'));
    caseId = await x.review({ votes: ['approve', 'approve', 'approve', 'approve', 'reject'] });
    companyName = (await x.d.get(caseId)).companyName;
    await x.verifyAll(caseId);
    await x.decide(caseId, { outcome: 'exempt', reasons: '损失源于技术路线的客观变化，团队勤勉尽责。' });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  const issue = async (kind: string, id = caseId, username = 'compliance_officer_1') =>
    t
      .http()
      .post(`/api/cases/${id}/documents`)
      .set((await t.as(username)).auth)
      .send({ kind });
  const download = async (id: string, username = 'auditor_1') =>
    t
      .http()
      .get(`/api/documents/${id}`)
      .set((await t.as(username)).auth)
      .buffer(true)
      .parse((r, cb) => {
        const parts: Buffer[] = [];
        r.on('data', (c: Buffer) => parts.push(c));
        r.on('end', () => cb(null, Buffer.concat(parts)));
      });
  const verify = async (pdf: Buffer) =>
    t
      .http()
      .post('/api/documents/verify')
      .set((await t.as('investment_manager_2')).auth)
      .attach('file', pdf, { filename: 'check.pdf', contentType: 'application/pdf' });

  it('issues the committee resolution: numbered, in Chinese from the record, on the chain; an unchanged record returns the same document', async () => {
    const res = await issue('committee_resolution');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'committee_resolution', caseId, number: expect.stringMatching(/^〔20\d\d〕投决第\d+号$/) });
    const pdf = (await download(res.body.id)).body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(sha(pdf)).toBe(res.body.sha256);
    keepSample('committee_resolution', pdf);
    const text = pdfText(pdf);
    for (const phrase of [
      '投资决策委员会决议',
      res.body.number,
      companyName,
      '同意 4 票，反对 1 票，弃权 0 票',
      '决议：同意',
      '人民币 1,000,000.00 元',
      '核验信息',
      res.body.chainHeadHash,
      'Summary (English)',
    ])
      expect(text).toContain(phrase);

    const history = await x.history(caseId);
    const entry = history.find((e) => e.type === 'DOCUMENT_ISSUED') as unknown as { seq: string; payload: Record<string, unknown> };
    expect(entry.payload).toMatchObject({
      documentId: res.body.id,
      sha256: res.body.sha256,
      number: res.body.number,
      chainSeq: res.body.chainSeq,
    });
    expect(BigInt(entry.seq)).toBeGreaterThan(BigInt(res.body.chainSeq));

    const again = await issue('committee_resolution', caseId, 'committee_chair_1');
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(res.body.id);
    expect(again.body.number).toBe(res.body.number);
    const list = await t
      .http()
      .get(`/api/cases/${caseId}/documents`)
      .set((await t.as('auditor_1')).auth);
    expect(list.body.map((d: { id: string }) => d.id)).toEqual([res.body.id]);
  });

  it('issues the exemption determination and the public notice with the facts and findings of the record', async () => {
    const det = await issue('exemption_determination');
    expect(det.status).toBe(201);
    expect(det.body.number).toMatch(/^〔20\d\d〕免责认定第\d+号$/);
    const detPdf = (await download(det.body.id)).body as Buffer;
    keepSample('exemption_determination', detPdf);
    const text = pdfText(detPdf);
    for (const phrase of [
      '尽职免责认定书',
      det.body.number,
      companyName,
      '损失：人民币 600,000.00 元',
      '损失率 60.00%',
      '依法合规',
      '符合',
      // The hearing, legality review and appeal ruling do not apply to an exempt decision.
      '不适用',
      '未发现负面清单所列情形',
      '认定结论：免责',
      '国资委令第46号',
      '团队勤勉尽责',
      det.body.contentSha256,
    ])
      expect(text).toContain(phrase);

    const notice = await issue('public_notice');
    expect(notice.status).toBe(201);
    expect(notice.body.number).toMatch(/^〔20\d\d〕免责公示第\d+号$/);
    const noticePdf = (await download(notice.body.id)).body as Buffer;
    keepSample('public_notice', noticePdf);
    const noticeText = pdfText(noticePdf);
    for (const phrase of ['尽职免责认定结果公示', '公示期', '免责', companyName]) expect(noticeText).toContain(phrase);
  });

  it('refuses what the record does not support, and who may not issue or read', async () => {
    const draft = await x.d.create();
    const early = await issue('committee_resolution', draft.id);
    expect(early.status).toBe(422);
    expect(early.body.message).toMatch(/cannot be issued yet/);
    expect((await issue('fund_evaluation')).status).toBe(400);
    expect((await issue('committee_resolution', caseId, 'investment_manager_1')).status).toBe(403);
    expect((await issue('committee_resolution', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const docs = (
      await t
        .http()
        .get(`/api/cases/${caseId}/documents`)
        .set((await t.as('auditor_1')).auth)
    ).body as { id: string }[];
    expect((await download(docs[0].id, 'admin_1')).status).toBe(403);
    expect((await download('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('numbers stay gapless under 20 concurrent issues; a changed record gets a new number', async () => {
    const funds = await Promise.all(Array.from({ length: 20 }, () => x.createFund('angel')));
    const auth = (await t.as('compliance_officer_1')).auth;
    // Twenty issues at once on a busy machine can outwait the lock or pool timeout: that request is a
    // 503 with Retry-After (nothing taken, no number used), and a client retries it, as here.
    const issue = async (fundId: string) => {
      for (let attempt = 1; ; attempt++) {
        const res = await t.http().post(`/api/funds/${fundId}/documents`).set(auth).send({ kind: 'fund_evaluation' });
        if (res.status !== 503 || attempt === 5) return res;
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    };
    const results = await Promise.all(funds.map(issue));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const serials = results.map((r) => Number(/第(\d+)号/.exec(r.body.number as string)![1])).sort((a, b) => a - b);
    const first = serials[0];
    expect(serials).toEqual(Array.from({ length: 20 }, (_, i) => first + i));
    const counter = await asSuperuser(t.db.name, (c) =>
      c.query<{ last_serial: number }>(`SELECT last_serial FROM document_numbers WHERE kind = 'fund_evaluation'`),
    );
    expect(counter.rows[0].last_serial).toBe(first + 19);

    const same = await t.http().post(`/api/funds/${funds[0]}/documents`).set(auth).send({ kind: 'fund_evaluation' });
    expect(same.status).toBe(200);
    await x.d.create('investment_manager_1', { fundId: funds[0], companyName: '新项目科技有限公司' });
    const changed = await t.http().post(`/api/funds/${funds[0]}/documents`).set(auth).send({ kind: 'fund_evaluation' });
    expect(changed.status).toBe(201);
    expect(changed.body.number).not.toBe(same.body.number);
    const evalPdf = (await download(changed.body.id)).body as Buffer;
    keepSample('fund_evaluation', evalPdf);
    const text = pdfText(evalPdf);
    for (const phrase of ['基金全生命周期绩效评价报告', '新项目科技有限公司', '项目储备', '容亏率上限：70.00%'])
      expect(text).toContain(phrase);
    const list = await t.http().get(`/api/funds/${funds[0]}/documents`).set(auth);
    expect(list.body).toHaveLength(2);
  });

  it('document:verify and POST /api/documents/verify accept the issued PDF and reject one with a changed byte', async () => {
    const docs = (
      await t
        .http()
        .get(`/api/cases/${caseId}/documents`)
        .set((await t.as('auditor_1')).auth)
    ).body as { id: string; kind: string }[];
    const resolution = docs.find((d) => d.kind === 'committee_resolution')!;
    const pdf = (await download(resolution.id)).body as Buffer;
    const good = join(dir, 'resolution.pdf');
    writeFileSync(good, pdf);
    const changed = Buffer.from(pdf);
    changed[Math.floor(changed.length / 2)] ^= 0x01;
    const bad = join(dir, 'changed.pdf');
    writeFileSync(bad, changed);

    const ok = await runDocumentVerify([good, '--database-url', t.db.url]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ISSUED AND UNCHANGED: 〔20\d\d〕投决第\d+号/);
    const nope = await runDocumentVerify([bad, '--database-url', t.db.url]);
    expect(nope.code).toBe(1);
    expect(nope.stdout).toMatch(/^CHANGED: /);

    const api = await verify(pdf);
    expect(api.status).toBe(200);
    // Nothing was recorded on the case after the resolution was issued.
    expect(api.body).toMatchObject({ issued: true, unchanged: true, documentId: resolution.id, recordMovedOn: false });
    expect((await verify(changed)).body).toMatchObject({ issued: true, unchanged: false, documentId: resolution.id });
    const foreign = Buffer.from('%PDF-1.4\n% not ours\n%%EOF\n');
    expect((await verify(foreign)).body).toMatchObject({ issued: false, unchanged: false });
  });

  it('knows when the record has moved on, and verification names a stored document whose bytes were changed', async () => {
    const id = await x.funded();
    const res = await issue('committee_resolution', id);
    const pdf = (await download(res.body.id)).body as Buffer;
    expect((await verify(pdf)).body.recordMovedOn).toBe(false);
    await x.d.ok(id, 'investment_manager_1', { type: 'SUBMIT_MONITORING_REPORT', period: '2026-Q3', summary: '经营正常。' });
    expect((await verify(pdf)).body).toMatchObject({ issued: true, unchanged: true, recordMovedOn: true });

    await asSuperuser(t.db.name, async (c) => {
      await c.query('ALTER TABLE file_chunks DISABLE TRIGGER ALL');
      await c.query(`UPDATE file_chunks SET data = overlay(data placing '\\x00'::bytea from 100 for 1) WHERE file_id = $1`, [res.body.id]);
      await c.query('ALTER TABLE file_chunks ENABLE TRIGGER ALL');
    });
    const v = await t
      .http()
      .get(`/api/audit/verify?caseId=${id}`)
      .set((await t.as('auditor_1')).auth);
    expect(v.body.valid).toBe(false);
    expect(v.body.files.broken).toEqual([expect.objectContaining({ kind: 'document', id: res.body.id, fileName: res.body.number })]);
  });
});
