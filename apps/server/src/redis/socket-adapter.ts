/** socket.io across replicas: the Redis Streams adapter (it rides out short Redis disconnects by resuming the stream). */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import type { Server } from 'socket.io';
import { createRedisConnection, type RedisTarget } from './redis-connection.js';

/** Returns the adapter's connection, to close at shutdown. */
export function attachRedisAdapter(server: Server, target: RedisTarget, prefix: string): Redis {
  // Its own connection that waits out outages: the adapter does not handle failed commands.
  const redis = createRedisConnection(target, 'Live stream', { failFast: false });
  server.adapter(
    createAdapter(redis, { streamName: `${prefix}socket.io`, channelPrefix: `${prefix}socket.io`, maxLen: 10_000 }),
  );
  return redis;
}
