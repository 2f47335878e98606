import { Global, Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';
import { CasesRepository } from './cases.repository';
import { FundsRepository } from './funds.repository';
import { TasksRepository } from './tasks.repository';
import { TransactionRunner } from './transaction';
import { UsersRepository } from './users.repository';
import { SessionsRepository } from './sessions.repository';
import { ChangeFeed } from './change-feed';

const REPOSITORIES = [
  TransactionRunner,
  UsersRepository,
  FundsRepository,
  CasesRepository,
  TasksRepository,
  AuditRepository,
  SessionsRepository,
  ChangeFeed,
];

@Global()
@Module({
  providers: REPOSITORIES,
  exports: REPOSITORIES,
})
export class PersistenceModule {}
