import { Injectable } from '@nestjs/common';
import { computeTolerance, type FundToleranceFigures, type FundType } from '@app/case-workflow';
import { AppConfigService } from '@app/config';
import {
  CasesRepository,
  classifyDatabaseError,
  FundsRepository,
  HistoryRecorder,
  TransactionRunner,
  type FundRecord,
  type Tx,
} from '@app/persistence';
import type { AuthUser } from '../auth/auth.service';
import { DomainErrorCode, DomainException, notFound } from '../domain.exception';
import { Clock } from '../clock';

export interface FundView extends FundRecord {
  tolerance: FundToleranceFigures;
}

export interface NewFund {
  name: string;
  type: FundType;
  sizeFen: number;
  vintageYear: number;
  termYears: number;
}

@Injectable()
export class FundsService {
  constructor(
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly funds: FundsRepository,
    private readonly cases: CasesRepository,
    private readonly recorder: HistoryRecorder,
    private readonly config: AppConfigService,
  ) {}

  async create(admin: AuthUser | null, input: NewFund): Promise<FundView> {
    return this.tx.run(async (tx) => {
      const fund = await this.funds.create(tx, input).catch((err: unknown) => {
        if (classifyDatabaseError(err) === 'duplicate') {
          throw new DomainException(DomainErrorCode.Conflict, `A fund named ${input.name} already exists; choose another name.`);
        }
        throw err;
      });
      await this.recorder.append(tx, {
        kind: 'system',
        actor: { id: admin?.id ?? null, roles: admin?.roles ?? [] },
        at: this.clock.nowIso(),
        type: 'FUND_CREATED',
        payload: { fundId: fund.id, ...input },
      });
      return this.view(tx, fund);
    });
  }

  async get(id: string): Promise<FundView> {
    return this.tx.none(async (tx) => {
      const fund = await this.funds.findById(tx, id);
      if (!fund) throw notFound('fund');
      return this.view(tx, fund);
    });
  }

  async list(): Promise<FundView[]> {
    return this.tx.none(async (tx) => Promise.all((await this.funds.list(tx)).map((f) => this.view(tx, f))));
  }

  /** The fund's live tolerance figures, over its whole life so far. */
  async tolerance(tx: Tx, fund: FundRecord): Promise<FundToleranceFigures> {
    return computeTolerance(fund.type as FundType, this.config.policies.tolerance, await this.cases.fundFigures(tx, fund.id));
  }

  private async view(tx: Tx, fund: FundRecord): Promise<FundView> {
    return { ...fund, tolerance: await this.tolerance(tx, fund) };
  }
}
