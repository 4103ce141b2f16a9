/** socket.io across replicas: the Redis Streams adapter (it rides out short Redis disconnects by resuming the stream). */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import type { Server } from 'socket.io';

export function attachRedisAdapter(server: Server, redis: Redis, prefix: string): void {
  server.adapter(
    createAdapter(redis, { streamName: `${prefix}socket.io`, channelPrefix: `${prefix}socket.io`, maxLen: 10_000 }),
  );
}
