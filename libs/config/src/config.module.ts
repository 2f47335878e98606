import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfigService } from './app-config.service';
import type { AppSettings } from './settings';

@Global()
@Module({})
export class AppConfigModule {
  static forRoot(settings: AppSettings): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => settings], cache: true })],
      providers: [AppConfigService],
      exports: [AppConfigService],
    };
  }
}
