import { Injectable } from '@nestjs/common';
import {
  closeOfCstDay,
  DAY_MS,
  evaluateFund,
  restoreSnapshot,
  statePath,
  type EvaluatedCase,
  type FundEvaluation,
  type FundType,
  replayHistory,
} from '@app/case-workflow';
import { AppConfigService } from '@app/config';
import { AuditRepository, CasesRepository, FundsRepository, TransactionRunner, type CaseRecord, type Tx } from '@app/persistence';
import { DomainErrorCode, DomainException, notFound } from '../domain.exception';
import { Clock } from '../clock';

export interface FundEvaluationView extends FundEvaluation {
  fundId: string;
  name: string;
  type: string;
  sizeFen: number;
  vintageYear: number;
  termYears: number;
  /** The moment evaluated: the request's asOf, or now. */
  asOf: string;
  basis: 'live' | 'history';
}

const PAGE = 500;

function parseAsOf(text: string): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const t = Date.parse(dateOnly ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(t) || (dateOnly && new Date(t).toISOString().slice(0, 10) !== text)) {
    throw new DomainException(DomainErrorCode.InvalidInput, `asOf ${text} is not a real date or moment.`);
  }
  return dateOnly ? closeOfCstDay(t / DAY_MS) : new Date(t);
}

/** The fund's whole-life evaluation (全生命周期绩效评价), live or as of a past moment. */
@Injectable()
export class FundEvaluationService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly funds: FundsRepository,
    private readonly cases: CasesRepository,
    private readonly audit: AuditRepository,
    private readonly config: AppConfigService,
    private readonly clock: Clock,
  ) {}

  /** `asOfText`: an ISO timestamp, or a date meaning the close of that day (China Standard Time). */
  async evaluate(fundId: string, asOfText?: string): Promise<FundEvaluationView> {
    const now = this.clock.now();
    const asOf = asOfText === undefined ? undefined : parseAsOf(asOfText);
    if (asOf && asOf.getTime() > now.getTime()) {
      throw new DomainException(
        DomainErrorCode.InvalidInput,
        `asOf ${asOf.toISOString()} lies in the future; evaluate as of now or a past moment.`,
      );
    }
    // Repeatable read: every case and history entry as of one moment.
    return this.tx.run(async (tx) => {
      const fund = await this.funds.findById(tx, fundId);
      if (!fund) throw notFound('fund');
      const records = await this.allCases(tx, fundId);
      const cases: EvaluatedCase[] = [];
      for (const r of records) {
        if (!asOf) {
          cases.push({ id: r.id, companyName: r.companyName, state: r.state, ctx: restoreSnapshot(r.snapshot, r.machineVersion).context });
          continue;
        }
        if (Date.parse(r.createdAt) > asOf.getTime()) continue;
        const snapshot = replayHistory(await this.audit.listByCase(tx, r.id, asOf))?.snapshot;
        if (!snapshot) continue;
        cases.push({ id: r.id, companyName: r.companyName, state: statePath(snapshot.value), ctx: snapshot.context });
      }
      const evaluation = evaluateFund(fund.type as FundType, this.config.policies.tolerance, cases);
      return {
        fundId: fund.id,
        name: fund.name,
        type: fund.type,
        sizeFen: fund.sizeFen,
        vintageYear: fund.vintageYear,
        termYears: fund.termYears,
        asOf: (asOf ?? now).toISOString(),
        basis: asOf ? 'history' : 'live',
        ...evaluation,
      };
    }, 'REPEATABLE READ');
  }

  /** Every case of the fund, oldest first. */
  private async allCases(tx: Tx, fundId: string): Promise<CaseRecord[]> {
    const all: CaseRecord[] = [];
    let before: { createdAt: string; id: string } | undefined;
    for (;;) {
      const page = await this.cases.list(tx, { readableBy: { all: true }, fundId, limit: PAGE, before });
      all.push(...page);
      if (page.length < PAGE) break;
      const last = page[page.length - 1];
      before = { createdAt: last.createdAt, id: last.id };
    }
    return all.reverse();
  }
}
