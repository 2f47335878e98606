import { tallyVotes } from '../committee.rules';
import type { AutoEvidence, Vote, VoteKind } from '../case.types';
import { EXEMPTION_OUTCOMES, WORKSTREAMS } from '../case.types';
import type { CriterionDefinition, MonitoringPolicy } from '../policy.types';
import { days, decisionEntries, gradeRank, input, server, str, type HistoryEntry } from './case-history';

/**
 * Which report items evidence the criteria marked `auto` in the default criteria file. A criterion
 * code not listed here has no automatic evidence, whatever its file says.
 */
export const AUTO_EVIDENCE: Record<string, (code: string) => boolean> = {
  // The investment decision's steps (the review's own due-process steps come after the finding).
  procedure_followed: (c) => c === 'screening_approval' || c.startsWith('dd_report:') || c === 'risk_opinion' || c.startsWith('committee_'),
  diligent_due_diligence: (c) => c.startsWith('dd_report:'),
  timely_monitoring: (c) => c === 'monitoring_cadence' || c === 'downgrade_reaction',
};

/** One required step of the procedure, checked against the case's own history. */
export interface ReportItem {
  /** A stable code: `screening_approval`, `dd_report:legal`, `committee_quorum`, … */
  code: string;
  /** The rule, as a sentence. */
  rule: string;
  ruleZh: string;
  met: boolean;
  /**
   * False for a step that does not apply to this case's outcome (a hearing or legality review before
   * an `exempt` decision): reported as not applicable, and then `met` is true. Absent: it applies.
   */
  applicable?: boolean;
  /** What the history shows, as a sentence. */
  finding: string;
  /** Sequence numbers of the history entries this item rests on. */
  evidence: string[];
  /** Who did it and when (the latest evidence that carries an actor). */
  by: string[];
  at: string | null;
  /** Figures behind the finding (days, counts, versions). */
  figures: Record<string, string | number | boolean | null>;
}

export interface DowngradeReaction {
  seq: string;
  at: string;
  from: string;
  to: string;
  reactionSeq: string | null;
  reactionType: string | null;
  reactionAt: string | null;
  /** Days from the downgrade to the reaction, or to the end of monitoring when there was none. */
  reactionDays: number;
  met: boolean;
}

export interface ProceduralReport {
  committeeRuleVersion: string | null;
  monitoringPolicyVersion: string;
  items: ReportItem[];
  downgrades: DowngradeReaction[];
  allMet: boolean;
  /** The newest history entry the report read. */
  lastSeq: string | null;
}

const WORKSTREAM_ZH: Record<string, string> = { business: '商业', financial: '财务', legal: '法律', technical: '技术' };
const REACTIONS = new Set(['SUBMIT_MONITORING_REPORT', 'START_EXIT', 'WRITE_OFF']);
const LEAVES_MONITORING = new Set(['START_EXIT', 'WRITE_OFF']);

const item = (i: Omit<ReportItem, 'by' | 'at' | 'figures'> & Partial<Pick<ReportItem, 'by' | 'at' | 'figures'>>): ReportItem => ({
  by: [],
  at: null,
  figures: {},
  ...i,
});

const actorOf = (e: HistoryEntry | null) => (e?.actorId ? [e.actorId] : []);

/**
 * The procedural-compliance report of a case: each step the procedure requires, with the history
 * entries that evidence it, who did it, when, and whether it met the rule. Computed from the history
 * alone (plus the policies recorded in it or frozen into the review), so it can be recomputed at any
 * time with the same result. `now` bounds monitoring when the case has not left it.
 */
export function proceduralReport(history: readonly HistoryEntry[], monitoring: MonitoringPolicy, now: string): ProceduralReport {
  const d = decisionEntries(history);
  const items: ReportItem[] = [];

  // Screening approval (立项).
  const s = d.screening;
  const screeningIndependent = s ? !d.teamAt(s.seq).has(s.actorId ?? '') : false;
  const screeningRole = s ? s.actorRoles.includes('department_head') : false;
  items.push(
    item({
      code: 'screening_approval',
      rule: 'The project was approved at screening by a department_head who was not on the case team.',
      ruleZh: '立项经部门负责人审批，且审批人不属于项目团队',
      met: !!s && screeningIndependent && screeningRole,
      finding: !s
        ? 'No screening approval is recorded.'
        : !screeningRole
          ? `The approval (seq ${s.seq}) was given by someone without the department_head role.`
          : !screeningIndependent
            ? `The approver of seq ${s.seq} was on the case team.`
            : `Approved at screening on ${s.at}.`,
      evidence: s ? [s.seq] : [],
      by: actorOf(s),
      at: s?.at ?? null,
    }),
  );

  // The four due-diligence reports (尽职调查).
  for (const w of WORKSTREAMS) {
    const r = d.ddReports[w] ?? null;
    const legal = w === 'legal';
    const rightAuthor = r ? (legal ? r.actorRoles.includes('legal_officer') : d.teamAt(r.seq).has(r.actorId ?? '')) : false;
    items.push(
      item({
        code: `dd_report:${w}`,
        rule: legal
          ? 'The legal due-diligence report was submitted by a legal_officer before the risk review.'
          : `The ${w} due-diligence report was submitted by the case team before the risk review.`,
        ruleZh: legal ? '法律尽调报告由法务在风控审查前提交' : `${WORKSTREAM_ZH[w]}尽调报告由项目团队在风控审查前提交`,
        met: !!r && rightAuthor,
        finding: !r
          ? `No ${w} due-diligence report is recorded before the risk opinion.`
          : rightAuthor
            ? `Submitted on ${r.at}: conclusion "${str(input(r).conclusion) ?? ''}".`
            : `The report of seq ${r.seq} was submitted by ${legal ? 'someone who is not a legal_officer' : 'someone outside the case team'}.`,
        evidence: r ? [r.seq] : [],
        by: actorOf(r),
        at: r?.at ?? null,
      }),
    );
  }

  // Risk opinion (风控审查).
  const ro = d.riskOpinion;
  const opinion = ro ? str(input(ro).opinion) : null;
  const roOk = !!ro && ro.actorRoles.includes('risk_officer') && !d.teamAt(ro.seq).has(ro.actorId ?? '');
  items.push(
    item({
      code: 'risk_opinion',
      rule: 'A risk_officer not on the case team gave a risk opinion before the committee voted.',
      ruleZh: '投决前由非项目团队的风控人员出具风控意见',
      met: roOk,
      finding: !ro
        ? 'No risk opinion is recorded before the committee decision.'
        : roOk
          ? `Opinion "${opinion}" given on ${ro.at}.`
          : `The opinion of seq ${ro.seq} was not given by an independent risk_officer.`,
      evidence: ro ? [ro.seq] : [],
      by: actorOf(ro),
      at: ro?.at ?? null,
      figures: { opinion },
    }),
  );

  // Committee quorum and threshold (投决会).
  const votes: Vote[] = d.votes.map((e) => ({
    by: e.actorId ?? '',
    at: e.at,
    vote: str(input(e).vote) as VoteKind,
    reason: str(input(e).reason) ?? '',
  }));
  const voteSeqs = d.votes.map((e) => e.seq);
  const rule = d.rule;
  const close = d.close;
  const tally = rule ? tallyVotes(votes, rule) : null;
  const closeEvidence = close ? [...voteSeqs, close.seq] : voteSeqs;
  items.push(
    item({
      code: 'committee_quorum',
      rule: rule
        ? `At least ${rule.quorum} votes were cast before voting closed (committee rule ${rule.version}).`
        : 'The committee quorum was met.',
      ruleZh: rule ? `投决会表决票数不少于 ${rule.quorum} 票` : '投决会达到法定人数',
      met: !!tally?.quorumMet,
      finding:
        !close || !tally
          ? 'No committee decision approving the investment is recorded.'
          : `${tally.cast} votes were cast; the quorum is ${rule!.quorum}.`,
      evidence: closeEvidence,
      by: votes.map((v) => v.by),
      at: close?.at ?? null,
      figures: { cast: tally?.cast ?? 0, quorum: rule?.quorum ?? null, ruleVersion: rule?.version ?? null },
    }),
  );
  const needsOverride = !!rule?.riskFailRequiresOverride && opinion === 'fail';
  const overrideReason = close ? str(input(close).overrideReason) : null;
  const thresholdMet = !!tally?.approved && (!needsOverride || !!overrideReason?.trim());
  items.push(
    item({
      code: 'committee_threshold',
      rule: rule
        ? `Approve votes were at least ${rule.approvalNumerator}/${rule.approvalDenominator} of the votes counted (abstentions ${rule.abstentionsCountAsCast ? 'counted' : 'not counted'})${rule.riskFailRequiresOverride ? ', and after a risk fail opinion the chair stated an override reason' : ''}.`
        : 'The committee approved by the configured majority.',
      ruleZh: rule
        ? `同意票不少于计票数的 ${rule.approvalNumerator}/${rule.approvalDenominator}；风控否定意见下须由主任说明理由`
        : '投决会按规则通过',
      met: thresholdMet,
      finding:
        !close || !tally
          ? 'No committee decision approving the investment is recorded.'
          : `${tally.approve} approve, ${tally.reject} reject, ${tally.abstain} abstain of ${tally.counted} counted${needsOverride ? (overrideReason ? `; override reason stated: "${overrideReason}"` : '; the risk opinion was fail and no override reason was stated') : ''}.`,
      evidence: closeEvidence,
      by: actorOf(close),
      at: close?.at ?? null,
      figures: {
        approve: tally?.approve ?? 0,
        reject: tally?.reject ?? 0,
        abstain: tally?.abstain ?? 0,
        counted: tally?.counted ?? 0,
        overrideRequired: needsOverride,
      },
    }),
  );

  // Monitoring reports at the configured cadence (投后管理).
  const funding = history.find((e) => e.type === 'RECORD_FUNDING') ?? null;
  const end = history.find((e) => LEAVES_MONITORING.has(e.type) && e.fromState === 'monitoring') ?? null;
  const endAt = end?.at ?? now;
  const reports = history.filter((e) => e.type === 'SUBMIT_MONITORING_REPORT');
  const startAt = funding ? (str(input(funding).fundedAt) ?? funding.at) : null;
  let longestGap = 0;
  if (startAt) {
    const marks = [startAt, ...reports.map((r) => r.at), endAt];
    for (let i = 1; i < marks.length; i++) longestGap = Math.max(longestGap, days(marks[i - 1], marks[i]));
  }
  const cadenceMet = !!startAt && longestGap <= monitoring.reportCadenceDays;
  items.push(
    item({
      code: 'monitoring_cadence',
      rule: `A monitoring report was filed at least every ${monitoring.reportCadenceDays} days from funding until the case left monitoring (monitoring policy ${monitoring.version}).`,
      ruleZh: `自出资起至投后管理结束，每 ${monitoring.reportCadenceDays} 天内至少提交一次投后报告`,
      met: cadenceMet,
      finding: !startAt
        ? 'No funding is recorded, so no monitoring period began.'
        : `${reports.length} report(s) from funding on ${startAt} to ${end ? `${end.type} on ${end.at}` : now}; the longest interval without a report was ${longestGap} days.`,
      evidence: [...(funding ? [funding.seq] : []), ...reports.map((r) => r.seq), ...(end ? [end.seq] : [])],
      by: [...new Set(reports.map((r) => r.actorId ?? ''))].filter(Boolean),
      at: reports[reports.length - 1]?.at ?? null,
      figures: {
        reports: reports.length,
        longestGapDays: longestGap,
        cadenceDays: monitoring.reportCadenceDays,
        monitoringFrom: startAt,
        monitoringUntil: endAt,
      },
    }),
  );

  // Reaction to each risk downgrade (五级分类下调后及时报告、止损).
  const downgrades: DowngradeReaction[] = [];
  let grade = 'normal';
  for (const e of history) {
    if (e.type !== 'CLASSIFY_RISK') continue;
    const to = str(input(e).grade) ?? grade;
    if (gradeRank(to) > gradeRank(grade)) {
      const reaction = history.find((r) => Number(r.seq) > Number(e.seq) && REACTIONS.has(r.type)) ?? null;
      const reactionDays = days(e.at, reaction?.at ?? endAt);
      downgrades.push({
        seq: e.seq,
        at: e.at,
        from: grade,
        to,
        reactionSeq: reaction?.seq ?? null,
        reactionType: reaction?.type ?? null,
        reactionAt: reaction?.at ?? null,
        reactionDays,
        met: !!reaction && reactionDays <= monitoring.downgradeReactionDays,
      });
    }
    grade = to;
  }
  const late = downgrades.filter((g) => !g.met);
  items.push(
    item({
      code: 'downgrade_reaction',
      rule: `After each risk downgrade the team filed a monitoring report, or an exit or write-off began, within ${monitoring.downgradeReactionDays} days (monitoring policy ${monitoring.version}).`,
      ruleZh: `风险分类下调后 ${monitoring.downgradeReactionDays} 天内提交投后报告或启动退出/核销`,
      met: late.length === 0,
      finding:
        downgrades.length === 0
          ? 'No risk downgrade was recorded.'
          : downgrades
              .map((g) =>
                g.reactionSeq
                  ? `${g.from} → ${g.to} on ${g.at}: ${g.reactionType} (seq ${g.reactionSeq}) after ${g.reactionDays} days`
                  : `${g.from} → ${g.to} on ${g.at}: no report, exit or write-off followed`,
              )
              .join('; ') + '.',
      evidence: downgrades.flatMap((g) => [g.seq, ...(g.reactionSeq ? [g.reactionSeq] : [])]),
      by: [...new Set(downgrades.map((g) => history.find((e) => e.seq === g.reactionSeq)?.actorId ?? '').filter(Boolean))],
      at: downgrades[downgrades.length - 1]?.reactionAt ?? null,
      figures: {
        downgrades: downgrades.length,
        late: late.length,
        longestReactionDays: downgrades.reduce((m, g) => Math.max(m, g.reactionDays), 0),
        reactionDaysAllowed: monitoring.downgradeReactionDays,
      },
    }),
  );

  items.push(...dueProcessItems(history));

  return {
    committeeRuleVersion: rule?.version ?? null,
    monitoringPolicyVersion: monitoring.version,
    items,
    downgrades,
    allMet: items.every((i) => i.met),
    lastSeq: history[history.length - 1]?.seq ?? null,
  };
}

const DISTINCTION_CODES = ['inexperience_vs_knowing_violation', 'trial_vs_prohibition', 'development_vs_personal_gain'];

/**
 * Machine version 5's steps of the exemption review's current round, from the history: the three
 * distinctions, before a decision that refers someone the hearing (申辩) and the legality review
 * (合法性审查), and after it the ruling on any appeal (申诉/复核). None for reviews opened before version 5 (their opening event carries no due-process
 * policy), and for cases without a review.
 */
function dueProcessItems(history: readonly HistoryEntry[]): ReportItem[] {
  const opened = [...history]
    .reverse()
    .find(
      (e) =>
        e.type === 'REOPEN_REVIEW' ||
        ((e.type === 'COMPLETE_EXIT' || e.type === 'WRITE_OFF') && !!e.toState?.startsWith('exemptionReview')),
    );
  if (!opened) return [];
  const policy =
    opened.type === 'REOPEN_REVIEW'
      ? server(opened).dueProcess
      : (server(opened).review as Record<string, unknown> | undefined)?.dueProcess;
  if (!policy) return [];
  // The current round begins when the review last entered verification (filing, an upheld objection, a reopening).
  const starts = history.filter((e) => e.toState === 'exemptionReview.verification' && e.fromState !== 'exemptionReview.verification');
  const from = Number(starts[starts.length - 1]?.seq ?? opened.seq);
  const round = history.filter((e) => Number(e.seq) >= from);
  const decision = round.find((e) => e.type === 'DECIDE_EXEMPTION') ?? null;
  const beforeDecision = round.filter((e) => !decision || Number(e.seq) < Number(decision.seq));
  const items: ReportItem[] = [];

  const distinctions = DISTINCTION_CODES.map(
    (c) => beforeDecision.find((e) => e.type === 'RECORD_DISTINCTION' && input(e).distinction === c) ?? null,
  );
  const found = distinctions.filter((e): e is HistoryEntry => e !== null);
  const culpable = found.filter((e) => input(e).side === 'culpable').map((e) => str(input(e).distinction));
  items.push(
    item({
      code: 'three_distinctions',
      rule: 'Each of the three distinctions (三个区分开来) was found by an independent verifier, with reasons and evidence, before the decision.',
      ruleZh: '决定前由独立核查人员就“三个区分开来”逐项作出认定，并说明理由、列明证据',
      met: found.length === DISTINCTION_CODES.length,
      finding:
        found.length === DISTINCTION_CODES.length
          ? culpable.length > 0
            ? `All three found; culpable side: ${culpable.join(', ')} (exempt and partial excluded).`
            : 'All three found on the tolerable side.'
          : `Missing: ${DISTINCTION_CODES.filter((_, i) => !distinctions[i]).join(', ')}.`,
      evidence: found.map((e) => e.seq),
      by: [...new Set(found.map((e) => e.actorId ?? '').filter(Boolean))],
      at: found[found.length - 1]?.at ?? null,
      figures: { found: found.length, culpable: culpable.length },
    }),
  );

  const outcome = decision ? str(input(decision).outcome) : null;
  const proposals = beforeDecision.filter((e) => e.type === 'PROPOSE_ACCOUNTABILITY');
  const proposal = proposals[proposals.length - 1] ?? null;
  // Not applicable: an exempt decision, or no decision referring anyone proposed or taken yet.
  const applies = decision ? outcome !== 'exempt' : proposal !== null;
  const notApplicable = decision
    ? `Not applicable: the decision (seq ${decision.seq}) is ${outcome} and refers nobody.`
    : 'Not applicable so far: no decision referring anyone has been proposed or taken in this round.';

  // 申辩: every person referred was heard, and answered or the period ended, before the decision.
  const persons = proposal ? ((input(proposal).accountability as { userId: string }[] | undefined) ?? []).map((a) => a.userId) : [];
  const endsAt = proposal ? str(server(proposal).endsAt) : null;
  const statements = proposal ? beforeDecision.filter((e) => e.type === 'SUBMIT_STATEMENT' && Number(e.seq) > Number(proposal.seq)) : [];
  const answered = new Set(statements.map((e) => e.actorId ?? ''));
  const referred = decision ? ((input(decision).accountability as { userId: string }[] | undefined) ?? []).map((a) => a.userId) : persons;
  const notHeard = referred.filter((id) => !persons.includes(id));
  const periodOver = !!decision && !!endsAt && Date.parse(decision.at) > Date.parse(endsAt);
  const waiting = persons.filter((id) => !answered.has(id));
  items.push(
    item({
      code: 'hearing',
      rule: 'Each person referred was heard (申辩) on the proposal, with a period in working days, and the decision was taken after every answer or the end of the period.',
      ruleZh: '追责决定前，拟追责人员均获申辩机会（工作日期限），决定在全部申辩或期限届满后作出',
      applicable: applies,
      met: !applies || (!!proposal && !!decision && notHeard.length === 0 && (waiting.length === 0 || periodOver)),
      finding: !applies
        ? notApplicable
        : !proposal
          ? 'No hearing was opened before the decision.'
          : notHeard.length > 0
            ? `Referred without being heard: ${notHeard.join(', ')}.`
            : `${answered.size} of ${persons.length} answered; the period ended ${endsAt}${decision ? `; decided on ${decision.at}` : '; no decision yet'}.`,
      evidence: proposal ? [proposal.seq, ...statements.map((e) => e.seq)] : [],
      by: proposal ? [...new Set([proposal.actorId ?? '', ...statements.map((e) => e.actorId ?? '')].filter(Boolean))] : [],
      at: proposal?.at ?? null,
      figures: {
        persons: persons.length,
        answered: answered.size,
        endsAt,
        periodDays: proposal ? (server(proposal).periodDays as number) : null,
      },
    }),
  );

  // 合法性审查: the latest review before the decision was favourable.
  const reviews = beforeDecision.filter((e) => e.type === 'LEGALITY_REVIEW');
  const review = reviews[reviews.length - 1] ?? null;
  const favourable = !!review && input(review).conclusion === 'favourable' && review.actorRoles.includes('legal_officer');
  items.push(
    item({
      code: 'legality_review',
      rule: 'A legal officer independent of the case reviewed the legality of the decision (合法性审查, Order No. 46) before it was taken, favourably.',
      ruleZh: '追责决定作出前经独立法务人员合法性审查且意见为同意',
      applicable: applies,
      met: !applies || (!!decision && favourable),
      finding: !applies
        ? notApplicable
        : !review
          ? 'No legality review is recorded before the decision.'
          : `Legality review of ${review.at}: ${str(input(review).conclusion)}${decision ? '' : '; no decision yet'}.`,
      evidence: reviews.map((e) => e.seq),
      by: actorOf(review),
      at: review?.at ?? null,
      figures: { reviews: reviews.length },
    }),
  );
  items.push(appealRulingItem(round, decision, beforeDecision));
  return items;
}

/**
 * 申诉/复核: each appeal against this round's decision was ruled on (upheld, modified or overturned) by a
 * body that recorded its members, none of whom sat on the first decision (its decider and the panel
 * members whose votes it carried), and the one who recorded the ruling among them. Not applicable when
 * no appeal was filed.
 */
function appealRulingItem(round: HistoryEntry[], decision: HistoryEntry | null, beforeDecision: HistoryEntry[]): ReportItem {
  const after = decision ? round.filter((e) => Number(e.seq) > Number(decision.seq)) : [];
  const appeals = after.filter((e) => e.type === 'FILE_APPEAL');
  // The rulings that took effect. Under review rules 7 a RULE_ON_APPEAL proposes the ruling (the
  // proposer confirming it) and it takes effect with the last member's CONFIRM_APPEAL_RULING, the event
  // that leaves the appeal state; a new appeal or another proposal lapses a pending one. Under rules 5
  // (or a body of one) the RULE_ON_APPEAL itself leaves the appeal state.
  const rulings: { proposal: HistoryEntry; effective: HistoryEntry; confirmedBy: string[] }[] = [];
  let proposal: HistoryEntry | null = null;
  let confirmedBy: string[] = [];
  for (const e of after) {
    if (e.type === 'FILE_APPEAL') proposal = null;
    if (e.type === 'RULE_ON_APPEAL') {
      proposal = e;
      confirmedBy = e.actorId ? [e.actorId] : [];
    } else if (e.type === 'CONFIRM_APPEAL_RULING' && proposal && e.actorId) confirmedBy.push(e.actorId);
    const tookEffect = proposal && (e.type === 'RULE_ON_APPEAL' || e.type === 'CONFIRM_APPEAL_RULING') && e.toState === 'closed';
    if (proposal && tookEffect) {
      rulings.push({ proposal, effective: e, confirmedBy });
      proposal = null;
    }
  }
  const base = {
    code: 'appeal_ruling',
    rule: 'Each appeal (申诉) against the decision was ruled on (upheld, modified or overturned) by a body none of whose members sat on the first decision, each member confirming the ruling (under review rules 5: one of them recording it).',
    ruleZh: '对决定提出的申诉，由未参与原决定的人员组成的复核机构作出维持、变更或撤销的复核决定',
  };
  if (!decision || appeals.length === 0) {
    return item({
      ...base,
      applicable: false,
      met: true,
      finding: decision
        ? `Not applicable: no appeal was filed against the decision (seq ${decision.seq}).`
        : 'Not applicable so far: no decision has been taken in this round.',
      evidence: decision ? [decision.seq] : [],
      figures: { appeals: 0, rulings: 0 },
    });
  }

  // Who sat on the first decision: its decider, and each panel member whose vote stood when it was taken.
  const sitters = new Set<string>(decision.actorId ? [decision.actorId] : []);
  for (const v of beforeDecision.filter((e) => e.type === 'CAST_PANEL_VOTE')) {
    const recusedLater = beforeDecision.some(
      (e) => e.type === 'RECUSE_FROM_PANEL' && e.actorId === v.actorId && Number(e.seq) > Number(v.seq),
    );
    if (v.actorId && !recusedLater) sitters.add(v.actorId);
  }

  let outcome = str(input(decision).outcome);
  const rounds = rulings.map(({ proposal: r, effective, confirmedBy }) => {
    const members = Array.isArray(input(r).members)
      ? (input(r).members as unknown[]).filter((m): m is string => typeof m === 'string')
      : [];
    const result = str(input(r).result);
    const before = outcome;
    const modified = str(input(r).outcome);
    outcome =
      result === 'overturned'
        ? 'exempt'
        : result === 'modified' && modified && (EXEMPTION_OUTCOMES as readonly string[]).includes(modified)
          ? modified
          : before;
    const sat = members.filter((m) => sitters.has(m));
    const recorderIsMember = !!r.actorId && members.includes(r.actorId);
    // Each member confirmed (rules 7); under rules 5 the recorder alone (named the body).
    const unconfirmed = effective === r ? [] : members.filter((m) => !confirmedBy.includes(m));
    return {
      r,
      effective,
      members,
      result,
      before,
      after: outcome,
      sat,
      ok: members.length > 0 && sat.length === 0 && recorderIsMember && unconfirmed.length === 0,
    };
  });
  const lastAppeal = appeals[appeals.length - 1];
  const lastRuling = rounds[rounds.length - 1] ?? null;
  const pending = !lastRuling || Number(lastAppeal.seq) > Number(lastRuling.effective.seq);
  const excluded = rounds.every((x) => x.sat.length === 0);
  const filed = `${appeals.length} appeal(s) filed from ${appeals[0].at}`;
  const described = rounds
    .map(
      (x) =>
        `ruled ${x.result ?? 'without a result'} on ${x.effective.at} (seq ${x.effective.seq}) by a body of ${x.members.length} member(s)` +
        (x.effective === x.r ? '' : `, proposed on ${x.r.at} (seq ${x.r.seq}) and confirmed by each member`) +
        (x.sat.length > 0 ? `, of whom ${x.sat.join(', ')} sat on the first decision` : ', none of whom sat on the first decision') +
        (x.r.actorId && !x.members.includes(x.r.actorId) ? '; the ruling was recorded by someone outside the body' : '') +
        `: outcome ${x.before ?? '—'} → ${x.after ?? '—'}`,
    )
    .join('; ');
  return item({
    ...base,
    applicable: true,
    met: !pending && rounds.every((x) => x.ok),
    finding: `${filed}; ${described || 'no ruling yet'}${rounds.length > 0 && pending ? '; a later appeal waits for a ruling' : ''}.`,
    evidence: [...appeals, ...after.filter((e) => e.type === 'RULE_ON_APPEAL' || e.type === 'CONFIRM_APPEAL_RULING')]
      .sort((a, b) => Number(a.seq) - Number(b.seq))
      .map((e) => e.seq),
    by: lastRuling ? [...new Set([lastRuling.r.actorId ?? '', ...lastRuling.members].filter(Boolean))] : [],
    at: lastRuling?.effective.at ?? null,
    figures: {
      appeals: appeals.length,
      rulings: rulings.length,
      result: lastRuling?.result ?? null,
      ruledBy: lastRuling?.r.actorId ?? null,
      members: lastRuling?.members.length ?? 0,
      outcomeBefore: lastRuling?.before ?? null,
      outcomeAfter: lastRuling?.after ?? null,
      firstDecisionMembersExcluded: rounds.length > 0 ? excluded : null,
    },
  });
}

/**
 * What the procedural-compliance report shows for a criterion marked `auto` (null for any other):
 * recorded with the finding, and binding on it unless the verifier overrides it with a reason.
 */
export function autoEvidenceOf(criterion: CriterionDefinition | undefined, report: ProceduralReport): AutoEvidence | null {
  const match = criterion?.evidence === 'auto' ? AUTO_EVIDENCE[criterion.code] : undefined;
  if (!match) return null;
  const unmet = report.items.filter((it) => match(it.code) && !it.met).map((it) => it.code);
  return { met: unmet.length === 0, unmet };
}
