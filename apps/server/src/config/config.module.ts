import { Global, Module } from '@nestjs/common';
import type { HarrierConfig } from './config.schema.js';

export const CONFIG = Symbol('HarrierConfig');

/** Makes the config parsed in main.ts injectable everywhere as `@Inject(CONFIG)`. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: HarrierConfig) {
    return {
      module: ConfigModule,
      providers: [{ provide: CONFIG, useValue: config }],
      exports: [CONFIG],
    };
  }
}
