import { sign } from 'jsonwebtoken';
import type { Browser } from 'playwright-core';
import { CaseDriver } from '../support/case-driver';
import { describeBrowser, launchBrowser } from '../support/browser';
import { bootTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app';
import { CaseWorkspace } from './pages/case-workspace';
import { choose, LoginPage, newPerson } from './pages/console';
import { MyWork } from './pages/my-work';

jest.setTimeout(180_000);

describeBrowser('console: queues, the case workspace and its event forms (browser)', () => {
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

  it('serves the console at / and any path outside /api, while an unknown /api path stays a JSON 404', async () => {
    const page = await t.http().get('/cases/some-deep-link');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const api = await t.http().get('/api/no-such-thing');
    expect(api.status).toBe(404);
    expect(api.headers['content-type']).toMatch(/application\/json/);
    expect(api.body.statusCode).toBe(404);
  });

  it('proposes a case in 万元 (sent as fen), submits it, and the department head claims and approves it from the queue', async () => {
    const manager = await newPerson(browser, t.api.url);
    await new LoginPage(manager.page).open('/cases', 'investment_manager_1');
    await manager.page.getByRole('button', { name: '新建项目' }).click();
    const dialog = manager.page.getByRole('dialog');
    await dialog.getByLabel('企业名称').fill('西安光子芯片科技有限公司');
    await dialog.getByLabel('行业').fill('半导体');
    await choose(manager.page, dialog.getByLabel('基金'), '创业投资基金（演示）');
    await dialog.getByLabel('申请金额').fill('3000.5');
    await dialog.getByLabel('项目概述').fill('硅光芯片 A 轮');
    await dialog.getByRole('button', { name: '提交' }).click();
    await manager.page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    const caseId = manager.page.url().split('/').pop()!;
    const ws = new CaseWorkspace(manager.page);
    await ws.page.getByText('3,000.50 万元').waitFor();
    expect((await cases.get(caseId)).requestedAmountFen).toBe(3_000_500_000);
    await ws.send('提交立项');
    await ws.state().filter({ hasText: '立项审查' }).waitFor();
    await manager.context.close();

    const head = await newPerson(browser, t.api.url);
    await new LoginPage(head.page).open('/work?assignee=unassigned', 'department_head_1');
    const work = new MyWork(head.page);
    const row = work.row('西安光子芯片科技有限公司');
    await row.getByRole('button', { name: '认领' }).click();
    await row.waitFor({ state: 'detached' }); // no longer unassigned
    await head.page.getByText('我的', { exact: true }).click();
    await row.getByRole('button', { name: '释放' }).waitFor();
    expect(head.page.url()).toContain('assignee=me');
    await row.getByRole('link', { name: '办理' }).click();
    const review = new CaseWorkspace(head.page);
    await review.send('批准立项', (form) => review.fill(form, '理由', '技术领先，团队完整'));
    await review.state().filter({ hasText: '尽职调查' }).waitFor();
    await head.page.getByRole('tab', { name: '审批记录' }).click();
    await head.page.getByText('技术领先，团队完整').waitFor();
    await head.page.getByText('认领任务').waitFor();
    await head.context.close();
  });

  it('two people send on the same case: the second sees the conflict, reloads, keeps what was typed and succeeds', async () => {
    const c = await cases.create('investment_manager_1', { companyName: '并发测试科技' });
    await cases.ok(c.id, 'investment_manager_1', { type: 'SUBMIT' });
    await cases.ok(c.id, 'department_head_1', { type: 'APPROVE' });
    const a = await newPerson(browser, t.api.url);
    const b = await newPerson(browser, t.api.url);
    await new LoginPage(a.page).open(`/cases/${c.id}`, 'investment_manager_1');
    await new LoginPage(b.page).open(`/cases/${c.id}`, 'investment_manager_1');
    const first = new CaseWorkspace(a.page);
    const second = new CaseWorkspace(b.page);
    const form = await second.start('提交尽调报告');
    await second.pick(form, '尽调工作', '财务');
    await second.fill(form, '结论', '财务状况良好');
    await second.fill(form, '发现事项', '应收账款周转偏慢');

    await first.send('提交尽调报告', async (f) => {
      await first.pick(f, '尽调工作', '业务');
      await first.fill(f, '结论', '市场空间大');
      await first.fill(f, '发现事项', '竞争激烈');
    });

    await second.submit(form, '提交尽调报告');
    const conflict = second.alert().filter({ hasText: '其他人已在您之后更新了此项目' });
    await conflict.waitFor();
    await conflict.getByRole('button', { name: '重新加载' }).click();
    await conflict.waitFor({ state: 'detached' });
    expect(await second.field(form, '结论').inputValue()).toBe('财务状况良好');
    await second.submit(form, '提交尽调报告');
    await b.page.getByText('已提交：提交尽调报告').waitFor();
    const after = await cases.get(c.id);
    expect(Object.keys(after.workflow.ddReports ?? {}).sort()).toEqual(['business', 'financial']);
    await a.context.close();
    await b.context.close();
  });

  it('does not offer a forbidden action, and a forged one shows the server’s own message', async () => {
    const c = await cases.create('investment_manager_1', { companyName: '越权测试科技' });
    await cases.ok(c.id, 'investment_manager_1', { type: 'SUBMIT' });
    // Compliance reads every case (oversight) but has nothing to do on a proposal in screening. (A risk
    // officer would not see this case at all: need-to-know.)
    const risk = await newPerson(browser, t.api.url);
    await new LoginPage(risk.page).open(`/cases/${c.id}`, 'compliance_officer_1');
    const ws = new CaseWorkspace(risk.page);
    await risk.page.getByText('您当前在此项目上没有可办理的事项').waitFor();
    expect(await ws.action('批准立项').count()).toBe(0);

    // The owner may not approve their own proposal: forge the offer, the server refuses it.
    const owner = await newPerson(browser, t.api.url);
    await owner.page.route(`**/api/cases/${c.id}`, async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      await route.fulfill({ response: res, json: { ...body, availableEvents: [...body.availableEvents, 'APPROVE'] } });
    });
    await new LoginPage(owner.page).open(`/cases/${c.id}`, 'investment_manager_1');
    const forged = new CaseWorkspace(owner.page);
    const form = await forged.start('批准立项');
    const answer = owner.page.waitForResponse((r) => r.url().endsWith(`/api/cases/${c.id}/events`));
    await forged.submit(form, '批准立项');
    const refused = await (await answer).json();
    expect([403, 422]).toContain(refused.statusCode);
    expect(refused.messageZh).toBeTruthy();
    await forged.alert().filter({ hasText: refused.messageZh }).waitFor();
    expect((await cases.get(c.id)).state).toBe('screening');
    await risk.context.close();
    await owner.context.close();
  });

  it('an expired access token is refreshed silently; once the session is over, login and back to the page', async () => {
    const c = await cases.create('investment_manager_1', { companyName: '过期令牌测试' });
    const auditor = await newPerson(browser, t.api.url);
    await new LoginPage(auditor.page).open(`/cases/${c.id}`, 'auditor_1');
    await auditor.page.getByRole('heading', { name: /过期令牌测试/ }).waitFor();
    const { id } = await t.as('auditor_1');
    const expired = sign(
      { sub: id, username: 'auditor_1', displayName: 'x', roles: ['auditor'], exp: Math.floor(Date.now() / 1000) - 10 },
      TEST_JWT_SECRET,
    );
    const stored = (patch: string) =>
      auditor.page.evaluate(`(() => {
        const s = JSON.parse(localStorage.getItem('pcw.session'));
        localStorage.setItem('pcw.session', JSON.stringify({ ...s, ${patch} }));
      })()`);

    // The refresh token still works: the page loads without a detour and the access token is new.
    await stored(`token: ${JSON.stringify(expired)}`);
    await auditor.page.goto(`/cases/${c.id}?tab=timeline`);
    await auditor.page.getByText('创建项目').waitFor();
    expect(new URL(auditor.page.url()).pathname).toBe(`/cases/${c.id}`);
    expect(await auditor.page.evaluate(`JSON.parse(localStorage.getItem('pcw.session')).token`)).not.toBe(expired);

    // The session is over (refresh refused): the login page, then back where the person was.
    await stored(`token: ${JSON.stringify(expired)}, refreshToken: 'spent'`);
    await auditor.page.goto(`/cases/${c.id}`);
    await auditor.page.getByText('登录已过期').waitFor();
    await new LoginPage(auditor.page).signIn('auditor_1');
    await auditor.page.getByRole('heading', { name: /过期令牌测试/ }).waitFor();
    expect(new URL(auditor.page.url()).pathname).toBe(`/cases/${c.id}`);
    await auditor.context.close();
  });

  it('switches to English', async () => {
    const p = await newPerson(browser, t.api.url);
    await new LoginPage(p.page).open('/work', 'risk_officer_1');
    await p.page.getByRole('button', { name: 'English' }).click();
    await p.page.getByRole('heading', { name: 'My work' }).waitFor();
    await p.page.getByRole('link', { name: 'Cases' }).waitFor();
    await p.context.close();
  });
});
