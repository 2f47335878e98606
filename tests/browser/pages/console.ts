import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../support/test-app';

/**
 * A person at the console: a browser context of their own (Chinese, China Standard Time). The server's
 * Content-Security-Policy (script-src 'self') would block the axe-core script the accessibility checks
 * inject, so contexts bypass it unless `enforceCsp` (the test that the console runs under it).
 */
export async function newPerson(
  browser: Browser,
  baseURL: string,
  locale = 'zh-CN',
  opts: { enforceCsp?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL,
    locale,
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1360, height: 900 },
    bypassCSP: !opts.enforceCsp,
  });
  context.setDefaultTimeout(45_000); // generous: CI shares two cores with the API and PostgreSQL
  const page = await context.newPage();
  return { context, page };
}

/** Picks an option of an Ant Design select by its visible text. */
export async function choose(page: Page, field: Locator, option: string | RegExp): Promise<void> {
  await field.click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: option }).first().click();
}

export class LoginPage {
  constructor(private readonly page: Page) {}

  async signIn(username: string, password = DEMO_PASSWORD): Promise<void> {
    await this.page.getByLabel('用户名').fill(username);
    await this.page.getByLabel('密码').fill(password);
    await this.page.getByRole('button', { name: '登录' }).click();
  }

  /** Opens the console at `path` and signs in there (the login page sends them back). */
  async open(path: string, username: string): Promise<void> {
    await this.page.goto(path);
    await this.signIn(username);
    await this.page.getByRole('button', { name: '退出登录' }).waitFor();
  }

  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: '退出登录' }).click();
    await this.page.getByLabel('用户名').waitFor();
  }
}
