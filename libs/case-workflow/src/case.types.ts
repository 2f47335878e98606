import type { Actor } from './roles';
import type {
  CommitteeRule,
  CriterionDefinition,
  DecisionPanelRule,
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

/** How a `partial` decision reduces a person's responsibility: 从轻 (lighter, within the range) or 减轻 (reduced, below it). */
export const REDUCTIONS = ['lighter', 'reduced'] as const;
export type Reduction = (typeof REDUCTIONS)[number];

/** A document a person relies on: a title and where it is (document number, archive reference, URL). */
export interface EvidenceRef {
  title: string;
  ref: string;
}

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
  /** The fund's tolerance figures as they stood when the decision was taken; never recomputed. */
  tolerance: FundToleranceFigures | null;
  /** Machine version 4: the panel votes the decision adopted (absent on decisions taken by one person). */
  panelVotes?: PanelVote[];
  /** Machine version 4: referrals to discipline inspection (纪检监察) received, by whom and when. */
  referralReceipt?: (Stamp & { note: string | null }) | null;
}

/** Closing of the public notice (CONCLUDE_NOTICE): the outcome stands from then on. */
export interface NoticeConclusion extends Stamp {
  note: string | null;
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
  exit: (Stamp & { channel: ExitChannel | null; proceedsFen: number | null; exitedAt: string | null; writeOff: boolean }) | null;
  exemption: ExemptionContext | null;
}

/** What the server adds to every event: who sent it and when. */
export interface EventMeta {
  actor: Actor;
  at: string;
}

type E<T extends string, P = object> = { type: T } & P & EventMeta;

export type CaseEvent =
  | E<'SUBMIT'>
  | E<'APPROVE', { reason?: string }>
  | E<'RETURN', { reason: string; workstreams?: Workstream[] }>
  | E<'REJECT', { reason: string }>
  | E<'SUBMIT_DD_REPORT', { workstream: Workstream; conclusion: string; findings: string }>
  | E<'RISK_OPINION', { opinion: RiskOpinionKind; reason: string; conditions?: string }>
  | E<'CAST_VOTE', { vote: VoteKind; reason: string; reservation?: string }>
  | E<'CLOSE_VOTING', { overrideReason?: string; rule: CommitteeRule }>
  | E<'RECORD_SIGNING', { signedAt: string }>
  | E<'RECORD_FUNDING', { amountFen: number; fundedAt: string }>
  | E<'SUBMIT_MONITORING_REPORT', { period: string; summary: string }>
  | E<'CLASSIFY_RISK', { grade: RiskGrade; reason: string }>
  | E<'START_EXIT', { channel: ExitChannel }>
  | E<'COMPLETE_EXIT', { proceedsFen: number; exitedAt: string } & ReviewPolicyRef>
  | E<'WRITE_OFF', { reason: string } & ReviewPolicyRef>
  | E<'ADD_TEAM_MEMBER', { userId: string; reason?: string; memberRoles?: string[] }>
  | E<'DECIDE_TEAM_CHANGE', { userId: string; approved: boolean; note: string; memberRoles?: string[] }>
  | E<'FILE_EXEMPTION', Omit<ExemptionApplication, 'by' | 'at'>>
  | E<
      'VERIFY_CRITERION',
      {
        criterion: string;
        finding: Finding;
        note: string;
        overrideReason?: string;
        negativeListFacts?: string[];
        /** Added by the server from the procedural-compliance report for an `auto` criterion. */
        autoEvidence?: AutoEvidence;
      }
    >
  | E<'FLAG_NEGATIVE_LIST', { item: string; note: string; persons?: string[]; evidence?: EvidenceRef[] }>
  | E<'WITHDRAW_FLAG', { flag: number; reason: string }>
  | E<'RECUSE_FROM_PANEL', { reason: string }>
  | E<'CAST_PANEL_VOTE', { outcome: ExemptionOutcome; reasons: string }>
  | E<
      'DECIDE_EXEMPTION',
      {
        outcome: ExemptionOutcome;
        reasons: string;
        accountability?: AccountabilityReferral[];
        noticePeriodDays: number;
        noticePolicyVersion?: string;
        tolerance?: FundToleranceFigures;
      }
    >
  | E<'RAISE_OBJECTION', { text: string }>
  | E<'RULE_ON_OBJECTION', { objection: number; upheld: boolean; note: string }>
  | E<'RECEIVE_REFERRAL', { note?: string }>
  | E<'CONCLUDE_NOTICE', { note?: string }>;

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
  };
}

export type CaseEventType = CaseEvent['type'];
export type EventOf<T extends CaseEventType> = Extract<CaseEvent, { type: T }>;

export const CASE_EVENT_TYPES: readonly CaseEventType[] = [
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
];

export interface CaseInput {
  ownerId: string;
  requestedAmountFen: number;
}
