/** Creates ioredis connections with the hub's failure behaviour. */
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { maskUrl } from '../config/config.schema.js';

/**
 * `failFast` (the default) fails a command after a couple of reconnect attempts rather than hold an ingest request
 * open: the caller answers 503 and Falco's side can see the outage. Without it commands wait for Redis to return,
 * for background work (the live stream's adapter) whose library does not handle failed commands.
 */
/** Where Redis is: a URL (credentials, db and TLS from it), and with Sentinel the sentinels and master name. */
export interface RedisTarget {
  url: string;
  sentinels?: { host: string; port: number }[];
  sentinelMaster?: string;
}

export function createRedisConnection(target: RedisTarget, name = 'Redis', { failFast = true } = {}): Redis {
  const logger = new Logger(name);
  const { url, sentinels, sentinelMaster } = target;
  const redis = new Redis(url, {
    // With sentinels, the URL's host is ignored: they say which server is the master.
    ...(sentinels?.length ? { sentinels, name: sentinelMaster } : {}),
    maxRetriesPerRequest: failFast ? 2 : null,
    connectTimeout: 5_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Log an outage once and the recovery once, not every reconnect attempt.
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.error(`${where(target)} unreachable: ${error.message}; retrying`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.log(`${where(target)} reachable again`);
  });
  return redis;
}

/** For logs: the URL without its password, or the Sentinel master. */
export function where({ url, sentinels, sentinelMaster }: RedisTarget): string {
  if (!sentinels?.length) return maskUrl(url);
  return `master "${sentinelMaster}" via sentinels ${sentinels.map((s) => `${s.host}:${s.port}`).join(',')}`;
}
