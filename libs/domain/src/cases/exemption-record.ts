import {
  AUTO_EVIDENCE,
  lossFigures,
  ORDER_46_LOSS_TIERS,
  tolerancePresumption,
  participantPositions,
  proceduralReport,
  type CaseContext,
  type CriterionDefinition,
  type ExemptionApplication,
  type ExemptionOutcome,
  type FundToleranceFigures,
  type HistoryEntry,
  type LossFigures,
  type MonitoringPolicy,
  type TolerancePresumption,
  type NegativeListItem,
  type ParticipantPosition,
  type ProceduralReport,
  type Responsibility,
} from '@app/case-workflow';

const RESPONSIBILITY_ZH: Record<Responsibility, string> = { direct: '直接责任', supervisory: '主管责任', leadership: '领导责任' };
const OUTCOME_ZH: Record<ExemptionOutcome, string> = { exempt: '免责', partial: '从轻/减轻', not_exempt: '不予免责' };

export interface CriterionRecord {
  criterion: string;
  title: string;
  titleZh: string | null;
  evidence: 'auto' | 'manual' | null;
  verifierRoles: string[] | null;
  finding: 'met' | 'not_met' | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
  note: string | null;
  /** For `auto` criteria: what the procedural-compliance report shows (the verifier still decides). */
  autoEvidence: { met: boolean; items: string[]; unmet: string[] } | null;
}

export interface NegativeListRecord {
  version: string;
  clear: boolean;
  flagged: string[];
  items: {
    item: string;
    title: string;
    titleZh: string | null;
    source: 'rule' | 'practice' | null;
    flagged: boolean;
    flags: { by: string; at: string; note: string }[];
  }[];
}

export interface ToleranceRecord extends FundToleranceFigures {
  /** `decision`: frozen when the decision was taken, never recomputed; `live`: as of now, no decision yet. */
  basis: 'decision' | 'live';
  asOf: string;
}

export interface ExemptionRecord {
  caseId: string;
  fundId: string;
  companyName: string;
  state: string;
  version: number;
  trigger: 'loss_exit' | 'write_off';
  /**
   * Shown first: whether the fund is within its loss tolerance over its whole life (on the figures of
   * `tolerance`: frozen at the decision, live before it), which presumes this loss tolerated.
   */
  tolerancePresumption: TolerancePresumption | null;
  configVersions: {
    criteria: string;
    negativeList: string;
    monitoring: string;
    notice: string | null;
    /** The loss tiers frozen into the review; `order-46-built-in` for reviews opened before they were policy. */
    lossTiers: string;
    /** The working-day calendar the notice period was counted on; null when counted in calendar days. */
    calendar: string | null;
    tolerance: string | null;
    committeeRule: string | null;
    /** False for reviews opened before definitions were frozen (machine version 2): titles are not recorded. */
    definitionsFrozen: boolean;
  };
  application: ExemptionApplication | null;
  criteria: CriterionRecord[];
  negativeList: NegativeListRecord;
  proceduralReport: ProceduralReport;
  participants: ParticipantPosition[];
  loss: LossFigures;
  tolerance: ToleranceRecord | null;
  outcome: ExemptionOutcome | null;
  outcomeZh: string | null;
  reasons: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  accountabilityReferral: boolean;
  accountability: { userId: string; responsibility: Responsibility; responsibilityZh: string; recordedDissent: boolean }[];
  notice: {
    periodDays: number | null;
    /** `working_days` on the calendar named by calendarVersion; `calendar_days` for decisions counted before it. */
    periodUnit: 'working_days' | 'calendar_days';
    calendarVersion: string | null;
    policyVersion: string | null;
    startsAt: string;
    endsAt: string;
    concludedBy: string | null;
    concludedAt: string | null;
    note: string | null;
  } | null;
  objections: {
    index: number;
    text: string;
    by: string;
    at: string;
    ruling: { upheld: boolean; note: string; by: string; at: string } | null;
  }[];
  previousRounds: {
    findings: Record<string, { finding: string; by: string; at: string; note: string }>;
    decision: { outcome: string; reasons: string; by: string; at: string };
  }[];
  /** Display names of every person the record names, by id. */
  people: Record<string, { username: string; displayName: string }>;
}

export interface ExemptionRecordInput {
  caseId: string;
  fundId: string;
  companyName: string;
  state: string;
  version: number;
  ctx: CaseContext;
  history: readonly HistoryEntry[];
  /** Used only for reviews opened before the monitoring policy was frozen into them. */
  currentMonitoring: MonitoringPolicy;
  /** Live tolerance figures, for a review with no decision yet. */
  liveTolerance: FundToleranceFigures | null;
  now: string;
}

/** Everything the exemption review records, in one document. Pure: the service supplies the inputs. */
export function buildExemptionRecord(i: ExemptionRecordInput): Omit<ExemptionRecord, 'people'> {
  const ex = i.ctx.exemption!;
  const monitoring = ex.monitoringPolicy ?? i.currentMonitoring;
  const report = proceduralReport(i.history, monitoring, i.now);
  const decision = ex.decision;
  const criterionDef = (code: string): CriterionDefinition | undefined => ex.criteriaDefinitions?.find((d) => d.code === code);
  const itemDef = (code: string): NegativeListItem | undefined => ex.negativeListDefinitions?.find((d) => d.code === code);

  const criteria: CriterionRecord[] = ex.criteria.map((code) => {
    const def = criterionDef(code);
    const f = ex.findings[code];
    const match = def?.evidence === 'auto' ? AUTO_EVIDENCE[code] : undefined;
    const items = match ? report.items.filter((it) => match(it.code)) : [];
    return {
      criterion: code,
      title: def?.titleEn ?? code,
      titleZh: def?.titleZh ?? null,
      evidence: def?.evidence ?? null,
      verifierRoles: def ? [...def.verifierRoles] : null,
      finding: f?.finding ?? null,
      verifiedBy: f?.by ?? null,
      verifiedAt: f?.at ?? null,
      note: f?.note ?? null,
      autoEvidence: match
        ? { met: items.every((it) => it.met), items: items.map((it) => it.code), unmet: items.filter((it) => !it.met).map((it) => it.code) }
        : null,
    };
  });

  const flagged = [...new Set(ex.flags.map((f) => f.item))];
  const negativeList: NegativeListRecord = {
    version: ex.negativeListVersion,
    clear: flagged.length === 0,
    flagged,
    items: ex.negativeListItems.map((code) => {
      const def = itemDef(code);
      const flags = ex.flags.filter((f) => f.item === code).map((f) => ({ by: f.by, at: f.at, note: f.note }));
      return {
        item: code,
        title: def?.titleEn ?? code,
        titleZh: def?.titleZh ?? null,
        source: def?.source ?? null,
        flagged: flags.length > 0,
        flags,
      };
    }),
  };

  const referrals = decision?.accountability ?? [];
  const participants = participantPositions(i.history, decision?.outcome ?? null, referrals);
  const dissenters = new Set(participants.filter((p) => p.dissent).map((p) => p.userId));
  const tolerance: ToleranceRecord | null = decision
    ? decision.tolerance && { ...decision.tolerance, basis: 'decision', asOf: decision.at }
    : i.liveTolerance && { ...i.liveTolerance, basis: 'live', asOf: i.now };

  return {
    caseId: i.caseId,
    fundId: i.fundId,
    companyName: i.companyName,
    state: i.state,
    version: i.version,
    trigger: ex.trigger,
    tolerancePresumption: tolerance ? tolerancePresumption(tolerance) : null,
    configVersions: {
      criteria: ex.criteriaVersion,
      negativeList: ex.negativeListVersion,
      monitoring: monitoring.version,
      notice: decision?.noticePolicyVersion ?? null,
      calendar: decision?.calendarVersion ?? null,
      lossTiers: (ex.lossTiers ?? ORDER_46_LOSS_TIERS).version,
      tolerance: tolerance?.policyVersion ?? null,
      committeeRule: report.committeeRuleVersion,
      definitionsFrozen: ex.criteriaDefinitions !== null,
    },
    application: ex.application,
    criteria,
    negativeList,
    proceduralReport: report,
    participants,
    loss: lossFigures(
      i.ctx.funding?.amountFen ?? 0,
      i.ctx.exit?.proceedsFen ?? 0,
      tolerance?.perProjectCeiling ?? null,
      ex.lossTiers ?? ORDER_46_LOSS_TIERS,
    ),
    tolerance,
    outcome: decision?.outcome ?? null,
    outcomeZh: decision ? OUTCOME_ZH[decision.outcome] : null,
    reasons: decision?.reasons ?? null,
    decidedBy: decision?.by ?? null,
    decidedAt: decision?.at ?? null,
    accountabilityReferral: decision?.outcome === 'not_exempt',
    accountability: referrals.map((r) => ({
      ...r,
      responsibilityZh: RESPONSIBILITY_ZH[r.responsibility],
      recordedDissent: dissenters.has(r.userId),
    })),
    notice: decision
      ? {
          periodDays: decision.noticePeriodDays,
          periodUnit: decision.calendarVersion ? 'working_days' : 'calendar_days',
          calendarVersion: decision.calendarVersion ?? null,
          policyVersion: decision.noticePolicyVersion,
          startsAt: decision.at,
          endsAt: decision.noticeEndsAt,
          concludedBy: ex.conclusion?.by ?? null,
          concludedAt: ex.conclusion?.at ?? null,
          note: ex.conclusion?.note ?? null,
        }
      : null,
    objections: ex.objections.map((o, index) => ({ index, text: o.text, by: o.by, at: o.at, ruling: o.ruling })),
    previousRounds: ex.previousDecisions.map((d, n) => ({
      findings: ex.previousFindings[n] ?? {},
      decision: { outcome: d.outcome, reasons: d.reasons, by: d.by, at: d.at },
    })),
  };
}

/** Every user id the record names, to resolve display names in one query. */
export function idsNamed(r: Omit<ExemptionRecord, 'people'>): string[] {
  const ids = new Set<string>();
  const add = (id: string | null | undefined) => id && ids.add(id);
  add(r.application?.by);
  r.criteria.forEach((c) => add(c.verifiedBy));
  r.negativeList.items.forEach((it) => it.flags.forEach((f) => add(f.by)));
  r.proceduralReport.items.forEach((it) => it.by.forEach(add));
  r.participants.forEach((p) => add(p.userId));
  add(r.decidedBy);
  r.accountability.forEach((a) => add(a.userId));
  add(r.notice?.concludedBy);
  r.objections.forEach((o) => (add(o.by), add(o.ruling?.by)));
  return [...ids];
}
