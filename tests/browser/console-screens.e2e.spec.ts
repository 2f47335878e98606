import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser } from '../support/browser';
import { ExemptionDriver } from '../support/exemption-driver';
import { ROOT } from '../support/global-setup';
import { bootTestApp, type TestApp } from '../support/test-app';
import { seriousViolations } from './pages/accessibility';
import { LoginPage, newPerson } from './pages/console';

jest.setTimeout(300_000);

/**
 * Each main screen: axe-core finds no serious or critical violation, and a screenshot is taken. The
 * README's screenshots (docs/screenshots/) are written when missing or with UPDATE_SCREENSHOTS=1;
 * otherwise they go to a temporary folder, so a test run leaves the checkout unchanged.
 */
const SHOTS = join(ROOT, 'docs', 'screenshots');
const scratch = mkdtempSync(join(tmpdir(), 'pcw-shots-'));
function shotPath(name: string): string {
  const committed = join(SHOTS, `${name}.png`);
  if (process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(committed)) {
    mkdirSync(SHOTS, { recursive: true });
    return committed;
  }
  return join(scratch, `${name}.png`);
}

describeBrowser('console: every main screen is accessible (axe-core) and photographed (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let reviewCase: string;
  let committeeCase: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([bootTestApp({ env: { EXEMPTION_NOTICE_PERIOD_DAYS: '0' } }), launchBrowser()]);
    const x = new ExemptionDriver(t);
    reviewCase = await x.review({
      monitoring: (id) =>
        x.d
          .ok(id, 'investment_manager_1', { type: 'SUBMIT_MONITORING_REPORT', period: '2026-Q3', summary: '研发按计划推进' })
          .then(() => undefined),
    });
    await x.d.ok(reviewCase, 'legal_officer_2', {
      type: 'VERIFY_CRITERION',
      criterion: 'lawful_compliant',
      finding: 'met',
      note: '经核查符合',
    });
    const c = await x.d.create('investment_manager_1', { companyName: '长安氢能装备有限公司' });
    await x.d.toDueDiligence(c.id);
    await x.d.submitDd(c.id);
    await x.d.ok(c.id, 'risk_officer_1', { type: 'RISK_OPINION', opinion: 'conditional', reason: '技术风险较高', conditions: '分期出资' });
    await x.d.ok(c.id, 'committee_member_1', { type: 'CAST_VOTE', vote: 'approve', reason: '战略方向一致' });
    await x.d.ok(c.id, 'committee_member_2', { type: 'CAST_VOTE', vote: 'reject', reason: '估值偏高' });
    await x.d.ok(c.id, 'committee_member_3', { type: 'CAST_VOTE', vote: 'approve', reason: '团队优秀' });
    committeeCase = c.id;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function check(page: Page, name: string): Promise<void> {
    await page.waitForLoadState('networkidle');
    const violations = await seriousViolations(page);
    expect({ screen: name, violations }).toEqual({ screen: name, violations: [] });
    await page.screenshot({ path: shotPath(name) });
  }

  const screens: [string, string, string, (page: Page) => Promise<void>][] = [
    ['my-work', 'compliance_officer_1', '/work', (p) => p.getByRole('cell', { name: '核查认定' }).first().waitFor()],
    ['cases', 'investment_manager_1', '/cases', (p) => p.getByRole('link', { name: '长安氢能装备有限公司' }).waitFor()],
    ['case-workspace', 'investment_manager_1', '/cases/:committee?tab=timeline', (p) => p.getByText('出具风控意见').first().waitFor()],
    ['committee', 'committee_member_4', '/cases/:committee', (p) => p.getByText('法定票数 3/5').waitFor()],
    ['exemption', 'compliance_officer_1', '/cases/:review', (p) => p.getByText('程序合规报告').waitFor()],
    ['audit', 'auditor_1', '/audit', (p) => p.getByRole('cell', { name: '核查认定条件' }).first().waitFor()],
    ['funds', 'auditor_1', '/funds', (p) => p.getByRole('img', { name: '累计损失率与容亏率上限' }).waitFor()],
    ['admin', 'admin_1', '/admin', (p) => p.getByRole('cell', { name: 'auditor_1' }).waitFor()],
  ];

  it('the login page', async () => {
    const { context, page } = await newPerson(browser, t.api.url);
    await page.goto('/login');
    await page.getByLabel('用户名').waitFor();
    await check(page, 'login');
    await context.close();
  });

  it.each(screens)('%s', async (name, username, path, ready) => {
    const { context, page } = await newPerson(browser, t.api.url);
    await new LoginPage(page).open(path.replace(':committee', committeeCase).replace(':review', reviewCase), username);
    await ready(page);
    await check(page, name);
    await context.close();
  });

  it('the console works under its Content-Security-Policy (no violation reported)', async () => {
    const { context, page } = await newPerson(browser, t.api.url, 'zh-CN', { enforceCsp: true });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await new LoginPage(page).open(`/cases/${committeeCase}`, 'committee_member_4');
    await page.getByText('法定票数 3/5').waitFor();
    await page.waitForLoadState('networkidle');
    expect(violations).toEqual([]);
    await context.close();
  });

  it('the administrator creates a user and deactivates them in the console', async () => {
    const { context, page } = await newPerson(browser, t.api.url);
    await new LoginPage(page).open('/admin', 'admin_1');
    await page.getByRole('button', { name: '新建用户' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名').fill('risk_officer_9');
    await dialog.getByLabel('姓名').fill('王风控');
    await dialog.getByLabel('初始密码').fill('a-long-enough-password');
    // Pick the role as a user would with the keyboard: type part of its name, Enter takes the match.
    const roles = dialog.getByLabel('角色');
    await roles.click();
    await roles.fill('风控');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active').filter({ hasText: '风控' }).waitFor();
    await roles.press('Enter');
    // Close the role list by clicking the dialog's title: Escape would also close the dialog itself.
    await dialog.getByText('新建用户').click();
    await dialog.getByText('风控', { exact: true }).waitFor();
    await dialog.getByRole('button', { name: '提交' }).click();
    // The dialog closes on success; if the server refused, name its sentence instead of timing out.
    await Promise.race([dialog.waitFor({ state: 'detached' }), dialog.locator('.ant-alert').waitFor()]);
    if (await dialog.isVisible()) throw new Error(`user not created: ${await dialog.innerText()}`);
    const row = page.getByRole('row').filter({ hasText: 'risk_officer_9' });
    await row.getByRole('button', { name: '停用' }).click();
    await row.getByRole('button', { name: '启用' }).waitFor();
    await context.close();
  });
});
