import { Logger, Module, type BeforeApplicationShutdown, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AlertsModule } from './alerts/alerts.module.js';
import { AuthModule } from './auth/auth.module.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import { ConfigModule } from './config/config.module.js';
import type { HarrierConfig } from './config/config.schema.js';
import { DemoModule } from './demo/demo.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OutputsModule } from './outputs/outputs.module.js';
import { RealtimeModule } from './realtime/realtime.module.js';
import { RulesModule } from './rules/rules.module.js';
import { StorageModule } from './storage/storage.module.js';

@Module({})
export class AppModule implements BeforeApplicationShutdown {
  /** Runs before the HTTP server closes; in-flight requests still finish after it. */
  beforeApplicationShutdown(signal?: string): void {
    new Logger('Harrier').log(`${signal ?? 'Shutdown'} received: finishing in-flight requests, then closing the store`);
  }

  static forRoot(config: HarrierConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        EventEmitterModule.forRoot(),
        StorageModule,
        AuthModule,
        AlertsModule,
        HealthModule,
        RealtimeModule,
        DemoModule,
        OutputsModule,
        RulesModule,
        MetricsModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}
