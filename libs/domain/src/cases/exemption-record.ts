import {
  AUTO_EVIDENCE,
  describeTally,
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
  type Reduction,
  type Responsibility,
  investmentDecisionParticipants,
  recusalReason,
  tallyPanel,
  type AutoEvidence,
  type EvidenceRef,
  type ExemptionContext,
  type PanelVote,
  currentHearing,
  DISTINCTIONS,
  reviewRound,
  type AccountabilityReferral,
  type AppealConfirmation,
  type DistinctionSide,
  unconfirmed,
  RESPONSIBILITY_ZH,
} from '@app/case-workflow';

const OUTCOME_ZH: Record<ExemptionOutcome, string> = { exempt: '免责', partial: '从轻/减轻', not_exempt: '不予免责' };
const REDUCTION_ZH: Record<Reduction, string> = { lighter: '从轻', reduced: '减轻' };

/** What machine version 7 added to the due process, as the record of a review under it states it. */
const INTEGRITY_RULES =
  'Machine version 7: the legality review covers everything the decision decides (outcome, persons, responsibilities, reductions and their reasons); an appeal ruling makes nobody heavier in any respect (不加重原则), only a reopened review can; the appeal body rules as a body: one member proposes the ruling and it takes effect once each member it names has confirmed it.';
/** The same, for a review opened before: what does not apply to it. */
const INTEGRITY_RULES_NOT =
  'the legality review is matched on the outcome, persons and responsibilities only (not on reductions and their reasons), an appeal ruling is refused as heavier only from partial to not_exempt, and one member records the appeal ruling naming the body (no confirmation by each member).';

/** The rules a review runs under, as its record states them (a review keeps the rules it opened under). */
export function rulesNote(ex: ExemptionContext): { version: number; note: string } {
  if (ex.rules < 4) {
    return {
      version: ex.rules,
      note: `Opened under machine version ${ex.rules}: decided by the committee chair alone; only a full exemption is refused while a negative-list item is flagged; an abstention with reasons counts as a recorded reservation. Later rules do not apply to this review.`,
    };
  }
  const dueProcess =
    ex.rules >= 5 && ex.dueProcess
      ? ` Due process (machine version 5, policy ${ex.dueProcess.version}): the three distinctions (三个区分开来) are found with reasons and evidence, and a decision that refers someone needs a hearing (申辩, ${ex.dueProcess.hearing.periodDays} working days) and a favourable legality review (合法性审查); a referred person may appeal within ${ex.dueProcess.appeal.periodDays} working days after the notice.` +
        (ex.rules >= 7
          ? ` ${INTEGRITY_RULES}`
          : ` Opened before machine version 7, it keeps the rules it opened under: ${INTEGRITY_RULES_NOT}`)
      : ' Opened before the due-process rules (machine version 5): no structured distinctions, hearing, legality review or appeal; the review keeps the rules it opened under.';
  return {
    version: ex.rules,
    note:
      (ex.panel
        ? `Machine version ${ex.rules} rules: decided by the ${ex.panel.rule.body} (panel rule ${ex.panel.rule.version}, ${ex.panel.rule.tier} loss); the negative list binds every outcome; dissent shields only the collective decision.`
        : `Machine version ${ex.rules} rules, decided by the committee chair alone (no panel policy was in force when the review opened); the negative list binds every outcome; dissent shields only the collective decision.`) +
      dueProcess,
  };
}

/** Due process around the decision (machine version 5): every round of it stays on the record. */
export interface DueProcessRecord {
  /** The due-process policy frozen into the review (null: opened before version 5). */
  policyVersion: string | null;
  round: number;
  distinctions: {
    distinction: string;
    title: string;
    titleZh: string;
    side: DistinctionSide | null;
    by: string | null;
    at: string | null;
    reasons: string | null;
    evidence: EvidenceRef[];
  }[];
  /** Distinctions found on the culpable side: exempt and partial are excluded. */
  culpable: string[];
  hearings: {
    round: number;
    current: boolean;
    by: string;
    at: string;
    proposedOutcome: ExemptionOutcome;
    reasons: string;
    persons: AccountabilityReferral[];
    periodDays: number;
    endsAt: string;
    calendarVersion: string;
    statements: {
      userId: string;
      answered: boolean;
      /**
       * On the server's clock: `answered`; `awaiting` while the period runs; `lapsed` when it ended
       * unanswered (逾期未陈述); `unanswered` when a later proposal replaced the hearing within its period.
       */
      status: StatementStatus;
      at: string | null;
      statement: string | null;
      evidence: EvidenceRef[];
    }[];
  }[];
  legalityReviews: {
    round: number;
    by: string;
    at: string;
    proposedOutcome: ExemptionOutcome;
    proposedAccountability: AccountabilityReferral[];
    lawfulBasis: string;
    procedure: string;
    proportionality: string;
    conclusion: 'favourable' | 'unfavourable';
  }[];
  appeal: { periodDays: number | null; endsAt: string | null; body: string | null } | null;
  appealRounds: {
    round: number;
    appeals: { by: string; at: string; grounds: string; evidence: EvidenceRef[] }[];
    /** Machine version 7: every ruling proposed to the body, with each member's confirmation, and whether it lapsed. */
    proposals: {
      by: string;
      at: string;
      result: 'upheld' | 'modified' | 'overturned';
      reasons: string;
      members: string[];
      outcome: ExemptionOutcome | null;
      accountability: AccountabilityReferral[] | null;
      confirmations: AppealConfirmation[];
      waitingFor: string[];
      lapsed: { by: string; at: string; why: 'replaced' | 'new_appeal' } | null;
    }[];
    ruling: {
      /** Who proposed the ruling (under rules 5: who recorded it for the body); `at`: when it took effect. */
      by: string;
      at: string;
      result: 'upheld' | 'modified' | 'overturned';
      reasons: string;
      members: string[];
      outcome: ExemptionOutcome;
      accountability: AccountabilityReferral[];
      before: { outcome: ExemptionOutcome; accountability: AccountabilityReferral[] };
      /** Each member's confirmation (rules 7); null: recorded by one member naming the body (rules 5). */
      confirmations: AppealConfirmation[] | null;
    } | null;
  }[];
  reopenings: { by: string; at: string; ground: string; reasons: string; evidence: EvidenceRef[] }[];
}

export const STATEMENT_STATUSES = ['answered', 'awaiting', 'lapsed', 'unanswered'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

function dueProcessRecord(ex: ExemptionContext, now: string): DueProcessRecord {
  const current = currentHearing(ex);
  const found = ex.distinctions ?? {};
  return {
    policyVersion: ex.dueProcess?.version ?? null,
    round: reviewRound(ex),
    distinctions: DISTINCTIONS.map((d) => {
      const f = found[d.code];
      return {
        distinction: d.code,
        title: d.titleEn,
        titleZh: d.titleZh,
        side: f?.side ?? null,
        by: f?.by ?? null,
        at: f?.at ?? null,
        reasons: f?.reasons ?? null,
        evidence: f?.evidence ?? [],
      };
    }),
    culpable: DISTINCTIONS.filter((d) => found[d.code]?.side === 'culpable').map((d) => d.code),
    hearings: (ex.hearings ?? []).map((h, i, all) => ({
      round: h.round,
      current: h === current,
      by: h.by,
      at: h.at,
      proposedOutcome: h.proposedOutcome,
      reasons: h.reasons,
      persons: h.persons.map((p) => ({ ...p })),
      periodDays: h.periodDays,
      endsAt: h.endsAt,
      calendarVersion: h.calendarVersion,
      statements: h.persons.map((p) => {
        const st = h.statements[p.userId];
        // A hearing a later proposal replaced keeps the status it had then, whatever the clock says now:
        // unanswered when replaced within its period, lapsed when its period had ended first.
        const replacedAt = h === current ? null : (all[i + 1]?.at ?? null);
        const ended = Date.parse(replacedAt ?? now) > Date.parse(h.endsAt);
        const status: StatementStatus = st ? 'answered' : ended ? 'lapsed' : h === current ? 'awaiting' : 'unanswered';
        return {
          userId: p.userId,
          answered: !!st,
          status,
          at: st?.at ?? null,
          statement: st?.statement ?? null,
          evidence: st?.evidence ?? [],
        };
      }),
    })),
    legalityReviews: (ex.legalityReviews ?? []).map((r) => ({
      ...r,
      proposedAccountability: r.proposedAccountability.map((a) => ({ ...a })),
    })),
    appeal: ex.conclusion?.appealEndsAt
      ? { periodDays: ex.conclusion.appealPeriodDays ?? null, endsAt: ex.conclusion.appealEndsAt, body: ex.dueProcess?.appeal.body ?? null }
      : null,
    appealRounds: (ex.appealRounds ?? []).map((r) => ({
      round: r.round,
      appeals: r.appeals.map((a) => ({ by: a.by, at: a.at, grounds: a.grounds, evidence: a.evidence })),
      proposals: (r.proposals ?? []).map((p) => ({
        by: p.by,
        at: p.at,
        result: p.result,
        reasons: p.reasons,
        members: [...p.members],
        outcome: p.outcome ?? null,
        accountability: p.accountability ? p.accountability.map((a) => ({ ...a })) : null,
        confirmations: p.confirmations.map((c) => ({ ...c })),
        waitingFor: p.lapsed || r.ruling ? [] : unconfirmed(p),
        lapsed: p.lapsed ? { ...p.lapsed } : null,
      })),
      ruling: r.ruling
        ? {
            by: r.ruling.by,
            at: r.ruling.at,
            result: r.ruling.result,
            reasons: r.ruling.reasons,
            members: [...r.ruling.members],
            outcome: r.ruling.outcome,
            accountability: r.ruling.accountability.map((a) => ({ ...a })),
            before: r.ruling.before,
            confirmations: r.ruling.confirmations ? r.ruling.confirmations.map((c) => ({ ...c })) : null,
          }
        : null,
    })),
    reopenings: (ex.reopenings ?? []).map((r) => ({ by: r.by, at: r.at, ground: r.ground, reasons: r.reasons, evidence: r.evidence })),
  };
}

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
  /** The automatic evidence as it stood when the finding was recorded (machine version 4). */
  autoEvidenceAtFinding: AutoEvidence | null;
  /** The verifier's reason for recording met against not-met automatic evidence, shown beside the finding. */
  overrideReason: string | null;
  /** Negative-list items a not_met finding rests on. */
  negativeListFacts: string[];
}

export interface PanelRecord {
  body: string;
  tier: string;
  policyVersion: string;
  roles: string[];
  quorum: number;
  majority: string;
  /** Recused automatically: the team and the participants in the investment decision under review. */
  recusedAutomatically: { userId: string; reason: string }[];
  recusals: { by: string; at: string; reason: string }[];
  votes: PanelVote[];
  tally: {
    cast: number;
    exempt: number;
    partial: number;
    not_exempt: number;
    quorumMet: boolean;
    carried: ExemptionOutcome | null;
    summary: string;
  };
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
    flags: {
      index: number;
      by: string;
      at: string;
      note: string;
      persons: string[];
      evidence: EvidenceRef[];
      withdrawal: { by: string; at: string; reason: string } | null;
    }[];
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
  /** The rules the review runs under, and a sentence saying so. */
  rules: { version: number; note: string };
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
    /** The decision panel policy frozen when the review opened (null: decided by the committee chair alone). */
    decision: string | null;
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
  accountability: {
    userId: string;
    responsibility: Responsibility;
    responsibilityZh: string;
    reduction: Reduction | null;
    reductionZh: string | null;
    reason: string | null;
    recordedDissent: boolean;
    /** Named in a standing negative-list flag. */
    namedInFlag: boolean;
  }[];
  /** The decision panel (null: decided by the committee chair alone). */
  panel: PanelRecord | null;
  /** The referral to discipline inspection (纪检监察) of a not_exempt or partial decision. */
  referral: { to: 'discipline_officer'; receivedBy: string | null; receivedAt: string | null; note: string | null } | null;
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
    /** Set when discipline inspection reopened the review (重新认定): the outcome no longer stands. */
    superseded: { by: string; at: string; reopening: number } | null;
    /** The notice's conclusion of the superseded decision. */
    concludedAt: string | null;
  }[];
  /** Machine version 5: three distinctions, hearings, legality reviews, appeals and reopenings. */
  dueProcess: DueProcessRecord;
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
      autoEvidenceAtFinding: f?.autoEvidence ?? null,
      overrideReason: f?.overrideReason ?? null,
      negativeListFacts: f?.negativeListFacts ?? [],
    };
  });

  const standing = ex.flags.filter((f) => !f.withdrawal);
  const flagged = [...new Set(standing.map((f) => f.item))];
  const namedInFlags = new Set(standing.flatMap((f) => f.persons ?? []));
  const negativeList: NegativeListRecord = {
    version: ex.negativeListVersion,
    clear: flagged.length === 0,
    flagged,
    items: ex.negativeListItems.map((code) => {
      const def = itemDef(code);
      const flags = ex.flags
        .map((f, index) => ({
          index,
          by: f.by,
          at: f.at,
          note: f.note,
          persons: f.persons ?? [],
          evidence: f.evidence ?? [],
          withdrawal: f.withdrawal ?? null,
          item: f.item,
        }))
        .filter((f) => f.item === code)
        .map(({ item: _item, ...f }) => f);
      return {
        item: code,
        title: def?.titleEn ?? code,
        titleZh: def?.titleZh ?? null,
        source: def?.source ?? null,
        flagged: flags.some((f) => f.withdrawal === null),
        flags,
      };
    }),
  };

  const referrals = decision?.accountability ?? [];
  const participants = participantPositions(i.history, decision?.outcome ?? null, referrals, ex.rules);
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
    rules: rulesNote(ex),
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
      decision: ex.panel?.rule.version ?? null,
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
      userId: r.userId,
      responsibility: r.responsibility,
      responsibilityZh: RESPONSIBILITY_ZH[r.responsibility],
      reduction: r.reduction ?? null,
      reductionZh: r.reduction ? REDUCTION_ZH[r.reduction] : null,
      reason: r.reason ?? null,
      recordedDissent: dissenters.has(r.userId),
      namedInFlag: namedInFlags.has(r.userId),
    })),
    panel: panelRecord(i.ctx),
    referral:
      decision && decision.outcome !== 'exempt' && referrals.length > 0 && ex.rules >= 4
        ? {
            to: 'discipline_officer',
            receivedBy: decision.referralReceipt?.by ?? null,
            receivedAt: decision.referralReceipt?.at ?? null,
            note: decision.referralReceipt?.note ?? null,
          }
        : null,
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
      superseded: d.supersededBy ?? null,
      concludedAt: d.conclusion?.at ?? null,
    })),
    dueProcess: dueProcessRecord(ex, i.now),
  };
}

function panelRecord(ctx: CaseContext): PanelRecord | null {
  const panel = ctx.exemption?.panel;
  if (!panel) return null;
  const rule = panel.rule;
  // The decision's own votes once decided; the current round's before.
  const votes = ctx.exemption?.decision?.panelVotes ?? panel.votes;
  const tally = tallyPanel(votes, rule);
  const automatic = [...new Set([ctx.ownerId, ...ctx.team, ...investmentDecisionParticipants(ctx)])].map((userId) => ({
    userId,
    reason: recusalReason(ctx, userId) ?? '',
  }));
  return {
    body: rule.body,
    tier: rule.tier,
    policyVersion: rule.version,
    roles: [...rule.roles],
    quorum: rule.quorum,
    majority: `${rule.strict ? 'more than' : 'at least'} ${rule.majorityNumerator}/${rule.majorityDenominator} of the votes cast`,
    recusedAutomatically: automatic,
    recusals: panel.recusals.map((r) => ({ by: r.by, at: r.at, reason: r.reason })),
    votes: votes.map((v) => ({ ...v })),
    tally: { cast: tally.cast, ...tally.counts, quorumMet: tally.quorumMet, carried: tally.carried, summary: describeTally(tally, rule) },
  };
}

/** Every user id the record names, to resolve display names in one query. */
export function idsNamed(r: Omit<ExemptionRecord, 'people'>): string[] {
  const ids = new Set<string>();
  const add = (id: string | null | undefined) => id && ids.add(id);
  add(r.application?.by);
  r.criteria.forEach((c) => add(c.verifiedBy));
  r.negativeList.items.forEach((it) => it.flags.forEach((f) => (add(f.by), f.persons.forEach(add), add(f.withdrawal?.by))));
  r.panel?.votes.forEach((v) => add(v.by));
  r.panel?.recusals.forEach((v) => add(v.by));
  r.panel?.recusedAutomatically.forEach((v) => add(v.userId));
  add(r.referral?.receivedBy);
  r.proceduralReport.items.forEach((it) => it.by.forEach(add));
  r.participants.forEach((p) => add(p.userId));
  add(r.decidedBy);
  r.accountability.forEach((a) => add(a.userId));
  add(r.notice?.concludedBy);
  r.objections.forEach((o) => (add(o.by), add(o.ruling?.by)));
  r.previousRounds.forEach((p) => (add(p.decision.by), add(p.superseded?.by)));
  const dp = r.dueProcess;
  dp.distinctions.forEach((d) => add(d.by));
  dp.hearings.forEach((h) => (add(h.by), h.persons.forEach((p) => add(p.userId))));
  dp.legalityReviews.forEach((l) => add(l.by));
  dp.appealRounds.forEach((a) => {
    a.appeals.forEach((x) => add(x.by));
    a.proposals.forEach((p) => (add(p.by), p.members.forEach(add), p.confirmations.forEach((c) => add(c.by)), add(p.lapsed?.by)));
    add(a.ruling?.by);
    a.ruling?.members.forEach(add);
  });
  dp.reopenings.forEach((x) => add(x.by));
  return [...ids];
}
