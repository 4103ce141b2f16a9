/** The backing store chosen at boot: Redis (alerts + delivery queue on one connection) or the embedded one. */
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ALERT_STORE, type AlertStore } from '../alerts/alert.store.js';
import { MemoryAlertStore } from '../alerts/memory-alert.store.js';
import { RedisAlertStore } from '../alerts/redis-alert.store.js';
import { CONFIG } from '../config/config.module.js';
import type { HarrierConfig } from '../config/config.schema.js';
import { DELIVERY_QUEUE, type DeliveryQueue } from '../outputs/delivery/delivery-queue.js';
import { MemoryDeliveryQueue } from '../outputs/delivery/memory-delivery.queue.js';
import { RedisDeliveryQueue } from '../outputs/delivery/redis-delivery.queue.js';
import { createRedisConnection } from '../redis/redis-connection.js';
import { redisKeys } from '../redis/redis-keys.js';

export interface Storage {
  alerts: AlertStore;
  deliveries: DeliveryQueue;
}

export function createStorage(config: HarrierConfig['store']): Storage {
  switch (config.kind) {
    case 'redis': {
      const redis = createRedisConnection(config);
      const keys = redisKeys(config.keyPrefix);
      const alerts = new RedisAlertStore(redis, keys, { documentFormat: config.documentFormat });
      return { alerts, deliveries: new RedisDeliveryQueue(redis, keys, (ids) => alerts.getMany(ids)) };
    }
    case 'memory': {
      const deliveries = new MemoryDeliveryQueue();
      return { alerts: new MemoryAlertStore(config.maxAlerts, deliveries), deliveries };
    }
  }
}

const STORAGE = Symbol('Storage');

@Global()
@Module({
  providers: [
    { provide: STORAGE, inject: [CONFIG], useFactory: (config: HarrierConfig) => createStorage(config.store) },
    { provide: ALERT_STORE, inject: [STORAGE], useFactory: (storage: Storage) => storage.alerts },
    { provide: DELIVERY_QUEUE, inject: [STORAGE], useFactory: (storage: Storage) => storage.deliveries },
  ],
  exports: [ALERT_STORE, DELIVERY_QUEUE],
})
export class StorageModule implements OnApplicationShutdown {
  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  /** After the HTTP server has closed, in-flight writes have finished and the workers have stopped. */
  async onApplicationShutdown(): Promise<void> {
    await this.storage.deliveries.close();
    await this.storage.alerts.close();
  }
}
