import { Global, Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';
import { CaseLoader } from './case.loader';
import { RecentCaseMemory } from './case-chain';
import { CasesRepository } from './cases.repository';
import { HistoryRecorder } from './history.recorder';
import { FundsRepository } from './funds.repository';
import { TasksRepository } from './tasks.repository';
import { TransactionRunner } from './transaction';
import { UsersRepository } from './users.repository';
import { SessionsRepository } from './sessions.repository';
import { ChangeFeed } from './change-feed';
import { LoginThrottleRepository } from './login-throttle.repository';

const REPOSITORIES = [
  TransactionRunner,
  UsersRepository,
  FundsRepository,
  CasesRepository,
  TasksRepository,
  AuditRepository,
  RecentCaseMemory,
  CaseLoader,
  HistoryRecorder,
  SessionsRepository,
  ChangeFeed,
  LoginThrottleRepository,
];

@Global()
@Module({
  providers: REPOSITORIES,
  exports: REPOSITORIES,
})
export class PersistenceModule {}
