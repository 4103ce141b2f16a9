import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { RedisAlertStore } from '../../apps/server/src/alerts/redis-alert.store.js';
import { describeDeliveryQueueContract } from '../../apps/server/src/outputs/delivery/delivery-queue.contract.js';
import { RedisDeliveryQueue } from '../../apps/server/src/outputs/delivery/redis-delivery.queue.js';
import { createRedisConnection } from '../../apps/server/src/redis/redis-connection.js';
import { redisKeys } from '../../apps/server/src/redis/redis-keys.js';
import { startRedis, type TestRedis } from '../support/redis.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

describeDeliveryQueueContract('RedisDeliveryQueue', () => {
  const connection = createRedisConnection({ url: redis.url });
  const keys = redisKeys(`${redis.prefix}${randomUUID()}:`);
  const queue = new RedisDeliveryQueue(connection, keys);
  const store = new RedisAlertStore(connection, keys);
  return Promise.resolve({
    queue,
    store,
    close: async () => {
      await queue.close();
      await store.close();
    },
  });
});
