import type { Page } from 'playwright-core';

/** 审计: search, verify, export. */
export class AuditPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/audit');
    await this.page.getByRole('heading', { name: '审计' }).waitFor();
  }

  async searchCase(caseId: string): Promise<void> {
    await this.page.getByLabel('项目编号').fill(caseId);
    await this.page.getByRole('button', { name: '查询' }).click();
  }

  async verify(): Promise<string> {
    await this.page.getByRole('button', { name: /校验/ }).click();
    const status = this.page.getByRole('status').filter({ hasText: '记录链' });
    await status.waitFor();
    return status.innerText();
  }

  async downloadCsv(): Promise<string> {
    const [file] = await Promise.all([this.page.waitForEvent('download'), this.page.getByRole('button', { name: '下载 CSV' }).click()]);
    const stream = await file.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
}
