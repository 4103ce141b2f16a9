import { randomUUID } from 'node:crypto';
import { matchesFilter, type Alert, type AlertFilter } from '@harrier/alert';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeAlertStoreContract, pageThrough } from '../../apps/server/src/alerts/alert-store.contract.js';
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
  return { store: new RedisAlertStore(createRedisConnection({ url: redis.url }), keys, { maxSlotIds }), keys };
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

it('finds alerts of days it has not seen before, newer and older', async () => {
  const { store } = freshStore();
  const day = Date.parse('2026-02-10T12:00:00Z');
  const middle = alertAt(day);
  await store.save(middle, []);
  expect((await store.query({ filter: {}, limit: 10 })).alerts.map((a) => a.id)).toEqual([middle.id]);
  const newer = alertAt(day + 86_400_000, { rule: 'Write below binary dir' });
  const older = alertAt(day - 2 * 86_400_000, { rule: 'Write below binary dir' });
  await store.save(newer, []);
  await store.save(older, []);
  expect((await store.query({ filter: {}, limit: 10 })).alerts.map((a) => a.id)).toEqual([
    newer.id,
    middle.id,
    older.id,
  ]);
  expect(
    (await store.query({ filter: { rule: ['Write below binary dir'] }, limit: 10 })).alerts.map((a) => a.id),
  ).toEqual([newer.id, older.id]);
  await store.close();
});

it('finds the newest alerts as the hours pass, whatever the last query saw', async () => {
  const { store } = freshStore();
  const hour = 3_600_000;
  const day = Date.parse('2026-02-20T00:00:00Z');
  const newestFirst = async () => (await store.query({ filter: {}, limit: 100 })).alerts.map((a) => a.id);
  const saved: Alert[] = [];
  // Hours 5, 6, then 9 after a gap, then 23, then the next day: each query guesses from the last one's newest hour.
  for (const at of [5, 6, 9, 23, 24, 26].map((h) => day + h * hour + 60_000)) {
    const alert = alertAt(at);
    await store.save(alert, []);
    saved.unshift(alert);
    expect(await newestFirst()).toEqual(saved.map((a) => a.id));
  }
  // An alert in an hour before the newest, and one in the newest day's first hour.
  const late = [alertAt(day + 7 * hour), alertAt(day + 24 * hour + 5_000)];
  for (const alert of late) await store.save(alert, []);
  const expected = [...saved, ...late].sort((a, b) => (a.id < b.id ? 1 : -1)).map((a) => a.id);
  expect(await newestFirst()).toEqual(expected);
  expect(await newestFirst()).toEqual(expected);
  await store.close();
});

it('answers at once, reading no index entries, when the filtered facets never meet at one priority', async () => {
  // So small a bound that reading the pod's or the source's entries would answer partial.
  const { store } = freshStore(10);
  const start = Date.parse('2026-02-01T00:00:00Z');
  const alerts = Array.from({ length: 300 }, (_, i) =>
    i % 2 === 0
      ? alertAt(start + i * 30_000, {
          priority: 'Warning',
          source: 'k8s_audit',
          output_fields: { 'ka.target.namespace': 'logging', 'ka.target.name': 'log-shipper' },
        })
      : alertAt(start + i * 30_000, { priority: 'Error' }),
  );
  await Promise.all(alerts.map((a) => store.save(a, [])));
  expect(await store.query({ filter: { pod: ['log-shipper'], source: ['syscall'] }, limit: 10 })).toEqual({
    alerts: [],
    nextCursor: null,
  });
  expect(
    await store.query({
      filter: { pod: ['web-1'], namespace: ['logging'], priority: ['Warning', 'Error'] },
      limit: 10,
    }),
  ).toEqual({ alerts: [], nextCursor: null });
  await store.close();
});

it('pages rare combinations over days of hours exactly like filtering all alerts, with bounded reads too', async () => {
  const start = Date.parse('2026-03-01T20:00:00Z');
  const hour = 3_600_000;
  const alerts: Alert[] = [];
  // 56 hours over four days, 30 alerts an hour: the rare pod and the rare rule are each in a third of them, together
  // only in the first alert of every fourth hour.
  for (let h = 0; h < 56; h++) {
    for (let i = 0; i < 30; i++) {
      alerts.push(
        alertAt(start + h * hour + i * 120_000, {
          rule: i % 3 === 1 || (i === 0 && h % 4 === 0) ? 'rare rule' : 'common rule',
          priority: i % 2 === 0 ? 'Warning' : 'Notice',
          source: i % 7 === 3 ? 'k8s_audit' : 'syscall',
          output_fields: { 'k8s.ns.name': `ns-${h % 3}`, 'k8s.pod.name': i % 3 === 0 ? 'rare-pod' : 'common-pod' },
        }),
      );
    }
  }
  // One dense hour where both hold over a thousand Warning alerts, together five: its minutes are planned one by one.
  for (let i = 0; i < 2_200; i++) {
    alerts.push(
      alertAt(start + 30 * hour + Math.floor((i * hour) / 2_200), {
        rule: i % 2 === 1 ? 'rare rule' : 'common rule',
        priority: 'Warning',
        output_fields: {
          'k8s.ns.name': 'ns-0',
          'k8s.pod.name': i % 2 === 0 || i % 500 === 1 ? 'rare-pod' : 'common-pod',
        },
      }),
    );
  }
  const newestFirst = [...alerts].sort((a, b) => (a.id < b.id ? 1 : -1));
  const filters: AlertFilter[] = [
    { pod: ['rare-pod'], rule: ['rare rule'], source: ['syscall'] },
    { pod: ['rare-pod'], rule: ['rare rule'], namespace: ['ns-0', 'ns-1'] },
    { rule: ['rare rule'], pod: ['rare-pod'], priority: ['Warning'] },
    // Both in every hour's Notice alerts, never together.
    { rule: ['rare rule'], pod: ['rare-pod'], priority: ['Notice'] },
    { pod: ['rare-pod'], since: start + 29 * hour + 1_234, until: start + 33 * hour + 5_678 },
    { namespace: ['ns-2'], source: ['k8s_audit'], priority: ['Warning'] },
  ];
  for (const maxSlotIds of [undefined, 400]) {
    const { store } = freshStore(maxSlotIds);
    for (let i = 0; i < alerts.length; i += 500)
      await Promise.all(alerts.slice(i, i + 500).map((a) => store.save(a, [])));
    let partials = 0;
    for (const filter of filters) {
      const expected = newestFirst.filter((a) => matchesFilter(a, filter)).map((a) => a.id);
      const paged = await pageThrough(store, filter, 3);
      partials += paged.partials;
      expect(paged.ids, `${JSON.stringify(filter)} with maxSlotIds ${maxSlotIds}`).toEqual(expected);
    }
    // The bounded store reads the dense hour in pieces, answering partial in between.
    expect(partials > 0).toBe(maxSlotIds !== undefined);
    await store.close();
  }
});

it('pages a dense newest hour minute by minute like filtering all alerts, page after page', async () => {
  const { store } = freshStore();
  const start = Date.parse('2026-04-01T10:00:00Z');
  // The previous hour's last minutes, and the newest hour dense up to its 40th minute: past 2,000 entries its minutes
  // are planned, from its per-minute counts read with the directory once a query has seen the hour.
  const alerts = [
    ...Array.from({ length: 300 }, (_, i) => alertAt(start - 600_000 + i * 2_000, { rule: `r${i % 3}` })),
    ...Array.from({ length: 3_600 }, (_, i) =>
      alertAt(start + i * 666, {
        rule: `r${i % 3}`,
        priority: i % 5 === 0 ? 'Critical' : 'Notice',
        output_fields: { 'k8s.ns.name': 'default', 'k8s.pod.name': `web-${i % 7}` },
      }),
    ),
  ];
  for (let i = 0; i < alerts.length; i += 500)
    await Promise.all(alerts.slice(i, i + 500).map((a) => store.save(a, [])));
  const newestFirst = [...alerts].sort((a, b) => (a.id < b.id ? 1 : -1));
  const filters: AlertFilter[] = [
    {},
    { rule: ['r1'] },
    { priority: ['Critical'] },
    { pod: ['web-3'], rule: ['r2'] },
    { priority: ['Notice'] },
    {},
  ];
  for (const filter of filters) {
    const expected = newestFirst.filter((a) => matchesFilter(a, filter)).map((a) => a.id);
    expect((await pageThrough(store, filter, 60)).ids, JSON.stringify(filter)).toEqual(expected);
  }
  await store.close();
});

it('answers the overview from counter hashes held in memory only while they are current', async () => {
  const { store: reader, keys } = freshStore();
  const writer = new RedisAlertStore(createRedisConnection({ url: redis.url }), keys);
  const start = Date.parse('2026-02-01T00:00:00Z');
  await Promise.all(
    Array.from({ length: 60 }, (_, i) => writer.save(alertAt(start + i * 3 * 60_000, { rule: `r${i % 3}` }), [])),
  );
  const range = { since: start, until: start + 4 * 3_600_000 };
  const overview = async (store: RedisAlertStore) => (await store.stats(range, 3_600_000, 10))!;
  const fresh = async () => {
    const store = new RedisAlertStore(createRedisConnection({ url: redis.url }), keys);
    const stats = await overview(store);
    await store.close();
    return stats;
  };
  const rules = (stats: Awaited<ReturnType<typeof overview>>) =>
    Object.fromEntries(stats.top.rule.map(({ value, count }) => [value, count]));

  expect(rules(await overview(reader))).toEqual({ r0: 20, r1: 20, r2: 20 });
  // Another replica writes into the hours the reader holds: a late alert in the first, a new rule.
  await writer.save(alertAt(start + 60_000, { rule: 'late' }), []);
  expect(rules(await overview(reader))).toEqual({ r0: 20, r1: 20, r2: 20, late: 1 });
  // Retention (on the other replica) takes the oldest ten.
  expect(await writer.trim(start + 3_600_000, 1_000, 10, 'writer')).toBe(10);
  const trimmed = await overview(reader);
  expect(trimmed).toEqual(await fresh());
  expect(trimmed.total).toBe(51);
  expect(rules(trimmed)).not.toHaveProperty('late');
  await writer.close();
  await reader.close();
});
