/**
 * A Lua script called by its SHA-1 (EVALSHA), sent in full only when Redis does not know it yet (after a restart or
 * a SCRIPT FLUSH): a script called per group commit would otherwise cost its whole text on every call.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export class RedisScript {
  private readonly sha: string;

  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: Redis, keys: readonly (string | Buffer)[], args: readonly (string | Buffer | number)[]) {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error as Error).message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}
