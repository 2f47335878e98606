import { Global, Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository';
import { CasesRepository } from './cases.repository';
import { EvidenceRepository } from './evidence.repository';
import { FundsRepository } from './funds.repository';
import { TasksRepository } from './tasks.repository';
import { TransactionRunner } from './transaction';
import { UsersRepository } from './users.repository';

const REPOSITORIES = [
  TransactionRunner,
  UsersRepository,
  FundsRepository,
  CasesRepository,
  TasksRepository,
  AuditRepository,
  EvidenceRepository,
];

@Global()
@Module({
  providers: REPOSITORIES,
  exports: REPOSITORIES,
})
export class PersistenceModule {}
