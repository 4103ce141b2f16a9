import { randomUUID } from 'node:crypto';
import type { Alert } from '@harrier/alert';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeAlertStoreContract } from '../../apps/server/src/alerts/alert-store.contract.js';
import { AlertIdGenerator } from '../../apps/server/src/alerts/alert-id.js';
import { MAX_EXAMINED, RedisAlertStore } from '../../apps/server/src/alerts/redis-alert.store.js';
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
function freshStore(maxSlotIds?: number): { store: RedisAlertStore; keys: ReturnType<typeof redisKeys> } {
  const keys = redisKeys(`${redis.prefix}${randomUUID()}:`);
  return { store: new RedisAlertStore(createRedisConnection({ url: redis.url }), keys, maxSlotIds), keys };
}

describeAlertStoreContract('RedisAlertStore', () => Promise.resolve(freshStore().store));

const ids = new AlertIdGenerator();
function alertAt(ms: number, overrides: Partial<Alert> = {}): Alert {
  return {
    id: ids.next(ms),
    time: new Date(ms).toISOString(),
    rule: 'Terminal shell in container',
    priority: 'Notice',
    source: 'syscall',
    output: 'A shell was spawned',
    output_fields: { 'k8s.ns.name': 'default', 'k8s.pod.name': 'web-1' },
    tags: ['container'],
    hostname: 'node-a',
    ...overrides,
  };
}

it(`examines at most ${MAX_EXAMINED} alerts per request, says so, and continues from where it stopped`, async () => {
  const { store } = freshStore();
  const start = Date.parse('2026-02-01T00:00:00Z');
  const alerts = Array.from({ length: MAX_EXAMINED + 1_500 }, (_, i) =>
    alertAt(start + i * 1_000, i === 20 ? { output: 'the needle' } : {}),
  );
  await Promise.all(alerts.map((a) => store.save(a, [])));
  const first = await store.query({ filter: { q: 'needle' }, limit: 10 });
  expect(first.partial).toBe(true);
  expect(first.alerts).toEqual([]);
  expect(first.nextCursor).not.toBeNull();
  const second = await store.query({ filter: { q: 'needle' }, limit: 10, cursor: first.nextCursor! });
  expect(second.alerts.map((a) => a.output)).toEqual(['the needle']);
  expect(second.partial).toBeUndefined();
  expect(second.nextCursor).toBeNull();
  // A facet filter is answered from its index without examining the rest.
  const byRule = await store.query({ filter: { rule: ['Terminal shell in container'] }, limit: 5 });
  expect(byRule.alerts.map((a) => a.id)).toEqual(
    alerts
      .slice(-5)
      .reverse()
      .map((a) => a.id),
  );
  await store.close();
});

it('bounds the index entries one query reads, answering partial with a cursor at a minute boundary', async () => {
  const { store } = freshStore(100);
  const start = Date.parse('2026-02-01T00:00:00Z');
  // Four minutes of 60 alerts; the needle is in the oldest.
  const alerts = Array.from({ length: 240 }, (_, i) =>
    alertAt(start + i * 1_000, i === 5 ? { output: 'the needle' } : {}),
  );
  await Promise.all(alerts.map((a) => store.save(a, [])));
  const pages = [];
  let cursor: string | undefined;
  do {
    const page = await store.query({ filter: { q: 'needle' }, limit: 10, ...(cursor ? { cursor } : {}) });
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && pages.length < 10);
  // Each page reads about 100 entries (a minute and more), says partial, and the next one goes on from there.
  expect(pages.length).toBeGreaterThan(2);
  expect(pages.slice(0, -1).every((p) => p.partial === true)).toBe(true);
  expect(pages.at(-1)!.nextCursor).toBeNull();
  expect(pages.flatMap((p) => p.alerts.map((a) => a.output))).toEqual(['the needle']);
  await store.close();
});

it('skips documents it cannot read (an older format) instead of failing', async () => {
  const { store, keys } = freshStore();
  const good = alertAt(Date.parse('2026-02-01T00:00:00Z'));
  const old = alertAt(Date.parse('2026-02-01T00:00:01Z'));
  await store.save(good, []);
  await store.save(old, []);
  const client = new Redis(redis.url);
  await client.set(keys.alert(old.id), JSON.stringify(old));
  await client.set(`${keys.alert('')}x`, 'junk');
  client.disconnect();
  // Read as another replica, or this one after a restart, would: the writer keeps what it saved last in memory.
  const reader = new RedisAlertStore(createRedisConnection({ url: redis.url }), keys);
  expect(await reader.get(old.id)).toBeUndefined();
  expect((await reader.query({ filter: {}, limit: 10 })).alerts.map((a) => a.id)).toEqual([good.id]);
  await reader.close();
  await store.close();
});

it('keeps an alert, its index entries and its counts in well under 1 KiB of Redis memory', async () => {
  const { store, keys } = freshStore();
  const start = Date.parse('2026-02-01T00:00:00Z');
  await Promise.all(Array.from({ length: 600 }, (_, i) => store.save(alertAt(start + i * 100), [])));
  const client = new Redis(redis.url);
  const prefix = keys.alert('').slice(0, -2);
  const used = await Promise.all(
    (await client.keys(`${prefix}*`)).map(async (key) => Number(await client.memory('USAGE', key, 'SAMPLES', '0'))),
  );
  client.disconnect();
  expect(used.reduce((a, b) => a + b, 0) / 600).toBeLessThan(1_024);
  await store.close();
});
