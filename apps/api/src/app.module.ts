import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfigModule, type AppSettings } from '@app/config';
import { DomainModule, EscalationScheduler } from '@app/domain';
import { dataSourceOptions } from '@app/persistence';
import { AuditController } from './audit/audit.controller';
import { AuthController } from './auth/auth.controller';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { RolesGuard } from './auth/roles.guard';
import { CasesController } from './cases/cases.controller';
import { ExemptionController } from './cases/exemption.controller';
import { AllExceptionsFilter } from './errors/all-exceptions.filter';
import { DocumentsController } from './documents/documents.controller';
import { EvidenceController } from './evidence/evidence.controller';
import { FundsController } from './funds/funds.controller';
import { HealthController } from './health/health.controller';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { PoliciesController } from './policies/policies.controller';
import { TasksController } from './tasks/tasks.controller';
import { UsersController } from './users/users.controller';

@Module({})
export class AppModule {
  static forRoot(settings: AppSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(settings),
        TypeOrmModule.forRoot(dataSourceOptions(settings.databaseUrl, settings.dbPoolSize, settings.dbTimeouts)),
        DomainModule,
      ],
      controllers: [
        HealthController,
        AuthController,
        UsersController,
        FundsController,
        CasesController,
        ExemptionController,
        TasksController,
        AuditController,
        EvidenceController,
        DocumentsController,
        PoliciesController,
      ],
      providers: [
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        EscalationScheduler,
      ],
    };
  }
}
