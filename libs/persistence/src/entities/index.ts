export * from './user.entity';
export * from './fund.entity';
export * from './case.entity';
export * from './audit-entry.entity';
export * from './chain-head.entity';
export * from './task.entity';
export * from './session.entity';
export * from './login-throttle.entity';
import { AuditEntryEntity } from './audit-entry.entity';
import { CaseEntity } from './case.entity';
import { ChainHeadEntity } from './chain-head.entity';
import { FundEntity } from './fund.entity';
import { TaskEntity } from './task.entity';
import { UserEntity } from './user.entity';
import { SessionEntity } from './session.entity';
import { LoginThrottleEntity } from './login-throttle.entity';

export const ENTITIES = [
  UserEntity,
  FundEntity,
  CaseEntity,
  AuditEntryEntity,
  ChainHeadEntity,
  TaskEntity,
  SessionEntity,
  LoginThrottleEntity,
];
