import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppConfigService } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { AuditLogService } from './audit/audit-log.service';
import { AuthService } from './auth/auth.service';
import { CasesService } from './cases/cases.service';
import { FundsService } from './funds/funds.service';
import { TasksService } from './tasks/tasks.service';
import { UsersService } from './users/users.service';

const SERVICES = [AuditLogService, AuthService, UsersService, FundsService, CasesService, TasksService];

@Module({
  imports: [
    PersistenceModule,
    JwtModule.registerAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => ({
        secret: config.get('jwtSecret'),
        signOptions: { expiresIn: config.get('jwtTtlSeconds'), algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: SERVICES,
  exports: SERVICES,
})
export class DomainModule {}
