/** Creates ioredis connections with the hub's failure behaviour. */
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { maskUrl } from '../config/config.schema.js';

/**
 * `failFast` (the default) fails a command after a couple of reconnect attempts rather than hold an ingest request
 * open: the caller answers 503 and Falco's side can see the outage. Without it commands wait for Redis to return,
 * for background work (the live stream's adapter) whose library does not handle failed commands.
 */
export function createRedisConnection(url: string, name = 'Redis', { failFast = true } = {}): Redis {
  const logger = new Logger(name);
  const redis = new Redis(url, {
    maxRetriesPerRequest: failFast ? 2 : null,
    connectTimeout: 5_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Log an outage once and the recovery once, not every reconnect attempt.
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.error(`${maskUrl(url)} unreachable: ${error.message}; retrying`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.log(`${maskUrl(url)} reachable again`);
  });
  return redis;
}
