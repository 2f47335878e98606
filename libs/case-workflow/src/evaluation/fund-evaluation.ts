import type { CaseContext, ExemptionOutcome } from '../case.types';
import { lossTier, ORDER_46_LOSS_TIERS } from '../exemption/loss-tier';
import type { FundToleranceFigures, FundType, TolerancePolicy } from '../policy.types';
import { sumFen, type MoneyTotal } from '../money';
import { withinLimit } from './tolerance';

/** Where a project stands in the fund's life (as of the evaluation date). */
export const PROJECT_STATUSES = ['pipeline', 'rejected', 'invested', 'exiting', 'exited', 'loss_realised'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export interface EvaluatedCase {
  id: string;
  companyName: string;
  /** The state path as of the evaluation date. */
  state: string;
  ctx: CaseContext;
}

export interface ProjectEvaluation {
  caseId: string;
  companyName: string;
  state: string;
  status: ProjectStatus;
  investedFen: number | null;
  proceedsFen: number | null;
  realisedGainFen: number;
  realisedLossFen: number;
  exitChannel: string | null;
  writeOff: boolean;
  exitedAt: string | null;
  exemption: {
    /** `pending` while the review runs without a concluded outcome; `concluded` once the notice closed. */
    status: 'pending' | 'decided' | 'concluded';
    outcome: ExemptionOutcome | null;
    decidedAt: string | null;
    lossTier: string;
  } | null;
}

export interface FundEvaluation {
  policyVersion: string;
  limitRate: number;
  investedFen: number;
  /** Sum of the losses of every exited or written-off project (gross: gains not set off). */
  realisedLossFen: number;
  /** Sum of the gains of every project exited above its cost. */
  realisedGainFen: number;
  /** max(0, losses − gains). */
  netLossFen: number;
  /** realisedLossFen ÷ investedFen and netLossFen ÷ investedFen, 6 decimals (0 before anything is invested). */
  lossRateGross: number;
  lossRateNet: number;
  withinToleranceGross: boolean;
  withinToleranceNet: boolean;
  /** The tolerance test the fund is held to (gross, as GET /api/funds and every exemption decision use it). */
  withinTolerance: boolean;
  projects: ProjectEvaluation[];
  exemptions: {
    /** Outcomes of the reviews decided so far (the latest round of each), concluded or under notice. */
    outcomes: Record<ExemptionOutcome, number>;
    /** Reviews open without a decision, and reviews decided but still under public notice. */
    pendingReviews: number;
    underNotice: number;
    concluded: number;
  };
  /** Loss-making projects, and whether the fund's whole-life position presumes tolerance for them. */
  presumption: { lossMakingProjects: number; applies: boolean; statement: string; statementZh: string };
}

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1e6) / 1e6 : 0);

const PRE_INVESTMENT = new Set(['draft', 'screening', 'dueDiligence', 'riskReview', 'committee', 'execution']);

function projectOf(c: EvaluatedCase): ProjectEvaluation {
  const { ctx } = c;
  const invested = ctx.funding?.amountFen ?? null;
  const proceeds = ctx.exit?.proceedsFen ?? null;
  const realised = invested !== null && proceeds !== null;
  const gain = realised ? Math.max(0, proceeds - invested) : 0;
  const loss = realised ? Math.max(0, invested - proceeds) : 0;
  const top = c.state.split('.')[0];
  const status: ProjectStatus =
    top === 'rejected'
      ? 'rejected'
      : PRE_INVESTMENT.has(top) || invested === null
        ? 'pipeline'
        : realised
          ? loss > 0
            ? 'loss_realised'
            : 'exited'
          : top === 'exiting'
            ? 'exiting'
            : 'invested';
  const ex = ctx.exemption;
  const decision = ex?.decision ?? null;
  return {
    caseId: c.id,
    companyName: c.companyName,
    state: c.state,
    status,
    investedFen: invested,
    proceedsFen: proceeds,
    realisedGainFen: gain,
    realisedLossFen: loss,
    exitChannel: ctx.exit?.channel ?? null,
    writeOff: ctx.exit?.writeOff ?? false,
    exitedAt: ctx.exit?.exitedAt ?? null,
    exemption: ex
      ? {
          status: ex.conclusion || (decision && c.state === 'closed') ? 'concluded' : decision ? 'decided' : 'pending',
          outcome: decision?.outcome ?? null,
          decidedAt: decision?.at ?? null,
          lossTier: lossTier(loss, ex.lossTiers ?? ORDER_46_LOSS_TIERS).code,
        }
      : null,
  };
}

/**
 * The fund's whole-life evaluation (全生命周期绩效评价): capital invested, realised losses and gains,
 * gross and net loss rates against the fund type's tolerance, each project's status and its
 * exemption review. Pure: the cases are given as they stood at the evaluation date.
 */
export function evaluateFund(type: FundType, policy: TolerancePolicy, cases: EvaluatedCase[]): FundEvaluation {
  const projects = cases.map(projectOf);
  // Exact (BigInt), and refused rather than rounded past 2^53 fen.
  const sum = (what: MoneyTotal, f: (p: ProjectEvaluation) => number) => sumFen(what, projects.map(f));
  const investedFen = sum({ en: "The fund's capital invested", zh: '基金累计投资' }, (p) => p.investedFen ?? 0);
  const realisedLossFen = sum({ en: "The fund's realised losses", zh: '基金已实现损失' }, (p) => p.realisedLossFen);
  const realisedGainFen = sum({ en: "The fund's realised gains", zh: '基金已实现收益' }, (p) => p.realisedGainFen);
  const netLossFen = Math.max(0, realisedLossFen - realisedGainFen);
  const limitRate = policy.limitRate[type];
  const withinToleranceGross = withinLimit(realisedLossFen, investedFen, limitRate);
  const withinToleranceNet = withinLimit(netLossFen, investedFen, limitRate);
  const outcomes: Record<ExemptionOutcome, number> = { exempt: 0, partial: 0, not_exempt: 0 };
  let pendingReviews = 0;
  let underNotice = 0;
  let concluded = 0;
  for (const p of projects) {
    if (!p.exemption) continue;
    if (p.exemption.outcome) outcomes[p.exemption.outcome]++;
    if (p.exemption.status === 'pending') pendingReviews++;
    else if (p.exemption.status === 'decided') underNotice++;
    else concluded++;
  }
  const lossMaking = projects.filter((p) => p.realisedLossFen > 0).length;
  const pct = (r: number) => `${(r * 100).toFixed(2)}%`;
  const position = `realised losses ${pct(rate(realisedLossFen, investedFen))} of capital invested against a tolerance of ${pct(limitRate)}`;
  const presumption =
    lossMaking === 0
      ? { lossMakingProjects: 0, applies: false, statement: 'No project has realised a loss.', statementZh: '基金尚无已实现亏损的项目。' }
      : withinToleranceGross
        ? {
            lossMakingProjects: lossMaking,
            applies: true,
            statement: `The fund is within its loss tolerance over its whole life (${position}): the losses of its ${lossMaking} loss-making project(s) are presumed tolerated (容亏免责推定) unless a review finds otherwise.`,
            statementZh: `基金全生命周期整体亏损率在容亏率以内（${pct(rate(realisedLossFen, investedFen))}，容亏率${pct(limitRate)}），其${lossMaking}个亏损项目推定属于可容忍的正常投资风险，除非审查另有认定。`,
          }
        : {
            lossMakingProjects: lossMaking,
            applies: false,
            statement: `The fund is over its loss tolerance over its whole life (${position}): no presumption of tolerance applies; each review stands on its own findings.`,
            statementZh: `基金全生命周期整体亏损率超过容亏率（${pct(rate(realisedLossFen, investedFen))}，容亏率${pct(limitRate)}），不适用容亏推定，逐项审查认定。`,
          };
  return {
    policyVersion: policy.version,
    limitRate,
    investedFen,
    realisedLossFen,
    realisedGainFen,
    netLossFen,
    lossRateGross: rate(realisedLossFen, investedFen),
    lossRateNet: rate(netLossFen, investedFen),
    withinToleranceGross,
    withinToleranceNet,
    withinTolerance: withinToleranceGross,
    projects,
    exemptions: { outcomes, pendingReviews, underNotice, concluded },
    presumption,
  };
}

export interface TolerancePresumption {
  /** The fund is within its loss tolerance over its whole life: the loss is presumed tolerated. */
  applies: boolean;
  statement: string;
  statementZh: string;
}

/**
 * What a loss-making project's review must say about its fund's whole-life position: several
 * provincial rules presume tolerance for a loss while the fund as a whole stays within its limit.
 */
export function tolerancePresumption(t: FundToleranceFigures): TolerancePresumption {
  const pct = (r: number) => `${(r * 100).toFixed(2)}%`;
  return t.withinTolerance
    ? {
        applies: true,
        statement: `PRESUMPTION OF TOLERANCE: the fund is within its loss tolerance over its whole life (realised losses ${pct(t.lossRate)} of capital invested, tolerance ${pct(t.limitRate)}, ${t.policyVersion}); this loss is presumed a tolerated investment risk (容亏免责推定) unless the review finds otherwise.`,
        statementZh: `容亏推定：基金全生命周期整体亏损率${pct(t.lossRate)}，在容亏率${pct(t.limitRate)}以内（${t.policyVersion}），本项目亏损推定属于可容忍的正常投资风险，除非审查另有认定。`,
      }
    : {
        applies: false,
        statement: `The fund is over its loss tolerance over its whole life (realised losses ${pct(t.lossRate)} of capital invested, tolerance ${pct(t.limitRate)}, ${t.policyVersion}): no presumption of tolerance applies.`,
        statementZh: `基金全生命周期整体亏损率${pct(t.lossRate)}，超过容亏率${pct(t.limitRate)}（${t.policyVersion}），不适用容亏推定。`,
      };
}
