import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppSettings } from './settings';
import type { Policies } from './policies';

/** Typed access to the resolved settings (held by @nestjs/config's ConfigService). */
@Injectable()
export class AppConfigService {
  constructor(private readonly config: ConfigService<AppSettings, true>) {}

  get<K extends keyof AppSettings>(key: K): AppSettings[K] {
    return this.config.get(key, { infer: true });
  }

  get policies(): Policies {
    return this.get('policies');
  }
}
