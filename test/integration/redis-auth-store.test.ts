import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { describeAuthStoreContract } from '../../apps/server/src/auth/auth-store.contract.js';
import { RedisAuthStore } from '../../apps/server/src/auth/redis-auth.store.js';
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
describeAuthStoreContract('RedisAuthStore', () =>
  Promise.resolve(
    new RedisAuthStore(createRedisConnection({ url: redis.url }), redisKeys(`${redis.prefix}${randomUUID()}:`)),
  ),
);
