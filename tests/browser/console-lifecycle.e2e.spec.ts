import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchBrowser } from '../support/browser';
import { bootTestApp, type TestApp } from '../support/test-app';
import { AuditPage } from './pages/audit';
import { CaseWorkspace } from './pages/case-workspace';
import { choose, LoginPage, newPerson } from './pages/console';

jest.setTimeout(600_000);

/** A time in China Standard Time as the date pickers take it: "2026-11-20 10:00". */
function cst(msAgo: number): string {
  const d = new Date(Date.now() - msAgo + 8 * 3_600_000);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}
const DAY = 86_400_000;

describeBrowser('console: one case from proposal to closed exemption review, each role in turn, then the auditor (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let ws: CaseWorkspace;
  let caseId: string;

  beforeAll(async () => {
    [t, browser] = await Promise.all([bootTestApp({ env: { EXEMPTION_NOTICE_PERIOD_DAYS: '0' } }), launchBrowser()]);
    ({ context, page } = await newPerson(browser, t.api.url));
    ws = new CaseWorkspace(page);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  /** Signs in as `username` on the case, does `steps`, signs out. */
  async function as(username: string, steps: () => Promise<void>): Promise<void> {
    await new LoginPage(page).open(`/cases/${caseId}`, username);
    await steps();
    await new LoginPage(page).signOut();
  }

  const tab = (name: string) => page.getByRole('tab', { name }).click();

  it('walks the whole lifecycle in the console', async () => {
    try {
      await walk();
    } catch (err) {
      await page.screenshot({ path: '/tmp/lc-fail.png' });
      console.log(await page.getByRole('alert').allInnerTexts());
      throw err;
    }
  });

  async function walk() {
    await new LoginPage(page).open('/cases', 'investment_manager_1');
    await page.getByRole('button', { name: '新建项目' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('企业名称').fill('秦岭量子传感技术有限公司');
    await dialog.getByLabel('行业').fill('量子传感');
    await choose(page, dialog.getByLabel('基金'), '创业投资基金（演示）');
    await dialog.getByLabel('申请金额').fill('1000');
    await dialog.getByLabel('项目概述').fill('量子精密测量 Pre-A 轮');
    await dialog.getByRole('button', { name: '提交' }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    caseId = page.url().split('/').pop()!;
    await ws.send('提交立项');
    await new LoginPage(page).signOut();

    await as('department_head_1', () => ws.send('批准立项', (f) => ws.fill(f, '理由', '符合基金投资方向')));

    await as('investment_manager_1', async () => {
      for (const [stream, conclusion] of [
        ['业务', '市场前景良好'],
        ['财务', '财务规范'],
        ['技术', '技术领先'],
      ]) {
        await ws.send('提交尽调报告', async (f) => {
          await ws.pick(f, '尽调工作', stream);
          await ws.fill(f, '结论', conclusion);
          await ws.fill(f, '发现事项', '无重大风险');
        });
      }
    });
    await as('legal_officer_1', () =>
      ws.send('提交尽调报告', async (f) => {
        await ws.pick(f, '尽调工作', '法律');
        await ws.fill(f, '结论', '股权清晰');
        await ws.fill(f, '发现事项', '无诉讼');
      }),
    );
    await as('risk_officer_1', () =>
      ws.send('出具风控意见', async (f) => {
        await ws.pick(f, '意见', '通过');
        await ws.fill(f, '理由', '风险可控');
      }),
    );
    for (const member of ['committee_member_1', 'committee_member_2', 'committee_member_3', 'committee_member_4', 'committee_member_5']) {
      await as(member, async () => {
        await ws.send('投票', async (f) => {
          await ws.pick(f, '表决', '赞成');
          await ws.fill(f, '理由', '同意投资');
        });
      });
    }
    await as('committee_chair_1', async () => {
      await page.getByText('法定票数 5/5').waitFor();
      await ws.send('结束表决');
      await ws.state().filter({ hasText: '签约交割' }).waitFor();
    });
    await as('investment_manager_1', async () => {
      await ws.send('登记签约', (f) => ws.date(f, '签约时间', cst(3 * DAY)));
      await ws.send('登记出资', async (f) => {
        await ws.fill(f, '出资金额', '1000');
        await ws.date(f, '出资时间', cst(2 * DAY));
      });
      await ws.send('提交投后报告', async (f) => {
        await ws.fill(f, '报告期', '2026-Q4');
        await ws.fill(f, '摘要', '研发进度滞后');
      });
    });
    await as('department_head_2', () => ws.send('核销', (f) => ws.fill(f, '理由', '企业资不抵债，核销')));
    await as('investment_manager_1', async () => {
      await ws.state().filter({ hasText: '免责申请' }).waitFor();
      await ws.send('提交免责申请', async (f) => {
        await ws.pick(f, '损失原因', '技术原因');
        await ws.fill(f, '情况说明', '技术路线被市场淘汰');
        await f.getByRole('button', { name: '添加 证据材料' }).click();
        await ws.fill(f, '标题', '董事会决议');
        await ws.fill(f, '文号或链接', 'ARCH-2026-051');
        for (const d of ['无谋取私利', '关联关系已披露', '信息报告完整真实']) await ws.field(f, d).click();
      });
    });

    const verify = async (title: string) => {
      await page.getByRole('row').filter({ hasText: title }).getByRole('button', { name: '核查' }).click();
      const f = ws.form('核查认定条件');
      await ws.pick(f, '认定结果', '符合');
      await ws.fill(f, '说明', '经核查符合');
      await ws.submit(f, '核查认定条件');
      // The form closes once the server accepted the finding; the next 核查 is clicked only then.
      await f.waitFor({ state: 'detached' });
      await page.getByRole('row').filter({ hasText: title }).getByText('经核查符合').waitFor();
    };
    await as('legal_officer_2', async () => {
      await tab('尽职免责审查');
      await verify('依法合规');
    });
    await as('compliance_officer_1', async () => {
      await tab('尽职免责审查');
      for (const title of ['决策程序正当', '勤勉尽责', '出于公心', '投后管理到位', '损失源于探索性研发']) await verify(title);
      // 三个区分开来 (machine version 5): one finding per distinction, with reasons and evidence, before any decision.
      for (const distinction of ['先行先试失误与明知故犯', '无明确限制的探索与明令禁止', '推动发展的无意过失与谋取私利']) {
        await ws.send('三个区分开来认定', async (f) => {
          await ws.pick(f, '区分事项', distinction);
          await ws.pick(f, '认定', '可容错一侧');
          await ws.fill(f, '决定理由', '探索性投资中的失误，无明令禁止，未谋取私利');
          await f.getByRole('button', { name: '添加 证据材料' }).click();
          await ws.fill(f, '标题', '董事会决议');
          await ws.fill(f, '文号或链接', 'ARCH-2026-051');
        });
      }
    });
    // The decision is the panel's (config/exemption/decision.yaml): the chair who closed the vote is recused.
    for (const member of ['department_head_3', 'department_head_4', 'department_head_5']) {
      await as(member, async () => {
        await tab('尽职免责审查');
        await ws.send('认定小组表决', async (f) => {
          await ws.pick(f, '决定结果', '免责');
          await ws.fill(f, '决定理由', '已履行勤勉尽责义务');
        });
      });
    }
    await as('department_head_3', async () => {
      await tab('尽职免责审查');
      await ws.send('作出免责决定', async (f) => {
        await ws.pick(f, '决定结果', '免责');
        await ws.fill(f, '决定理由', '认定小组表决：免责');
      });
      await page.getByText('公示截止').waitFor();
    });
    await as('compliance_officer_1', async () => {
      await ws.send('结束公示');
      await ws.state().filter({ hasText: '结案' }).waitFor();
    });

    await new LoginPage(page).open('/audit', 'auditor_1');
    const audit = new AuditPage(page);
    await audit.searchCase(caseId);
    await page.getByRole('cell', { name: '结束公示' }).waitFor();
    expect(await audit.verify()).toContain('记录链完整');
    const csv = await audit.downloadCsv();
    expect(csv).toContain(caseId);
    expect(csv).toContain('CONCLUDE_NOTICE');
  }
});
