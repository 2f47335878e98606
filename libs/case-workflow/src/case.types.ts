import type { Actor } from './roles';
import type { Appeal, AppealProposal, AppealResult, AppealRuling } from './due-process/appeal';
import type { Hearing, HearingStatement } from './due-process/hearing';
import type { LegalityConclusion, LegalityReview } from './due-process/legality-review';
import type { Reopening, ReopeningGround } from './due-process/reopening';
import type { DistinctionCode, DistinctionFindings, DistinctionSide } from './due-process/three-distinctions';
import type { LossTierPolicy } from './exemption/loss-tier';
import type {
  CommitteeRule,
  CriterionDefinition,
  DecisionPanelRule,
  DueProcessPolicy,
  FundToleranceFigures,
  MonitoringPolicy,
  NegativeListItem,
} from './policy.types';

export const WORKSTREAMS = ['business', 'financial', 'legal', 'technical'] as const;
export type Workstream = (typeof WORKSTREAMS)[number];

export const RISK_OPINIONS = ['pass', 'conditional', 'fail'] as const;
export type RiskOpinionKind = (typeof RISK_OPINIONS)[number];

export const VOTES = ['approve', 'reject', 'abstain'] as const;
export type VoteKind = (typeof VOTES)[number];

export const RISK_GRADES = ['normal', 'watch', 'substandard', 'doubtful', 'loss'] as const;
export type RiskGrade = (typeof RISK_GRADES)[number];

export const EXIT_CHANNELS = ['ipo', 'merger', 'transfer', 'buyback', 'liquidation'] as const;
export type ExitChannel = (typeof EXIT_CHANNELS)[number];

export const LOSS_CAUSES = ['market', 'technology', 'policy', 'force_majeure', 'operations', 'other'] as const;
export type LossCause = (typeof LOSS_CAUSES)[number];

export const FINDINGS = ['met', 'not_met'] as const;
export type Finding = (typeof FINDINGS)[number];

export const EXEMPTION_OUTCOMES = ['exempt', 'partial', 'not_exempt'] as const;
export type ExemptionOutcome = (typeof EXEMPTION_OUTCOMES)[number];

export const RESPONSIBILITIES = ['direct', 'supervisory', 'leadership'] as const;
export type Responsibility = (typeof RESPONSIBILITIES)[number];

/** Responsibility in Chinese, as 国资委令第37号 names it. */
export const RESPONSIBILITY_ZH: Readonly<Record<Responsibility, string>> = {
  direct: '直接责任',
  supervisory: '主管责任',
  leadership: '领导责任',
};

/** How a `partial` decision reduces a person's responsibility: 从轻 (lighter, within the range) or 减轻 (reduced, below it). */
export const REDUCTIONS = ['lighter', 'reduced'] as const;
export type Reduction = (typeof REDUCTIONS)[number];

/** Who did something and when: stamped by the server, never taken from the client. */
export interface Stamp {
  by: string;
  at: string;
}

export interface DdReport extends Stamp {
  conclusion: string;
  findings: string;
}

export interface RiskOpinion extends Stamp {
  opinion: RiskOpinionKind;
  reason: string;
  conditions: string | null;
}

export interface Vote extends Stamp {
  vote: VoteKind;
  reason: string;
  /** An explicit reservation recorded with the vote (保留意见): with a reject vote, the only dissent Art. 36(4) counts. */
  reservation?: string | null;
}

export interface CommitteeDecision extends Stamp {
  round: number;
  approved: boolean;
  ruleVersion: string;
  overrideReason: string | null;
}

/** A piece of evidence an application cites: its title and where it is. */
export interface EvidenceRef {
  title: string;
  ref: string;
}

export interface ExemptionApplication extends Stamp {
  lossCause: LossCause;
  statement: string;
  evidence: EvidenceRef[];
  declarations: ExemptionDeclarations;
}

export interface ExemptionDeclarations {
  /** Nobody on the team sought or obtained personal gain from the investment. */
  noPersonalGain: boolean;
  /** Every related-party interest was disclosed before the decision. */
  relatedPartiesDisclosed: boolean;
  /** Due-diligence and risk information was reported completely and truthfully. */
  informationComplete: boolean;
}

/** What a criterion's automatic evidence (the procedural-compliance report) showed when it was verified. */
export interface AutoEvidence {
  met: boolean;
  /** The report items that were not met. */
  unmet: string[];
}

export interface CriterionFinding extends Stamp {
  finding: Finding;
  note: string;
  /** Machine version 4: the verifier's reason for recording `met` against not-met automatic evidence. */
  overrideReason?: string | null;
  /** Machine version 4: the automatic evidence as it stood when the finding was recorded (null for manual criteria). */
  autoEvidence?: AutoEvidence | null;
  /** Machine version 4: negative-list items the finding rests on (a `not_met` because of a 负面清单 fact). */
  negativeListFacts?: string[];
}

export interface NegativeListFlag extends Stamp {
  item: string;
  note: string;
  /** Machine version 4: the people whose conduct the flag concerns (empty on flags raised before). */
  persons?: string[];
  evidence?: EvidenceRef[];
  /** A recorded ruling withdrawing the flag, by someone other than who raised it; null while it stands. */
  withdrawal?: (Stamp & { reason: string }) | null;
}

export interface AccountabilityReferral {
  userId: string;
  responsibility: Responsibility;
  /** `partial` only: how the responsibility is reduced (从轻/减轻) and why. */
  reduction?: Reduction;
  reason?: string;
}

/** A panel member's vote on the exemption outcome, with reasons (machine version 4). */
export interface PanelVote extends Stamp {
  outcome: ExemptionOutcome;
  reasons: string;
}

/** A panel member's self-recusal (回避), with the reason. */
export interface PanelRecusal extends Stamp {
  reason: string;
}

/** The collective exemption decision (免责认定) of a review opened under machine version 4. */
export interface PanelState {
  /** The panel rule of the review's loss tier, frozen when the review opened. */
  rule: DecisionPanelRule;
  /** The votes of the current round (a member's later vote replaces their earlier one; both stay on the chain). */
  votes: PanelVote[];
  recusals: PanelRecusal[];
}

export interface ExemptionDecision extends Stamp {
  outcome: ExemptionOutcome;
  reasons: string;
  accountability: AccountabilityReferral[];
  noticeEndsAt: string;
  /** The notice period applied and the policy it came from (null on decisions taken before machine version 3). */
  noticePeriodDays: number | null;
  noticePolicyVersion: string | null;
  /**
   * The working-day calendar the notice period was counted on (config/calendar). Absent on decisions
   * whose period was counted in calendar days, before working days were introduced.
   */
  calendarVersion?: string | null;
  /** The fund's tolerance figures as they stood when the decision was taken; never recomputed. */
  tolerance: FundToleranceFigures | null;
  /** Machine version 4: the panel votes the decision adopted (absent on decisions taken by one person). */
  panelVotes?: PanelVote[];
  /** Machine version 4: referrals to discipline inspection (纪检监察) received, by whom and when. */
  referralReceipt?: (Stamp & { note: string | null }) | null;
  /** Machine version 5: the outcome before an appeal ruling changed it (absent: as decided). */
  beforeAppeal?: { outcome: ExemptionOutcome; accountability: AccountabilityReferral[] };
  /** Machine version 5: the notice's conclusion of this decision, kept when a reopening supersedes it. */
  conclusion?: NoticeConclusion | null;
  /** Machine version 5: set when discipline inspection reopened the review (重新认定); the outcome no longer stands. */
  supersededBy?: (Stamp & { reopening: number }) | null;
}

/** Closing of the public notice (CONCLUDE_NOTICE): the outcome stands from then on. */
export interface NoticeConclusion extends Stamp {
  note: string | null;
  /**
   * Machine version 5: the end of the appeal period (申诉) of a decision that refers someone, counted
   * in working days from the conclusion, the period and the calendar it counted on.
   */
  appealEndsAt?: string | null;
  appealPeriodDays?: number | null;
  calendarVersion?: string | null;
}

/** 申辩: a hearing with the statements of the persons heard. */
export interface HearingRecord extends Hearing {
  /** Why accountability is proposed: what the persons heard answer to. */
  reasons: string;
  statements: Record<string, HearingStatement>;
}

/** 申诉/复核: the appeals against one decision heard together, and the ruling on them. */
export interface AppealRound {
  /** The review round of the decision appealed against. */
  round: number;
  appeals: Appeal[];
  /**
   * Machine version 7: every ruling proposed to the body in this round, oldest first; the last is
   * pending unless it lapsed or took effect (empty on rounds before version 7, and under rules 5 the
   * proposal is the ruling).
   */
  proposals: AppealProposal[];
  ruling: (AppealRuling & { before: { outcome: ExemptionOutcome; accountability: AccountabilityReferral[] } }) | null;
}

export interface Objection extends Stamp {
  text: string;
  ruling: (Stamp & { upheld: boolean; note: string }) | null;
}

export interface ExemptionContext {
  /**
   * The machine version whose decision rules the review runs under. A review keeps the rules it
   * opened under: 3 = decided by the committee chair alone, only `exempt` bound by the negative list;
   * 4 = the negative list binds every outcome, `partial` names each person, dissent shields only the
   * collective decision, and (with a frozen panel rule) a panel decides.
   */
  rules: number;
  /** How the review began: a loss-making exit, or a write-off (核销, proceeds 0). */
  trigger: 'loss_exit' | 'write_off';
  criteriaVersion: string;
  criteria: string[];
  /**
   * The criteria and negative-list definitions (titles, evidence, verifier roles) in force when the
   * review opened, frozen so that editing the config files never changes a past review. Null on
   * reviews opened before machine version 3, which froze only the codes.
   */
  criteriaDefinitions: CriterionDefinition[] | null;
  negativeListVersion: string;
  negativeListItems: string[];
  negativeListDefinitions: NegativeListItem[] | null;
  /** The monitoring policy the procedural-compliance report measures against (null before version 3). */
  monitoringPolicy: MonitoringPolicy | null;
  /**
   * The loss tiers in force when the review opened (config/exemption/loss-tiers.yaml). Absent on
   * reviews opened before the tiers were policy: those used Order No. 46's built-in thresholds.
   */
  lossTiers?: LossTierPolicy;
  application: ExemptionApplication | null;
  findings: Record<string, CriterionFinding>;
  flags: NegativeListFlag[];
  decision: ExemptionDecision | null;
  objections: Objection[];
  /** Completed review rounds' decisions, kept when an upheld objection reopens verification. */
  previousDecisions: ExemptionDecision[];
  /** The findings of those rounds, in the same order. */
  previousFindings: Record<string, CriterionFinding>[];
  conclusion: NoticeConclusion | null;
  /** The decision panel (null: decided by one committee_chair, as before version 4's panel policy). */
  panel: PanelState | null;
  /**
   * Machine version 5 (reviews under `rules` ≥ 5): the due-process policy frozen when the review
   * (or its reopening) opened; null on reviews opened before.
   */
  dueProcess?: DueProcessPolicy | null;
  /** 三个区分开来: the current round's three structured findings. */
  distinctions?: DistinctionFindings;
  /** Earlier rounds' distinction findings, in the order of previousDecisions. */
  previousDistinctions?: DistinctionFindings[];
  /** 申辩: every hearing, oldest first (each names its round; the latest of the round is current). */
  hearings?: HearingRecord[];
  /** 合法性审查: every legality review, oldest first (each names its round). */
  legalityReviews?: LegalityReview[];
  /** 申诉/复核: every appeal round, oldest first. */
  appealRounds?: AppealRound[];
  /** 重新认定: every reopening by discipline inspection, oldest first. */
  reopenings?: Reopening[];
}

/** A team change asked for after the team froze (the committee vote opened): needs a department head's approval. */
export interface TeamChangeRequest extends Stamp {
  userId: string;
  reason: string;
}

export interface CaseContext {
  ownerId: string;
  team: string[];
  /** Everyone who has acted on the case as a reviewer, approver, voter or verifier. */
  reviewers: string[];
  /** Team additions asked for after the team froze, waiting for a department head (machine version 4). */
  teamRequests: TeamChangeRequest[];
  /** Whether the team is frozen: set when the committee vote first opens, never cleared (machine version 4). */
  teamFrozen: boolean;
  requestedAmountFen: number;
  screening: (Stamp & { approved: boolean }) | null;
  ddReports: Partial<Record<Workstream, DdReport>>;
  riskOpinion: RiskOpinion | null;
  round: number;
  votes: Vote[];
  committeeDecision: CommitteeDecision | null;
  signing: (Stamp & { signedAt: string }) | null;
  funding: (Stamp & { amountFen: number; fundedAt: string }) | null;
  monitoring: {
    reports: (Stamp & { period: string })[];
    riskGrade: RiskGrade;
    gradeChangedAt: string | null;
  };
  exit:
    | (Stamp & {
        channel: ExitChannel | null;
        proceedsFen: number | null;
        exitedAt: string | null;
        writeOff: boolean;
        /** Machine version 6: the proceeds as a department head confirmed them from the source document (four eyes). */
        confirmation?: ExitConfirmation | null;
      })
    | null;
  exemption: ExemptionContext | null;
}

/** The exit proceeds confirmed by a second person against the source document, before the owner completes the exit. */
export interface ExitConfirmation extends Stamp {
  proceedsFen: number;
  sourceDocument: string;
  note: string | null;
}

/** What the server adds to every event: who sent it and when. */
export interface EventMeta {
  actor: Actor;
  at: string;
}

/**
 * What a client sends with each event, besides `type` and `expectedVersion`: the one list of event
 * types. The HTTP DTOs implement these (the compiler checks each), the history records them as
 * `payload.input`.
 */
/**
 * Evidence files an event rests on, by id (POST /api/cases/:id/evidence). The server checks they are
 * files of the same case and records each one's SHA-256 in the event's entry (`payload.server.citedEvidence`).
 */
export type CitesEvidence = {
  evidenceIds?: string[];
};

export interface CaseEventInputs {
  SUBMIT: object;
  APPROVE: { reason?: string };
  RETURN: { reason: string; workstreams?: Workstream[] };
  REJECT: { reason: string };
  SUBMIT_DD_REPORT: { workstream: Workstream; conclusion: string; findings: string } & CitesEvidence;
  RISK_OPINION: { opinion: RiskOpinionKind; reason: string; conditions?: string } & CitesEvidence;
  CAST_VOTE: { vote: VoteKind; reason: string; reservation?: string };
  CLOSE_VOTING: { overrideReason?: string };
  RECORD_SIGNING: { signedAt: string };
  RECORD_FUNDING: { amountFen: number; fundedAt: string };
  SUBMIT_MONITORING_REPORT: { period: string; summary: string } & CitesEvidence;
  CLASSIFY_RISK: { grade: RiskGrade; reason: string };
  START_EXIT: { channel: ExitChannel };
  COMPLETE_EXIT: { proceedsFen: number; exitedAt: string } & CitesEvidence;
  CONFIRM_EXIT_AMOUNT: { proceedsFen: number; sourceDocument: string; note?: string } & CitesEvidence;
  WRITE_OFF: { reason: string } & CitesEvidence;
  ADD_TEAM_MEMBER: { userId: string; reason?: string };
  DECIDE_TEAM_CHANGE: { userId: string; approved: boolean; note: string };
  FILE_EXEMPTION: Omit<ExemptionApplication, 'by' | 'at'> & CitesEvidence;
  VERIFY_CRITERION: {
    criterion: string;
    finding: Finding;
    note: string;
    overrideReason?: string;
    negativeListFacts?: string[];
  } & CitesEvidence;
  FLAG_NEGATIVE_LIST: { item: string; note: string; persons: string[]; evidence: EvidenceRef[] } & CitesEvidence;
  WITHDRAW_FLAG: { flag: number; reason: string };
  RECUSE_FROM_PANEL: { reason: string };
  CAST_PANEL_VOTE: { outcome: ExemptionOutcome; reasons: string };
  DECIDE_EXEMPTION: { outcome: ExemptionOutcome; reasons: string; accountability?: AccountabilityReferral[] };
  RAISE_OBJECTION: { text: string };
  RULE_ON_OBJECTION: { objection: number; upheld: boolean; note: string };
  RECEIVE_REFERRAL: { note?: string };
  CONCLUDE_NOTICE: { note?: string };
  RECORD_DISTINCTION: { distinction: DistinctionCode; side: DistinctionSide; reasons: string; evidence: EvidenceRef[] } & CitesEvidence;
  PROPOSE_ACCOUNTABILITY: { outcome: ExemptionOutcome; accountability: AccountabilityReferral[]; reasons: string };
  SUBMIT_STATEMENT: { statement: string; evidence: EvidenceRef[] } & CitesEvidence;
  LEGALITY_REVIEW: { lawfulBasis: string; procedure: string; proportionality: string; conclusion: LegalityConclusion };
  FILE_APPEAL: { grounds: string; evidence: EvidenceRef[] } & CitesEvidence;
  RULE_ON_APPEAL: {
    result: AppealResult;
    reasons: string;
    members: string[];
    outcome?: ExemptionOutcome;
    accountability?: AccountabilityReferral[];
  };
  CONFIRM_APPEAL_RULING: { note?: string };
  REOPEN_REVIEW: { ground: ReopeningGround; reasons: string; evidence: EvidenceRef[] } & CitesEvidence;
}

export type CaseEventType = keyof CaseEventInputs;

/**
 * What the server adds to an event from policy (recorded as `payload.server`), for the event types
 * that need any; the machine decides with these fields, the client never sends them.
 */
export interface CaseEventServerFields {
  CLOSE_VOTING: { rule: CommitteeRule };
  COMPLETE_EXIT: ReviewPolicyRef;
  WRITE_OFF: ReviewPolicyRef;
  /** The automatic evidence of an `auto` criterion, computed from the history when it is verified. */
  VERIFY_CRITERION: { autoEvidence?: AutoEvidence };
  DECIDE_EXEMPTION: {
    noticePeriodDays: number;
    noticePolicyVersion?: string;
    /** The close of the period's last working day, and the calendar it counted on. */
    noticeEndsAt?: string;
    calendarVersion?: string;
    tolerance?: FundToleranceFigures;
  };
  /** The hearing period (working days, from the frozen due-process policy) and the close of its last day. */
  PROPOSE_ACCOUNTABILITY: { periodDays: number; endsAt: string; calendarVersion: string };
  /** For a decision that refers someone (machine version 5): the appeal period, from the conclusion. */
  CONCLUDE_NOTICE: { appealPeriodDays?: number; appealEndsAt?: string; calendarVersion?: string };
  /** The due-process policy in force now, frozen into the reopened review. */
  REOPEN_REVIEW: { dueProcess: DueProcessPolicy };
}

/** The server's fields of an event type (none for most). */
export type ServerFieldsOf<T extends CaseEventType> = T extends keyof CaseEventServerFields ? CaseEventServerFields[T] : object;

/**
 * Each event as the machine sees it: the client's fields, the server's, who and when. Written as a
 * mapped type over `K` so that generic code keeps type and fields together (a correlated union).
 */
export type EventOf<K extends CaseEventType> = { [P in K]: { type: P } & CaseEventInputs[P] & ServerFieldsOf<P> & EventMeta }[K];
export type CaseEvent = EventOf<CaseEventType>;
export type EventInput<K extends CaseEventType> = CaseEventInputs[K];

/** An event as a client sends it (validated): its type, the version it saw, its fields. */
export type EventRequest<K extends CaseEventType = CaseEventType> = {
  [P in K]: { type: P; expectedVersion: number; input: CaseEventInputs[P] };
}[K];

/** Builds the machine's event from its parts (the one place they are put together). */
export function caseEvent<K extends CaseEventType>(request: EventRequest<K>, server: ServerFieldsOf<K>, meta: EventMeta): EventOf<K> {
  // The compiler cannot see through the mapped type for a generic K; the parts are checked above.
  return { ...request.input, ...server, type: request.type, actor: meta.actor, at: meta.at } as EventOf<K>;
}

/** The criteria and negative list in force when a review opens; frozen into the review. */
export interface ReviewPolicyRef {
  review: {
    criteriaVersion: string;
    criteria: string[];
    negativeListVersion: string;
    negativeListItems: string[];
    /** Added by machine version 3; events recorded earlier carry the codes only. */
    criteriaDefinitions?: CriterionDefinition[];
    negativeListDefinitions?: NegativeListItem[];
    monitoring?: MonitoringPolicy;
    /** Added by machine version 4: the decision panel's rule for each loss tier (absent: one committee_chair decides). */
    decision?: { version: string; tiers: Record<string, DecisionPanelRule> };
    /** Added with the loss-tier policy; events recorded earlier carry none. */
    lossTiers?: LossTierPolicy;
    /** Added by machine version 5: hearing and appeal periods and parties (config/exemption/due-process.yaml). */
    dueProcess?: DueProcessPolicy;
  };
}

/** Every event type once, in the contract's order; the compiler checks that none is missing. */
export const CASE_EVENT_TYPES = [
  'SUBMIT',
  'APPROVE',
  'RETURN',
  'REJECT',
  'SUBMIT_DD_REPORT',
  'RISK_OPINION',
  'CAST_VOTE',
  'CLOSE_VOTING',
  'RECORD_SIGNING',
  'RECORD_FUNDING',
  'SUBMIT_MONITORING_REPORT',
  'CLASSIFY_RISK',
  'START_EXIT',
  'COMPLETE_EXIT',
  'CONFIRM_EXIT_AMOUNT',
  'WRITE_OFF',
  'ADD_TEAM_MEMBER',
  'DECIDE_TEAM_CHANGE',
  'FILE_EXEMPTION',
  'VERIFY_CRITERION',
  'FLAG_NEGATIVE_LIST',
  'WITHDRAW_FLAG',
  'RECUSE_FROM_PANEL',
  'CAST_PANEL_VOTE',
  'DECIDE_EXEMPTION',
  'RAISE_OBJECTION',
  'RULE_ON_OBJECTION',
  'RECEIVE_REFERRAL',
  'CONCLUDE_NOTICE',
  'RECORD_DISTINCTION',
  'PROPOSE_ACCOUNTABILITY',
  'SUBMIT_STATEMENT',
  'LEGALITY_REVIEW',
  'FILE_APPEAL',
  'RULE_ON_APPEAL',
  'CONFIRM_APPEAL_RULING',
  'REOPEN_REVIEW',
] as const satisfies readonly CaseEventType[];

/** A compile error here names an event type missing from CASE_EVENT_TYPES. */
type Unlisted = Exclude<CaseEventType, (typeof CASE_EVENT_TYPES)[number]>;
export const EVERY_EVENT_TYPE_LISTED: [Unlisted] extends [never] ? true : Unlisted = true;

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(CASE_EVENT_TYPES);
export const isCaseEventType = (type: unknown): type is CaseEventType => typeof type === 'string' && EVENT_TYPE_SET.has(type);

export interface CaseInput {
  ownerId: string;
  requestedAmountFen: number;
}
