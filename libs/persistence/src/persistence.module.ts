import { Global, Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';
import { CaseLoader } from './case.loader';
import { RecentCaseMemory } from './case-chain';
import { CasesRepository } from './cases.repository';
import { EvidenceRepository } from './evidence.repository';
import { DocumentsRepository } from './documents.repository';
import { HistoryRecorder } from './history.recorder';
import { FundsRepository } from './funds.repository';
import { TasksRepository } from './tasks.repository';
import { TransactionRunner } from './transaction';
import { UsersRepository } from './users.repository';
import { SessionsRepository } from './sessions.repository';
import { ChangeFeed } from './change-feed';
import { LoginThrottleRepository } from './login-throttle.repository';
import { IdempotencyRepository } from './idempotency.repository';
import { AnchorsRepository } from './anchors';
import { DatabaseHealth } from './database-health';

const REPOSITORIES = [
  TransactionRunner,
  UsersRepository,
  FundsRepository,
  CasesRepository,
  TasksRepository,
  AuditRepository,
  EvidenceRepository,
  DocumentsRepository,
  RecentCaseMemory,
  CaseLoader,
  HistoryRecorder,
  SessionsRepository,
  ChangeFeed,
  LoginThrottleRepository,
  IdempotencyRepository,
  AnchorsRepository,
  DatabaseHealth,
];

@Global()
@Module({
  providers: REPOSITORIES,
  exports: REPOSITORIES,
})
export class PersistenceModule {}
