import type { CaseContext } from '@app/case-workflow';
import type { ExemptionRecord } from '../cases/exemption-record';
import type { FundEvaluationView } from '../funds/fund-evaluation.service';
import type { CitedEvidence } from '../evidence/evidence-citation';
import { KIND_INFO, percent, yuan, type DocumentFacts, type DocumentSection } from './document-content';

/**
 * The facts each kind of document states, built from the record alone: the case's context and
 * history, the exemption record, the fund's figures. Pure: the service reads, these functions write
 * the sentences.
 */

export type People = Record<string, string>;
const who = (people: People, id: string | null | undefined) => (id ? (people[id] ?? id) : '—');
const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '—');
/** Free text inside a Chinese sentence: without its own closing full stop. */
const clause = (text: string) => text.trim().replace(/[.。]+$/, '');

const VOTE_ZH: Record<string, string> = { approve: '同意', reject: '反对', abstain: '弃权' };
const OPINION_ZH: Record<string, string> = { pass: '通过', conditional: '有条件通过', fail: '不通过' };
const WORKSTREAM_ZH: Record<string, string> = { business: '商业', financial: '财务', legal: '法律', technical: '技术' };
const FUND_TYPE_ZH: Record<string, string> = {
  seed: '种子基金',
  angel: '天使基金',
  venture: '创业投资基金',
  industry: '产业基金',
  buyout: '并购基金',
};
const LOSS_CAUSE_ZH: Record<string, string> = {
  market: '市场因素',
  technology: '技术（探索性研发）因素',
  policy: '政策因素',
  force_majeure: '不可抗力',
  operations: '经营管理因素',
  other: '其他因素',
};
const STATE_ZH: Record<string, string> = {
  draft: '项目储备',
  screening: '立项审查',
  dueDiligence: '尽职调查',
  riskReview: '风控审查',
  committee: '投资决策委员会',
  execution: '签约交割',
  monitoring: '投后管理',
  exiting: '退出',
  exemptionReview: '尽职免责审查',
  rejected: '否决',
  closed: '结案',
};
const stateZh = (state: string) => STATE_ZH[state.split('.')[0]] ?? state;
const OUTCOME_EN: Record<string, string> = {
  exempt: 'exempt',
  partial: 'partially exempt (lighter treatment)',
  not_exempt: 'not exempt (referred for accountability)',
};

export const LEGAL_BASIS = [
  '《中央企业违规经营投资责任追究实施办法》等规定及国务院国资委令第46号第三十六条（尽职合规免责情形与程序）',
  '《国务院办公厅关于促进政府投资基金高质量发展的指导意见》（国办发〔2025〕1号）及国办发〔2024〕31号（按基金全生命周期考核、容忍正常投资风险）',
  '“三个区分开来”原则（2016年）',
];

/** The cited-evidence table: what the decisions of the case rested on, with each file's SHA-256. */
function evidenceSection(heading: string, cited: { event: string; files: CitedEvidence[] }[]): DocumentSection | null {
  const rows = cited.flatMap((c) => c.files.map((f) => [f.fileName, c.event, f.sha256]));
  if (rows.length === 0) return null;
  return {
    heading,
    paragraphs: ['下列证据材料已上传至本系统，其 SHA-256 记录在项目哈希链上，可随时下载核对。'],
    table: {
      columns: [
        { title: '文件名', width: 3 },
        { title: '引用事项', width: 2 },
        { title: 'SHA-256', width: 5 },
      ],
      rows,
    },
  };
}

export interface CaseBasics {
  caseId: string;
  fundId: string;
  fundName: string;
  fundType: string;
  companyName: string;
  sector: string;
  requestedAmountFen: number;
  ownerId: string;
  state: string;
}

export interface ResolutionInput extends CaseBasics {
  ctx: CaseContext;
  rule: { version: string; quorum: number; approvalNumerator: number; approvalDenominator: number; abstentionsCountAsCast: boolean } | null;
  cited: { event: string; files: CitedEvidence[] }[];
  people: People;
}

/** 投资决策委员会决议: the deciding round's votes and reasons, under the committee rule it was closed with. */
export function committeeResolutionFacts(i: ResolutionInput): DocumentFacts | null {
  const decision = i.ctx.committeeDecision;
  if (!decision) return null;
  const votes = i.ctx.votes;
  const count = (v: string) => votes.filter((x) => x.vote === v).length;
  const [yes, no, abstain] = [count('approve'), count('reject'), count('abstain')];
  const dd = Object.entries(i.ctx.ddReports).map(([ws, r]) => [
    `${WORKSTREAM_ZH[ws] ?? ws}尽调`,
    r.conclusion,
    who(i.people, r.by),
    day(r.at),
  ]);
  const risk = i.ctx.riskOpinion;
  const sections: DocumentSection[] = [
    {
      heading: '一、项目基本情况',
      paragraphs: [
        `项目名称：${i.companyName}`,
        `所属行业：${i.sector}`,
        `投资主体：${i.fundName}（${FUND_TYPE_ZH[i.fundType] ?? i.fundType}）`,
        `拟投资金额：人民币 ${yuan(i.requestedAmountFen)}`,
        `项目负责人：${who(i.people, i.ownerId)}`,
      ],
    },
    {
      heading: '二、审议程序',
      paragraphs: [
        i.ctx.screening
          ? `立项审查：${who(i.people, i.ctx.screening.by)}于${day(i.ctx.screening.at)}批准立项。`
          : '立项审查：记录中无立项批准。',
        risk
          ? `风控审查：${who(i.people, risk.by)}于${day(risk.at)}出具“${OPINION_ZH[risk.opinion]}”意见，理由：${clause(risk.reason)}${risk.conditions ? `；附加条件：${clause(risk.conditions)}` : ''}。`
          : '风控审查：记录中无风控意见。',
      ],
      table: {
        columns: [
          { title: '尽职调查', width: 2 },
          { title: '结论', width: 5 },
          { title: '提交人', width: 2 },
          { title: '日期', width: 2 },
        ],
        rows: dd,
      },
    },
    {
      heading: `三、表决情况（第${decision.round}轮）`,
      paragraphs: [
        `共 ${votes.length} 名委员参加表决：同意 ${yes} 票，反对 ${no} 票，弃权 ${abstain} 票。`,
        i.rule
          ? `议事规则（版本 ${i.rule.version}）：法定表决人数 ${i.rule.quorum} 人；同意票不少于${i.rule.abstentionsCountAsCast ? '已投票数' : '同意与反对票数之和'}的 ${i.rule.approvalNumerator}/${i.rule.approvalDenominator}。`
          : `议事规则版本：${decision.ruleVersion}。`,
      ],
      table: {
        columns: [
          { title: '委员', width: 2 },
          { title: '表决意见', width: 1 },
          { title: '理由', width: 6 },
          { title: '日期', width: 2 },
        ],
        rows: votes.map((v) => [who(i.people, v.by), VOTE_ZH[v.vote] ?? v.vote, v.reason, day(v.at)]),
      },
    },
    {
      heading: '四、决议',
      paragraphs: [
        decision.approved
          ? `经投资决策委员会审议表决，决议：同意${i.fundName}对“${i.companyName}”进行投资，拟投资金额人民币 ${yuan(i.requestedAmountFen)}。`
          : `经投资决策委员会审议表决，决议：不同意对“${i.companyName}”进行投资。`,
        ...(decision.overrideReason ? [`在风控意见为“不通过”的情况下，主任委员说明理由：${decision.overrideReason}`] : []),
        `表决于${day(decision.at)}由${who(i.people, decision.by)}宣布结束。`,
      ],
    },
  ];
  const ev = evidenceSection('五、决策依据的证据材料', i.cited);
  if (ev) sections.push(ev);
  return {
    kind: 'committee_resolution',
    caseId: i.caseId,
    fundId: i.fundId,
    subject: `关于“${i.companyName}”项目的投资决议`,
    sections,
    summaryEn: [
      `${KIND_INFO.committee_resolution.titleEn} on ${i.companyName} (${i.sector}), fund ${i.fundName}, requested ${(i.requestedAmountFen / 100).toFixed(2)} CNY.`,
      `Round ${decision.round}: ${votes.length} votes cast — ${yes} approve, ${no} reject, ${abstain} abstain; committee rule ${i.rule?.version ?? decision.ruleVersion}.`,
      `Resolution: ${decision.approved ? 'APPROVED' : 'NOT APPROVED'}${decision.overrideReason ? ` (override of a risk fail opinion: ${decision.overrideReason})` : ''}.`,
      `Evidence cited: ${i.cited.reduce((a, c) => a + c.files.length, 0)} file(s), each with its SHA-256 on the case chain.`,
    ],
  };
}

export interface DeterminationInput extends CaseBasics {
  record: ExemptionRecord;
  cited: { event: string; files: CitedEvidence[] }[];
}

const peopleOf = (r: ExemptionRecord): People => Object.fromEntries(Object.entries(r.people).map(([id, p]) => [id, p.displayName]));

function lossParagraphs(r: ExemptionRecord): string[] {
  return [
    `投资金额：人民币 ${yuan(r.loss.investedFen)}；${r.trigger === 'write_off' ? '核销，回收' : '退出回收'}：人民币 ${yuan(r.loss.proceedsFen)}；损失：人民币 ${yuan(r.loss.lossFen)}（损失率 ${percent(r.loss.lossRate)}）。`,
    `损失等级（国资委令第46号）：${r.loss.tier.titleZh}。${r.loss.perProjectCeiling === null ? '' : `单项目容亏上限 ${percent(r.loss.perProjectCeiling)}，${r.loss.withinProjectCeiling ? '未超过' : '已超过'}上限。`}`,
  ];
}

/** 尽职免责认定书: criteria with findings, negative list, procedural report, each person's position, loss, tier, tolerance, outcome, basis. */
export function exemptionDeterminationFacts(i: DeterminationInput): DocumentFacts | null {
  const r = i.record;
  if (!r.outcome) return null;
  const people = peopleOf(r);
  const app = r.application;
  const flagged = r.negativeList.items.filter((x) => x.flagged);
  const sections: DocumentSection[] = [
    {
      heading: '一、基本情况',
      paragraphs: [
        `项目名称：${i.companyName}；投资主体：${i.fundName}（${FUND_TYPE_ZH[i.fundType] ?? i.fundType}）。`,
        `审查起因：${r.trigger === 'write_off' ? '投资核销' : '亏损退出'}。`,
        ...lossParagraphs(r),
      ],
    },
    {
      heading: '二、免责申请',
      paragraphs: app
        ? [
            `申请人：${who(people, app.by)}，${day(app.at)}提交；损失原因：${LOSS_CAUSE_ZH[app.lossCause] ?? app.lossCause}。`,
            `情况说明：${app.statement}`,
            `承诺事项：未谋取私利 ${app.declarations.noPersonalGain ? '是' : '否'}；关联关系已披露 ${app.declarations.relatedPartiesDisclosed ? '是' : '否'}；信息报告完整真实 ${app.declarations.informationComplete ? '是' : '否'}。`,
          ]
        : ['记录中无免责申请。'],
    },
    {
      heading: `三、认定标准核查（标准版本 ${r.configVersions.criteria}）`,
      paragraphs: [],
      table: {
        columns: [
          { title: '认定标准', width: 4 },
          { title: '结论', width: 1 },
          { title: '核查人', width: 2 },
          { title: '核查意见', width: 5 },
        ],
        rows: r.criteria.map((c) => [
          c.titleZh ?? c.title,
          c.finding === 'met' ? '符合' : c.finding === 'not_met' ? '不符合' : '未核查',
          who(people, c.verifiedBy),
          c.note ?? '',
        ]),
      },
    },
    {
      heading: `四、负面清单（版本 ${r.negativeList.version}）`,
      paragraphs: [r.negativeList.clear ? '经核查，未发现负面清单所列情形。' : `经核查，存在以下负面清单情形（${flagged.length} 项）：`],
      ...(flagged.length
        ? {
            table: {
              columns: [
                { title: '情形', width: 4 },
                { title: '提出人', width: 2 },
                { title: '说明', width: 6 },
              ],
              rows: flagged.flatMap((x) => x.flags.map((f) => [x.titleZh ?? x.title, who(people, f.by), f.note])),
            },
          }
        : {}),
    },
    {
      heading: '五、决策程序合规性审查（根据记录自动生成）',
      paragraphs: [r.proceduralReport.allMet ? '各项程序均符合规定。' : '部分程序事项未符合规定，详见下表。'],
      table: {
        columns: [
          { title: '事项', width: 4 },
          { title: '结论', width: 1 },
          { title: '记录情况', width: 6 },
        ],
        rows: r.proceduralReport.items.map((p) => [p.ruleZh, p.applicable === false ? '不适用' : p.met ? '符合' : '不符合', p.finding]),
      },
    },
    {
      heading: '六、相关人员立场与责任',
      paragraphs: ['依据国资委令第46号第三十六条第四项，在集体决策中明确表示反对或保留意见并记录在案的人员，个人免除责任。'],
      table: {
        columns: [
          { title: '人员', width: 2 },
          { title: '参与事项与意见', width: 5 },
          { title: '记录反对/保留', width: 1 },
          { title: '个人认定', width: 2 },
        ],
        rows: r.participants.map((p) => [
          who(people, p.userId),
          p.actions.map((a) => `${a.kind}：${a.position}${a.reason ? `（${a.reason}）` : ''}`).join('；'),
          p.dissent ? '是' : '否',
          p.personallyExempt === true ? '免责' : p.personallyExempt === false ? (p.referral ? `不免责（${p.referral}）` : '不免责') : '—',
        ]),
      },
    },
  ];
  if (r.tolerance) {
    const t = r.tolerance;
    sections.push({
      heading: `七、基金容亏情况（容亏政策版本 ${t.policyVersion}）`,
      paragraphs: [
        `截至${day(t.asOf)}，${i.fundName}累计投资人民币 ${yuan(t.investedFen)}，已实现损失人民币 ${yuan(t.realizedLossFen)}，损失率 ${percent(t.lossRate)}；容亏率上限 ${percent(t.limitRate)}，${t.withinTolerance ? '处于容亏范围之内' : '已超出容亏范围'}。`,
        ...(r.tolerancePresumption ? [r.tolerancePresumption.statementZh] : []),
      ],
    });
  }
  sections.push({
    heading: '八、认定结论',
    paragraphs: [
      `认定结论：${r.outcomeZh ?? r.outcome}。`,
      `理由：${r.reasons ?? ''}`,
      `认定人：${who(people, r.decidedBy)}，${day(r.decidedAt)}。`,
      ...(r.accountabilityReferral ? ['移送追责：是。'] : []),
      ...r.accountability.map((a) => `${who(people, a.userId)}：${a.responsibilityZh}`),
    ],
  });
  const basis = [
    ...LEGAL_BASIS,
    `本公司尽职免责认定标准（版本 ${r.configVersions.criteria}）、负面清单（版本 ${r.configVersions.negativeList}）、投后管理制度（版本 ${r.configVersions.monitoring}）${r.configVersions.tolerance ? `、容亏政策（版本 ${r.configVersions.tolerance}）` : ''}${r.configVersions.committeeRule ? `、投资决策委员会议事规则（版本 ${r.configVersions.committeeRule}）` : ''}${r.configVersions.notice ? `、公示制度（版本 ${r.configVersions.notice}）` : ''}`,
  ];
  sections.push({ heading: '九、认定依据', paragraphs: basis });
  const ev = evidenceSection('十、证据材料', i.cited);
  if (ev) sections.push(ev);
  return {
    kind: 'exemption_determination',
    caseId: i.caseId,
    fundId: i.fundId,
    subject: `关于“${i.companyName}”项目投资损失的尽职免责认定`,
    sections,
    summaryEn: [
      `${KIND_INFO.exemption_determination.titleEn}: ${i.companyName}, fund ${i.fundName}.`,
      `Loss ${(r.loss.lossFen / 100).toFixed(2)} CNY of ${(r.loss.investedFen / 100).toFixed(2)} invested (${percent(r.loss.lossRate)}), tier: ${r.loss.tier.titleEn}.`,
      `Criteria (version ${r.configVersions.criteria}): ${r.criteria.filter((c) => c.finding === 'met').length} of ${r.criteria.length} met; negative list ${r.negativeList.clear ? 'clear' : `flagged: ${r.negativeList.flagged.join(', ')}`}; procedure ${r.proceduralReport.allMet ? 'compliant' : 'not fully compliant'}.`,
      `Outcome: ${OUTCOME_EN[r.outcome] ?? r.outcome}. Reasons: ${r.reasons ?? ''}`,
      `Legal basis: SASAC Order No. 46 Art. 36; State Council General Office Guidance 2024 No. 31 and 2025 No. 1; the "three distinctions".`,
    ],
  };
}

/** 公示: the outcome, the loss and the notice period, with how to object. */
export function publicNoticeFacts(i: DeterminationInput): DocumentFacts | null {
  const r = i.record;
  if (!r.outcome || !r.notice) return null;
  return {
    kind: 'public_notice',
    caseId: i.caseId,
    fundId: i.fundId,
    subject: `关于“${i.companyName}”项目尽职免责认定结果的公示`,
    sections: [
      {
        heading: '一、认定结果',
        paragraphs: [
          `经尽职免责认定程序，对${i.fundName}投资“${i.companyName}”项目形成的损失，认定结论为：${r.outcomeZh ?? r.outcome}。`,
          ...lossParagraphs(r),
          `理由：${r.reasons ?? ''}`,
        ],
      },
      {
        heading: '二、公示期',
        paragraphs: [
          `公示期自${day(r.notice.startsAt)}至${day(r.notice.endsAt)}${r.notice.periodDays !== null ? `（${r.notice.periodDays}日，公示制度版本 ${r.notice.policyVersion ?? '—'}）` : ''}。`,
          '公示期间，对认定结果有异议的，可向合规部门实名提出书面异议，并提供相关事实和证据材料。',
        ],
      },
    ],
    summaryEn: [
      `${KIND_INFO.public_notice.titleEn}: ${i.companyName}, fund ${i.fundName}.`,
      `Outcome: ${OUTCOME_EN[r.outcome] ?? r.outcome}; loss ${(r.loss.lossFen / 100).toFixed(2)} CNY (${r.loss.tier.titleEn}).`,
      `Notice period: ${day(r.notice.startsAt)} to ${day(r.notice.endsAt)}. Objections go to the compliance department in writing, with facts and evidence.`,
    ],
  };
}

const OUTCOME_ZH: Record<string, string> = { exempt: '免责', partial: '从轻/减轻', not_exempt: '不予免责' };
const PROJECT_STATUS_ZH: Record<string, string> = {
  pipeline: '储备/审批中',
  invested: '已投资',
  exited: '已退出',
  written_off: '已核销',
  rejected: '已否决',
};

/** 基金全生命周期绩效评价: capital invested, realised losses and gains, the rate against the limit, each project. */
export function fundEvaluationFacts(e: FundEvaluationView): DocumentFacts {
  const exited = e.projects.filter((p) => p.proceedsFen !== null);
  const o = e.exemptions.outcomes;
  return {
    kind: 'fund_evaluation',
    caseId: null,
    fundId: e.fundId,
    subject: `${e.name}全生命周期绩效评价`,
    sections: [
      {
        heading: '一、基金概况',
        paragraphs: [
          `基金名称：${e.name}；类型：${FUND_TYPE_ZH[e.type] ?? e.type}；规模：人民币 ${yuan(e.sizeFen)}；设立年度：${e.vintageYear}；存续期：${e.termYears} 年。`,
        ],
      },
      {
        heading: `二、容亏评价（按基金全生命周期，容亏政策版本 ${e.policyVersion}）`,
        paragraphs: [
          `累计投资：人民币 ${yuan(e.investedFen)}；已实现损失：人民币 ${yuan(e.realisedLossFen)}；已实现收益：人民币 ${yuan(e.realisedGainFen)}；净损失：人民币 ${yuan(e.netLossFen)}。`,
          `损失率（总额）：${percent(e.lossRateGross)}；损失率（净额）：${percent(e.lossRateNet)}；容亏率上限：${percent(e.limitRate)}；评价：${e.withinTolerance ? '处于容亏范围之内' : '超出容亏范围'}。`,
          `项目数：${e.projects.length}；已退出或核销：${exited.length}；免责认定结果：免责 ${o.exempt} 项，从轻/减轻 ${o.partial} 项，不予免责 ${o.not_exempt} 项；审查或公示中：${e.exemptions.pendingReviews} 项。`,
          e.presumption.statementZh,
        ],
      },
      {
        heading: '三、项目情况',
        paragraphs: [],
        table: {
          columns: [
            { title: '项目', width: 4 },
            { title: '状态', width: 2 },
            { title: '投资额', width: 3 },
            { title: '回收', width: 3 },
            { title: '免责认定', width: 2 },
          ],
          rows: e.projects.map((p) => [
            p.companyName,
            `${PROJECT_STATUS_ZH[p.status] ?? p.status}（${stateZh(p.state)}）`,
            p.investedFen === null ? '—' : yuan(p.investedFen),
            p.proceedsFen === null ? '—' : yuan(p.proceedsFen),
            p.exemption?.outcome ? (OUTCOME_ZH[p.exemption.outcome] ?? p.exemption.outcome) : p.exemption ? '审查中' : '—',
          ]),
        },
      },
      { heading: '四、评价依据', paragraphs: [LEGAL_BASIS[1]] },
    ],
    summaryEn: [
      `${KIND_INFO.fund_evaluation.titleEn}: ${e.name} (${e.type}, vintage ${e.vintageYear}).`,
      `Invested ${(e.investedFen / 100).toFixed(2)} CNY; realised losses ${(e.realisedLossFen / 100).toFixed(2)} CNY, gains ${(e.realisedGainFen / 100).toFixed(2)} CNY; loss rate ${percent(e.lossRateGross)} gross, ${percent(e.lossRateNet)} net, against a limit of ${percent(e.limitRate)}: ${e.withinTolerance ? 'within' : 'OVER'} tolerance.`,
      `${e.projects.length} projects, ${exited.length} exited or written off; exemption outcomes: ${o.exempt} exempt, ${o.partial} partial, ${o.not_exempt} not exempt; ${e.exemptions.pendingReviews} pending.`,
    ],
  };
}
