import type { Locator, Page } from 'playwright-core';

/** 尽职免责审查 tab of a case: the record, and its 正当程序 (due process) section part by part. */
export class ExemptionRecordPage {
  constructor(readonly page: Page) {}

  async open(caseId: string): Promise<void> {
    await this.page.goto(`/cases/${caseId}?tab=exemption`);
    await this.dueProcess().waitFor();
  }

  /** The 正当程序 section. */
  dueProcess(): Locator {
    return this.page.getByRole('region', { name: '正当程序' });
  }

  /** A part of the section by its heading: 三个区分开来, 申辩（陈述申辩）, 合法性审查, 申诉与复核, 重新认定. */
  part(name: string): Locator {
    return this.dueProcess().getByRole('group', { name, exact: true });
  }

  /** The n-th hearing (申辩 1, 申辩 2…), every round kept. */
  hearing(n: number): Locator {
    return this.part('申辩（陈述申辩）').getByRole('group', { name: `申辩 ${n}`, exact: true });
  }

  /** The n-th appeal round with its ruling. */
  appeal(n: number): Locator {
    return this.part('申诉与复核').getByRole('group', { name: `申诉与复核 ${n}`, exact: true });
  }

  /** A table row of `scope` naming all of `texts`; waits for it. */
  async row(scope: Locator, ...texts: string[]): Promise<Locator> {
    let row = scope.getByRole('row');
    for (const text of texts) row = row.filter({ hasText: text });
    await row.first().waitFor();
    return row.first();
  }

  /** A row of the procedural-compliance report by its rule (Chinese). */
  async reportRow(ruleZh: string, ...texts: string[]): Promise<Locator> {
    const card = this.page.locator('.ant-card').filter({ has: this.page.getByText('程序合规报告', { exact: true }) });
    return this.row(card, ruleZh, ...texts);
  }
}
