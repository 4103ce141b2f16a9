/** Login state in Redis, so any replica serves any session and the generated admin survives restarts. */
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { AuthStore, FailureCount, Session, StoredToken } from './auth.store.js';

export class RedisAuthStore implements AuthStore {
  private readonly keys: RedisKeys['auth'];

  constructor(
    private readonly redis: Redis,
    keys: RedisKeys,
  ) {
    this.keys = keys.auth;
  }

  async saveSession(digest: string, session: Session): Promise<void> {
    const ttl = Math.max(1, session.expiresAt - Date.now());
    await this.redis.set(this.keys.session(digest), JSON.stringify(session), 'PX', ttl);
  }

  async getSession(digest: string): Promise<Session | undefined> {
    const json = await this.redis.get(this.keys.session(digest));
    if (json === null) return undefined;
    const session = JSON.parse(json) as Session;
    return session.expiresAt > Date.now() ? session : undefined;
  }

  async deleteSession(digest: string): Promise<void> {
    await this.redis.del(this.keys.session(digest));
  }

  async saveToken(token: StoredToken): Promise<void> {
    await this.redis.hset(this.keys.tokens, token.id, JSON.stringify(token));
  }

  async getToken(id: string): Promise<StoredToken | undefined> {
    const json = await this.redis.hget(this.keys.tokens, id);
    return json === null ? undefined : (JSON.parse(json) as StoredToken);
  }

  async listTokens(): Promise<StoredToken[]> {
    const all = await this.redis.hvals(this.keys.tokens);
    return all.map((json) => JSON.parse(json) as StoredToken).sort((a, b) => a.createdAt - b.createdAt);
  }

  async deleteToken(id: string): Promise<boolean> {
    return (await this.redis.hdel(this.keys.tokens, id)) > 0;
  }

  async failures(key: string): Promise<FailureCount> {
    const redisKey = this.keys.loginFailures(key);
    const [count, ttl] = await Promise.all([this.redis.get(redisKey), this.redis.pttl(redisKey)]);
    if (count === null || ttl <= 0) return { count: 0, retryAfterMs: 0 };
    return { count: Number(count), retryAfterMs: ttl };
  }

  async recordFailure(key: string, windowMs: number): Promise<void> {
    const redisKey = this.keys.loginFailures(key);
    // The window starts with the first failure (NX), so steady guessing cannot keep extending it forever.
    await this.redis.multi().incr(redisKey).pexpire(redisKey, windowMs, 'NX').exec();
  }

  async initAdminHash(hash: string): Promise<string> {
    await this.redis.set(this.keys.admin, hash, 'NX');
    return (await this.redis.get(this.keys.admin)) ?? hash;
  }

  close(): Promise<void> {
    this.redis.disconnect();
    return Promise.resolve();
  }
}
