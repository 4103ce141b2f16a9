import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { describeAlertStoreContract } from '../../apps/server/src/alerts/alert-store.contract.js';
import { RedisAlertStore } from '../../apps/server/src/alerts/redis-alert.store.js';
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

// A fresh key prefix per test keeps the tests independent on one server.
describeAlertStoreContract('RedisAlertStore', () =>
  Promise.resolve(
    new RedisAlertStore(createRedisConnection({ url: redis.url }), redisKeys(`${redis.prefix}${randomUUID()}:`)),
  ),
);
