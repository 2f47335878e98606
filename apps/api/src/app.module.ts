import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import { AppConfigModule, findRepoRoot, type AppSettings } from '@app/config';
import { DomainModule, EscalationScheduler } from '@app/domain';
import { dataSourceOptions } from '@app/persistence';
import { AuditController } from './audit/audit.controller';
import { AuthController } from './auth/auth.controller';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { RolesGuard } from './auth/roles.guard';
import { CasesController } from './cases/cases.controller';
import { ExemptionController } from './cases/exemption.controller';
import { AllExceptionsFilter } from './errors/all-exceptions.filter';
import { FundsController } from './funds/funds.controller';
import { HealthController } from './health/health.controller';
import { TasksController } from './tasks/tasks.controller';
import { UsersController } from './users/users.controller';

/**
 * The review console (apps/console, built into dist/console) at `/` and every path outside `/api`:
 * files by name, anything else the single page's index.html. `/api/*` never falls through to it, so
 * an unknown API path is still the API's JSON 404. Hashed assets are cached for good, the page not.
 */
export function consoleStaticOptions() {
  return {
    rootPath: join(findRepoRoot(__dirname), 'dist', 'console'),
    exclude: ['/api/{*path}'],
    serveStaticOptions: {
      index: false,
      dotfiles: 'ignore',
      setHeaders: (res: { setHeader(name: string, value: string): void }, path: string) =>
        res.setHeader('Cache-Control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    },
  };
}

@Module({})
export class AppModule {
  static forRoot(settings: AppSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(settings),
        TypeOrmModule.forRoot(dataSourceOptions(settings.databaseUrl, settings.dbPoolSize)),
        DomainModule,
        ServeStaticModule.forRoot(consoleStaticOptions()),
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
      ],
      providers: [
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        EscalationScheduler,
      ],
    };
  }
}
