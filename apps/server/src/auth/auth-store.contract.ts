/** The behaviour every AuthStore must have; run against the memory store (unit) and Redis (integration). */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuthStore, Session, StoredToken } from './auth.store.js';

const session = (ttlMs: number): Session => ({
  user: 'alice',
  scope: 'admin',
  createdAt: Date.now(),
  expiresAt: Date.now() + ttlMs,
});

const token = (id: string, createdAt: number): StoredToken => ({
  id,
  name: `ci ${id}`,
  scope: 'read',
  secretDigest: 'ab'.repeat(32),
  createdAt,
  createdBy: 'alice',
});

export function describeAuthStoreContract(name: string, makeStore: () => Promise<AuthStore>): void {
  describe(`${name} (AuthStore contract)`, () => {
    let store: AuthStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it('keeps a session until it is deleted or expires', async () => {
      const long = session(60_000);
      await store.saveSession('long', long);
      await store.saveSession('short', session(150));
      expect(await store.getSession('long')).toEqual(long);
      expect(await store.getSession('short')).toBeDefined();
      expect(await store.getSession('unknown')).toBeUndefined();
      await sleep(250);
      expect(await store.getSession('short')).toBeUndefined();
      await store.deleteSession('long');
      expect(await store.getSession('long')).toBeUndefined();
    });

    it('creates, lists (oldest first), reads and revokes tokens', async () => {
      await store.saveToken(token('b', 2));
      await store.saveToken(token('a', 1));
      expect((await store.listTokens()).map((t) => t.id)).toEqual(['a', 'b']);
      expect(await store.getToken('b')).toEqual(token('b', 2));
      expect(await store.deleteToken('b')).toBe(true);
      expect(await store.deleteToken('b')).toBe(false);
      expect(await store.getToken('b')).toBeUndefined();
      expect((await store.listTokens()).map((t) => t.id)).toEqual(['a']);
    });

    it('counts login failures per key within a window that starts at the first failure', async () => {
      expect(await store.failures('ip:1')).toEqual({ count: 0, retryAfterMs: 0 });
      await store.recordFailure('ip:1', 200);
      await store.recordFailure('ip:1', 200);
      await store.recordFailure('ip:2', 200);
      const first = await store.failures('ip:1');
      expect(first.count).toBe(2);
      expect(first.retryAfterMs).toBeGreaterThan(0);
      expect(first.retryAfterMs).toBeLessThanOrEqual(200);
      expect((await store.failures('ip:2')).count).toBe(1);
      await sleep(300);
      expect(await store.failures('ip:1')).toEqual({ count: 0, retryAfterMs: 0 });
    });

    it('keeps the first admin hash it is given', async () => {
      expect(await store.initAdminHash('first')).toBe('first');
      expect(await store.initAdminHash('second')).toBe('first');
    });
  });
}
