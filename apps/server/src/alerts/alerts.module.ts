import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG } from '../config/config.module.js';
import type { HarrierConfig } from '../config/config.schema.js';
import { createRedisConnection } from '../redis/redis-connection.js';
import { ALERT_STORE, type AlertStore } from './alert.store.js';
import { AlertsController } from './alerts.controller.js';
import { AlertsService } from './alerts.service.js';
import { IngestController } from './ingest.controller.js';
import { MemoryAlertStore } from './memory-alert.store.js';
import { RedisAlertStore } from './redis-alert.store.js';

export function createAlertStore(config: HarrierConfig['store']): AlertStore {
  switch (config.kind) {
    case 'redis':
      return new RedisAlertStore(createRedisConnection(config.url), config.keyPrefix);
    case 'memory':
      return new MemoryAlertStore(config.maxAlerts);
  }
}

@Module({
  controllers: [IngestController, AlertsController],
  providers: [
    AlertsService,
    {
      provide: ALERT_STORE,
      inject: [CONFIG],
      useFactory: (config: HarrierConfig) => createAlertStore(config.store),
    },
  ],
  exports: [AlertsService, ALERT_STORE],
})
export class AlertsModule implements OnApplicationShutdown {
  constructor(@Inject(ALERT_STORE) private readonly store: AlertStore) {}

  /** After the HTTP server has closed and in-flight writes have finished. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
