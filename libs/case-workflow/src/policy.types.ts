/** Business policy read from the versioned files under config/. Every record notes the version it used. */

export const FUND_TYPES = ['seed', 'angel', 'venture', 'industry', 'buyout'] as const;
export type FundType = (typeof FUND_TYPES)[number];

export interface CommitteeRule {
  version: string;
  /** Votes (approve, reject or abstain) that must be cast before the chair may close voting. */
  quorum: number;
  /** Approval needs approve votes ≥ numerator/denominator of the votes counted. */
  approvalNumerator: number;
  approvalDenominator: number;
  /** Whether abstentions count in the denominator of the approval ratio. */
  abstentionsCountAsCast: boolean;
  /** After a risk `fail` opinion, approval needs the chair's stated override reason. */
  riskFailRequiresOverride: boolean;
}

export interface MonitoringPolicy {
  version: string;
  /** Maximum days between monitoring reports (default quarterly). */
  reportCadenceDays: number;
  /** Days the team has to file a report after a risk downgrade. */
  downgradeReactionDays: number;
}

export interface CriterionDefinition {
  code: string;
  titleZh: string;
  titleEn: string;
  /** `auto`: the system evidences it from the case history; `manual`: a person judges it. */
  evidence: 'auto' | 'manual';
  /** Roles that may record a finding for this criterion. */
  verifierRoles: string[];
}

export interface CriteriaPolicy {
  version: string;
  criteria: CriterionDefinition[];
}

export interface NegativeListItem {
  code: string;
  titleZh: string;
  titleEn: string;
  source: 'rule' | 'practice';
}

export interface NegativeListPolicy {
  version: string;
  items: NegativeListItem[];
}

/** Who decides an exemption for one loss tier (免责认定小组 / 党委会), how many must vote and the majority needed. */
export interface DecisionPanelRule {
  /** The policy file's version, recorded with the decision. */
  version: string;
  /** The loss tier the rule applies to (general / major / grave). */
  tier: string;
  /** The body, as the firm names it (e.g. 免责认定小组, 党委会). */
  body: string;
  /** Holders of these roles sit on the panel, unless recused. */
  roles: string[];
  /** Votes that must be cast (by members not recused) before an outcome can be adopted. */
  quorum: number;
  /** An outcome carries with at least numerator/denominator of the votes cast (strictly more when `strict`). */
  majorityNumerator: number;
  majorityDenominator: number;
  strict: boolean;
}

export interface DecisionPanelPolicy {
  version: string;
  tiers: Record<string, Omit<DecisionPanelRule, 'version' | 'tier'>>;
}

/**
 * Due process around the exemption decision (config/exemption/due-process.yaml): the hearing (申辩)
 * and appeal (申诉/复核) periods in working days, and who may act in them.
 */
export interface DueProcessPolicy {
  version: string;
  hearing: { periodDays: number };
  appeal: {
    periodDays: number;
    /** The appeal body as the firm names it (复核小组). */
    body: string;
    /** Holders of these roles may sit on the appeal body, if they did not sit on the first decision. */
    roles: string[];
    /** How many members the body needs. */
    minMembers: number;
  };
}

export interface NoticePolicy {
  version: string;
  /** Working days (工作日) on the working-day calendar, counted from the next working day. */
  periodDays: number;
}

export interface TolerancePolicy {
  version: string;
  /** Portfolio loss-tolerance rate over the fund's life, as a fraction (0.7 = 70%). */
  limitRate: Record<FundType, number>;
  /** Per-project loss ceiling, as a fraction of the amount invested in the project; null where no policy sets one. */
  perProjectCeiling: Record<FundType, number | null>;
}

export interface SlaRule {
  /** Due time in working hours (09:00–18:00 China Standard Time on the calendar's working days) or calendar days. */
  workingHours?: number;
  calendarDays?: number;
}

export interface SlaPolicy {
  version: string;
  queues: Record<string, SlaRule>;
  escalateTo: string;
}

/** A fund's life-to-date loss tolerance (容亏率) figures, live or frozen into an exemption decision. */
export interface FundToleranceFigures {
  policyVersion: string;
  /** The fund type's loss-tolerance rate over its life, as a fraction. */
  limitRate: number;
  /** The per-project loss ceiling, as a fraction of the amount invested in a project; null when none is set. */
  perProjectCeiling: number | null;
  investedFen: number;
  realizedLossFen: number;
  /** realizedLossFen ÷ investedFen over the fund's whole life (0 before anything is invested), 6 decimals. */
  lossRate: number;
  withinTolerance: boolean;
}
