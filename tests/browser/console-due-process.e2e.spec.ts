import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchBrowser } from '../support/browser';
import { ExemptionDriver, PANEL } from '../support/exemption-driver';
import { bootTestApp, type TestApp } from '../support/test-app';
import { calendarClock } from '../support/test-clock';
import { seriousViolations } from './pages/accessibility';
import { LoginPage, newPerson } from './pages/console';
import { ExemptionRecordPage } from './pages/exemption-record';

jest.setTimeout(300_000);

/**
 * Hearing, legality review and appeal periods count working days on the 2026 calendar: the API and this
 * process (the driver's business dates) run from Monday 1 June 2026, 10:00 CST. The browser keeps its own
 * clock: whether a statement is awaited or late is the server's word (on the record), not the browser's.
 */
const clock = calendarClock('2026-06-01T02:00:00.000Z');

/** The demo users' display names (libs/domain/src/seed/demo-seed.ts). */
const NAME = {
  owner: '投资经理1',
  screeningHead: '部门负责人1',
  legal: '法务专员3', // LEGALITY_REVIEWER
  appealChair: '部门负责人2',
  appealMember: '部门负责人6',
  panelMember: '部门负责人3', // PANEL[0], who proposed and recorded the decision
};

describeBrowser('console: the due process of an exemption review on its record (browser)', () => {
  let t: TestApp;
  let x: ExemptionDriver;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let record: ExemptionRecordPage;
  /** Referred, heard (both answered), legality-reviewed, decided, concluded, appealed and modified on appeal. */
  let appealedCase: string;
  /** In the hearing: the owner has answered, the screening approver not yet. */
  let hearingCase: string;
  /** Decided exempt, concluded, then reopened by discipline inspection: round 2 under way. */
  let reopenedCase: string;

  beforeAll(async () => {
    clock.install();
    [t, browser] = await Promise.all([bootTestApp({ env: { ...clock.env, EXEMPTION_NOTICE_PERIOD_DAYS: '0' } }), launchBrowser()]);
    x = new ExemptionDriver(t);
    const id = async (username: string) => (await t.as(username)).id;
    const owner = await id('investment_manager_1');
    const head = await id('department_head_1');
    const accountability = [
      { userId: owner, responsibility: 'direct' },
      { userId: head, responsibility: 'supervisory' },
    ];

    appealedCase = await x.review();
    await x.verifyAll(appealedCase);
    await x.decide(appealedCase, { outcome: 'not_exempt', accountability });
    await x.receiveReferral(appealedCase);
    await x.d.ok(appealedCase, 'compliance_officer_2', { type: 'CONCLUDE_NOTICE' });
    await x.d.ok(appealedCase, 'investment_manager_1', {
      type: 'FILE_APPEAL',
      grounds: '损失源于行业工艺路线更替，非个人失职。',
      evidence: [{ title: '行业研究报告', ref: 'IND-2026-07' }],
    });
    await x.d.ok(appealedCase, 'department_head_2', {
      type: 'RULE_ON_APPEAL',
      result: 'modified',
      reasons: '市场因素可解释大部分损失，从轻处理。',
      members: [await id('department_head_2'), await id('department_head_6')],
      outcome: 'partial',
      accountability: [{ userId: owner, responsibility: 'direct', reduction: 'lighter', reason: '市场因素为主。' }],
    });
    // The ruling is the body's: it takes effect once the other member named confirms it (rules 7).
    await x.d.ok(appealedCase, 'department_head_6', { type: 'CONFIRM_APPEAL_RULING', note: '同意。' });

    hearingCase = await x.review();
    await x.verifyAll(hearingCase);
    await x.d.ok(hearingCase, PANEL[0], {
      type: 'PROPOSE_ACCOUNTABILITY',
      outcome: 'not_exempt',
      accountability,
      reasons: '拟对项目负责人与立项审批人追责。',
    });
    await x.d.ok(hearingCase, 'investment_manager_1', { type: 'SUBMIT_STATEMENT', statement: '我已按当时掌握的信息尽责。', evidence: [] });

    reopenedCase = await x.review();
    await x.verifyAll(reopenedCase);
    await x.decide(reopenedCase, { outcome: 'exempt' });
    await x.d.ok(reopenedCase, 'compliance_officer_2', { type: 'CONCLUDE_NOTICE' });
    await x.d.ok(reopenedCase, 'discipline_officer_1', {
      type: 'REOPEN_REVIEW',
      ground: 'concealment',
      reasons: '发现与创始人的抽屉协议。',
      evidence: [{ title: '补充协议', ref: 'SA-1' }],
    });

    ({ context, page } = await newPerson(browser, t.api.url));
    record = new ExemptionRecordPage(page);
    await new LoginPage(page).open(`/cases/${appealedCase}?tab=exemption`, 'auditor_1');
  });
  afterAll(async () => {
    clock.uninstall();
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('shows the three distinctions, each hearing statement, the legality review and the appeal with its ruling', async () => {
    await record.open(appealedCase);

    const distinctions = record.part('三个区分开来');
    for (const d of ['先行先试失误与明知故犯', '无明确限制的探索与明令禁止', '推动发展的无意过失与谋取私利'])
      await record.row(distinctions, d, '可容错一侧', '合规专员1');

    const hearing = record.hearing(1);
    await hearing.getByText('本轮有效').waitFor();
    // Who proposed it and when.
    await hearing.locator('.ant-descriptions-item').filter({ hasText: '提出人' }).getByText(NAME.panelMember, { exact: false }).waitFor();
    await record.row(hearing, NAME.owner, '直接责任', '已陈述', 'I acted on the information I had.');
    await record.row(hearing, NAME.screeningHead, '主管责任', '已陈述');

    const legality = record.part('合法性审查');
    await legality.getByText('同意', { exact: true }).waitFor();
    await legality.getByText(NAME.legal, { exact: false }).waitFor();
    await legality.getByText('Order No. 46 Art. 36.').waitFor();

    const appeals = record.part('申诉与复核');
    await appeals.getByText('10 个工作日', { exact: false }).waitFor();
    const appeal = record.appeal(1);
    await appeal.locator('.ant-card-head').getByText('变更', { exact: true }).waitFor();
    await record.row(appeal, NAME.owner, '损失源于行业工艺路线更替，非个人失职。', '行业研究报告（IND-2026-07）');
    await appeal.getByText(`${NAME.appealChair}、${NAME.appealMember}`).waitFor();
    await appeal.getByText('均未参与原决定').waitFor();
    await appeal.getByText('各成员均已确认').waitFor();
    // The proposal and each member's confirmation.
    const proposals = appeal.getByRole('group', { name: '复核决定提议与成员确认', exact: true });
    const proposal = await record.row(proposals, NAME.appealChair, '变更', '已生效');
    await proposal.getByText(`${NAME.appealChair} · 已确认`, { exact: false }).waitFor();
    await proposal.getByText(`${NAME.appealMember} · 已确认`, { exact: false }).waitFor();
    await appeal.getByText('市场因素可解释大部分损失，从轻处理。').waitFor();
    const before = appeal.locator('.ant-descriptions-item').filter({ hasText: '原决定' });
    await before.getByText('不予免责').waitFor();
    await before.getByText(`${NAME.screeningHead}（主管责任）`, { exact: false }).waitFor();
    const after = appeal.locator('.ant-descriptions-item').filter({ hasText: '复核后' });
    await after.getByText('部分免责').waitFor();
    await after.getByText(`${NAME.owner}（直接责任，从轻）`, { exact: false }).waitFor();
    await record.part('重新认定').getByText('未重新认定。').waitFor();

    // The procedural-compliance report has the appeal ruling, met.
    const ruled = await record.reportRow('复核机构', NAME.appealChair);
    await ruled.getByText('符合', { exact: true }).waitFor();

    await page.waitForLoadState('networkidle');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows who has answered a hearing still open and who is awaited; nothing yet for the legality review or an appeal', async () => {
    await record.open(hearingCase);
    const hearing = record.hearing(1);
    await record.row(hearing, NAME.owner, '已陈述', '我已按当时掌握的信息尽责。');
    await record.row(hearing, NAME.screeningHead, '待陈述');
    await record.part('合法性审查').getByText('尚无合法性审查记录。').waitFor();
    await record.part('申诉与复核').getByText('不适用：无追责决定，或公示尚未结束。').waitFor();
    await record.part('申诉与复核').getByText('未提出申诉。').waitFor();
    // Before the decision the appeal ruling does not apply (不适用), and is not shown as unmet.
    const ruling = await record.reportRow('复核机构');
    await ruling.getByText('不适用', { exact: true }).waitFor();
  });

  it('keeps a decision superseded by a reopening, marked so, beside the reopening that superseded it', async () => {
    await record.open(reopenedCase);
    await record.dueProcess().getByText('第 2 轮审查', { exact: false }).waitFor();
    const reopenings = record.part('重新认定');
    await reopenings.getByText('纪检监察专员1', { exact: false }).first().waitFor();
    await reopenings.getByText('隐瞒事实', { exact: true }).waitFor();
    await reopenings.getByText('发现与创始人的抽屉协议。').waitFor();
    await reopenings.getByText('补充协议（SA-1）').waitFor();
    const earlier = await record.row(record.part('以往各轮决定'), '第 1 轮', NAME.panelMember, '已被重新认定取代（纪检监察专员1');
    await earlier.getByText('免责', { exact: true }).waitFor();
    // The new round has found nothing yet.
    await record.row(record.part('三个区分开来'), '先行先试失误与明知故犯', '待认定');
  });
});
