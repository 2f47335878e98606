import type { Locator, Page } from 'playwright-core';

/** 工作台: the queues of the signed-in person. */
export class MyWork {
  constructor(readonly page: Page) {}

  async open(query = ''): Promise<void> {
    await this.page.goto(`/work${query}`);
    await this.page.getByRole('heading', { name: '我的工作台' }).waitFor();
  }

  row(text: string): Locator {
    return this.page.getByRole('row').filter({ hasText: text });
  }
}
