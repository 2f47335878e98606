import { Injectable } from '@nestjs/common';
import { restoreSnapshot, type Actor } from '@app/case-workflow';
import { AppConfigService } from '@app/config';
import { AuditRepository, CasesRepository, TransactionRunner, UsersRepository } from '@app/persistence';
import { DomainErrorCode, DomainException, notFound } from '../domain.exception';
import { CasesService } from './cases.service';
import { buildExemptionRecord, idsNamed, type ExemptionRecord } from './exemption-record';
import { Clock } from '../clock';

/** The due-diligence exemption record (尽职免责) of a case, read in one snapshot of the database. */
@Injectable()
export class ExemptionService {
  constructor(
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly cases: CasesRepository,
    private readonly audit: AuditRepository,
    private readonly users: UsersRepository,
    private readonly casesService: CasesService,
    private readonly config: AppConfigService,
  ) {}

  /** The record as the actor may read it (404 when they may not know of the case: need-to-know). */
  async record(actor: Actor, caseId: string): Promise<ExemptionRecord> {
    return this.build(caseId, actor);
  }

  /** The record for the server's own use (an issued document's facts; the issuer's rights are checked there). */
  async recordForDocument(caseId: string): Promise<ExemptionRecord> {
    return this.build(caseId, null);
  }

  private async build(caseId: string, actor: Actor | null): Promise<ExemptionRecord> {
    // Repeatable read: the case row, its history and the fund figures are read as of one moment.
    return this.tx.run(async (tx) => {
      const record = actor ? (await this.casesService.readable(tx, actor, caseId)).record : await this.cases.findById(tx, caseId);
      if (!record) throw notFound('case');
      const ctx = restoreSnapshot(record.snapshot, record.machineVersion).context;
      if (!ctx.exemption) {
        throw new DomainException(
          DomainErrorCode.NotFound,
          `Case ${caseId} has no exemption review: one opens only when an exit realises a loss or the investment is written off (the case is in ${record.state}).`,
          { state: record.state },
        );
      }
      const history = await this.audit.listByCase(tx, caseId);
      const live = ctx.exemption.decision ? null : await this.casesService.fundTolerance(tx, record.fundId);
      const built = buildExemptionRecord({
        caseId,
        fundId: record.fundId,
        companyName: record.companyName,
        state: record.state,
        version: record.version,
        ctx,
        history,
        currentMonitoring: this.config.policies.monitoring,
        liveTolerance: live,
        now: this.clock.nowIso(),
      });
      const people = Object.fromEntries(
        (await this.users.findByIds(tx, idsNamed(built))).map((u) => [u.id, { username: u.username, displayName: u.displayName }]),
      );
      return { ...built, people };
    }, 'REPEATABLE READ');
  }
}
