/** Creates ioredis connections with the hub's failure behaviour. */
import { Redis } from 'ioredis';

export function createRedisConnection(url: string): Redis {
  return new Redis(url, {
    // Fail a command after a couple of reconnect attempts rather than hold an ingest request open:
    // the caller answers 503 and Falco's side can see the outage.
    maxRetriesPerRequest: 2,
    connectTimeout: 5_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}
