export * from './user.entity';
export * from './fund.entity';
export * from './case.entity';
export * from './audit-entry.entity';
export * from './chain-head.entity';
export * from './task.entity';
export * from './evidence-file.entity';
export * from './file-chunk.entity';
export * from './issued-document.entity';
export * from './document-number.entity';
export * from './login-throttle.entity';
export * from './session.entity';
export * from './idempotency-key.entity';
export * from './anchored-head.entity';
import { AuditEntryEntity } from './audit-entry.entity';
import { CaseEntity } from './case.entity';
import { EvidenceFileEntity } from './evidence-file.entity';
import { FileChunkEntity } from './file-chunk.entity';
import { IssuedDocumentEntity } from './issued-document.entity';
import { DocumentNumberEntity } from './document-number.entity';
import { LoginThrottleEntity } from './login-throttle.entity';
import { ChainHeadEntity } from './chain-head.entity';
import { FundEntity } from './fund.entity';
import { TaskEntity } from './task.entity';
import { UserEntity } from './user.entity';
import { SessionEntity } from './session.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { AnchoredHeadEntity } from './anchored-head.entity';

export const ENTITIES = [
  UserEntity,
  FundEntity,
  CaseEntity,
  AuditEntryEntity,
  ChainHeadEntity,
  TaskEntity,
  SessionEntity,
  EvidenceFileEntity,
  FileChunkEntity,
  IssuedDocumentEntity,
  DocumentNumberEntity,
  LoginThrottleEntity,
  IdempotencyKeyEntity,
  AnchoredHeadEntity,
];
