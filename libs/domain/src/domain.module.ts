import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppConfigService } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { AuditTrailService } from './audit/audit-trail.service';
import { Clock } from './clock';
import { AuthService } from './auth/auth.service';
import { SessionCache } from './auth/session-cache';
import { LoginThrottleService } from './auth/login-throttle.service';
import { CasesService } from './cases/cases.service';
import { ExemptionService } from './cases/exemption.service';
import { EvidenceService } from './evidence/evidence.service';
import { DocumentsService } from './documents/documents.service';
import { FundEvaluationService } from './funds/fund-evaluation.service';
import { FundsService } from './funds/funds.service';
import { EscalationService } from './tasks/escalation.service';
import { TasksService } from './tasks/tasks.service';
import { UsersService } from './users/users.service';
import { IdempotencyService } from './idempotency/idempotency.service';
import { CheckpointService } from './audit/checkpoint.service';

const SERVICES = [
  AuditTrailService,
  CheckpointService,
  AuthService,
  SessionCache,
  LoginThrottleService,
  UsersService,
  FundsService,
  FundEvaluationService,
  CasesService,
  ExemptionService,
  TasksService,
  EscalationService,
  EvidenceService,
  DocumentsService,
  IdempotencyService,
];

@Module({
  imports: [
    PersistenceModule,
    JwtModule.registerAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => ({
        // A KeyObject, made once: given a string, jsonwebtoken builds a key object on every call.
        secret: createSecretKey(Buffer.from(config.get('jwtSecret'), 'utf8')),
        signOptions: { expiresIn: config.get('jwtTtlSeconds'), algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: [
    ...SERVICES,
    { provide: Clock, inject: [AppConfigService], useFactory: (config: AppConfigService) => new Clock(config.get('clockOffsetMs') ?? 0) },
  ],
  exports: [...SERVICES, Clock],
})
export class DomainModule {}
