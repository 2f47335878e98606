import { createHash } from 'node:crypto';
import type { Browser, Download, Page } from 'playwright-core';
import { CaseDriver } from '../support/case-driver';
import { describeBrowser, launchBrowser } from '../support/browser';
import { bootTestApp, type TestApp } from '../support/test-app';
import { AuditPage } from './pages/audit';
import { CaseWorkspace } from './pages/case-workspace';
import { LoginPage, newPerson } from './pages/console';

jest.setTimeout(240_000);

const pdf = (text: string) =>
  Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'utf8');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function bytesOf(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await download.createReadStream()) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Clicks `name` in the files tab and returns what the browser saved. */
async function downloadFrom(page: Page, name: string): Promise<{ fileName: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name, exact: true }).click()]);
  return { fileName: file.suggestedFilename(), bytes: await bytesOf(file) };
}

describeBrowser('console: evidence files and issued documents (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let cases: CaseDriver;

  beforeAll(async () => {
    [t, browser] = await Promise.all([bootTestApp(), launchBrowser()]);
    cases = new CaseDriver(t);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('uploads evidence in the files tab and from inside a form, cites both in a DD report, refuses an executable, and downloads a file intact', async () => {
    const c = await cases.create('investment_manager_1', { companyName: '长安储能材料有限公司' });
    await cases.toDueDiligence(c.id);
    const { context, page } = await newPerson(browser, t.api.url);
    await new LoginPage(page).open(`/cases/${c.id}?tab=files`, 'investment_manager_1');
    const ws = new CaseWorkspace(page);

    const report = pdf('财务尽调底稿');
    await page.locator('input[type=file]').first().setInputFiles({ name: '财务尽调底稿.pdf', mimeType: 'application/pdf', buffer: report });
    await page.getByText('已上传：财务尽调底稿.pdf').waitFor();
    const row = page.getByRole('row').filter({ hasText: '财务尽调底稿.pdf' });
    await row.getByText('application/pdf').waitFor();
    await row.getByText(sha(report).slice(0, 12)).waitFor();

    // A Windows/ELF executable named .pdf: the server's own sentence, nothing stored.
    await page
      .locator('input[type=file]')
      .first()
      .setInputFiles({ name: '伪装.pdf', mimeType: 'application/pdf', buffer: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]) });
    await page.locator('.ant-message').getByText('文件“伪装.pdf”的实际内容为不被接受的类型（application/x-elf），未保存。').waitFor();
    expect(await page.getByRole('row').filter({ hasText: '伪装.pdf' }).count()).toBe(0);

    const saved = await downloadFrom(page, '财务尽调底稿.pdf');
    expect(saved.fileName).toBe('财务尽调底稿.pdf');
    expect(sha(saved.bytes)).toBe(sha(report));

    // The DD report cites the file already there and one uploaded from inside the form.
    const minutes = pdf('访谈纪要');
    await ws.send('提交尽调报告', async (f) => {
      await ws.pick(f, '尽调工作', '财务');
      await ws.fill(f, '结论', '财务规范');
      await ws.fill(f, '发现事项', '应收账款周转偏慢');
      await ws.pick(f, '引用的证据文件', '财务尽调底稿.pdf');
      await f.locator('input[type=file]').setInputFiles({ name: '访谈纪要.pdf', mimeType: 'application/pdf', buffer: minutes });
      await f.locator('.ant-select-selection-item').filter({ hasText: '访谈纪要.pdf' }).waitFor();
    });
    const history = (
      await t
        .http()
        .get(`/api/cases/${c.id}/history`)
        .set((await t.as('auditor_1')).auth)
    ).body as {
      type: string;
      payload: { server?: { citedEvidence?: { fileName: string; sha256: string }[] } };
    }[];
    const dd = history.filter((e) => e.type === 'SUBMIT_DD_REPORT').pop()!;
    expect(dd.payload.server?.citedEvidence?.map((e) => [e.fileName, e.sha256])).toEqual([
      ['财务尽调底稿.pdf', sha(report)],
      ['访谈纪要.pdf', sha(minutes)],
    ]);
    await context.close();
  });

  it('the chair issues the committee resolution and downloads it; the auditor checks the paper, and a changed copy is caught', async () => {
    const c = await cases.create('investment_manager_1', { companyName: '汉江卫星通信有限公司' });
    await cases.toExecution(c.id);
    const chair = await newPerson(browser, t.api.url);
    await new LoginPage(chair.page).open(`/cases/${c.id}?tab=files`, 'committee_chair_1');
    await chair.page.getByText('尚未签发文书').waitFor();
    await chair.page.getByRole('button', { name: '签发' }).click(); // the committee resolution is the first kind offered
    const issued = chair.page.getByText(/^已签发：〔\d{4}〕投决第\d+号$/);
    await issued.waitFor();
    const number = (await issued.innerText()).replace('已签发：', '');
    const paper = await downloadFrom(chair.page, number);
    expect(paper.fileName).toBe(`${number}.pdf`);
    expect(paper.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    await chair.context.close();

    const auditor = await newPerson(browser, t.api.url);
    await new LoginPage(auditor.page).open('/audit', 'auditor_1');
    await new AuditPage(auditor.page).open();
    const check = async (bytes: Buffer) => {
      await auditor.page.getByRole('button', { name: '选择 PDF 文件' }).waitFor();
      await auditor.page.locator('input[type=file]').setInputFiles({ name: 'check.pdf', mimeType: 'application/pdf', buffer: bytes });
    };
    await check(paper.bytes);
    await auditor.page
      .getByRole('status')
      .filter({ hasText: `${number}：由本系统签发，内容未被改动。` })
      .waitFor();
    const changed = Buffer.from(paper.bytes);
    changed[changed.length - 20] ^= 0x01;
    await check(changed);
    await auditor.page
      .getByRole('status')
      .filter({ hasText: `${number}：由本系统签发，但文件已被改动` })
      .waitFor();
    await auditor.context.close();
  });
});
