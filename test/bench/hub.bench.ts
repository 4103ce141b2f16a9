/**
 * Hub benchmarks: HTTP ingest throughput and latency on each store, query latency over a loaded Redis,
 * and Redis memory per stored alert. Prints figures and ratios; asserts only that the work was done.
 * Sizes are modest so a run takes about a minute on 2 cores; set BENCH_SCALE=10 for a heavier run.
 */
import { randomUUID } from 'node:crypto';
import type { Alert, AlertFilter } from '@harrier/alert';
import { createDemoAlert, seededRandom } from '@harrier/sensor';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertIdGenerator } from '../../apps/server/src/alerts/alert-id.js';
import { RedisAlertStore } from '../../apps/server/src/alerts/redis-alert.store.js';
import { createRedisConnection } from '../../apps/server/src/redis/redis-connection.js';
import { redisKeys } from '../../apps/server/src/redis/redis-keys.js';
import { startHub } from '../support/app.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { recordFigure } from './support/figures.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? 1);
const INGEST_ALERTS = 3_000 * SCALE;
const CONCURRENCY = 16;
const LOADED_ALERTS = 20_000 * SCALE;
const QUERY_RUNS = 30;

const rows: Record<string, string | number>[] = [];
const random = seededRandom(42);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timeIngest(url: string): Promise<{ perSecond: number; p50: number; p99: number }> {
  const bodies = Array.from({ length: INGEST_ALERTS }, () => JSON.stringify(createDemoAlert(random, Date.now())));
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const t0 = performance.now();
        const res = await fetch(`${url}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: INGEST_ALERTS / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
  console.log(`\nHarrier benchmarks (scale ${SCALE}, ${CONCURRENCY} concurrent senders)`);
  console.table(rows);
  for (const { benchmark, ...values } of rows) {
    const value = Object.entries(values)
      .map(([unit, v]) => `${v} ${unit}`)
      .join(', ');
    recordFigure('hub', { figure: String(benchmark), value });
  }
});

describe('ingest over HTTP (POST /)', () => {
  const results: Record<string, number> = {};

  // Redis is only started in beforeAll, so its environment is read when the case runs.
  it.each<[string, () => Record<string, string>]>([
    ['memory', () => ({})],
    ['redis', () => ({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: `${redis.prefix}${randomUUID()}:` })],
  ])('%s store', async (name, env) => {
    const hub = await startHub(env());
    try {
      const r = await timeIngest(hub.url);
      results[name] = r.perSecond;
      rows.push({
        benchmark: `ingest, ${name} store`,
        'alerts/s': Math.round(r.perSecond),
        'p50 ms': r.p50.toFixed(2),
        'p99 ms': r.p99.toFixed(2),
      });
      expect(r.perSecond).toBeGreaterThan(0);
    } finally {
      await hub.close();
    }
    if (results['memory'] && results['redis']) {
      rows.push({
        benchmark: 'ingest ratio redis/memory',
        ratio: (results['redis'] / results['memory']).toFixed(2),
      });
    }
  });
});

describe(`queries over ${LOADED_ALERTS} alerts in Redis`, () => {
  let store: RedisAlertStore;
  let client: Redis;
  const prefix = () => `${redis.prefix}query:`;

  beforeAll(async () => {
    client = new Redis(redis.url);
    const before = Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]);
    store = new RedisAlertStore(createRedisConnection({ url: redis.url }), redisKeys(prefix()));
    const ids = new AlertIdGenerator();
    const start = Date.now() - LOADED_ALERTS * 1000;
    for (let i = 0; i < LOADED_ALERTS; i += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, LOADED_ALERTS - i) }, (_, j) => {
          const falco = createDemoAlert(random, start + (i + j) * 1000);
          const alert: Alert = { id: ids.next(Date.parse(falco.time)), ...falco };
          return store.save(alert, []);
        }),
      );
    }
    const after = Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]);
    const perAlert = (after - before) / LOADED_ALERTS;
    rows.push({
      benchmark: `redis memory per alert (with indexes, ${LOADED_ALERTS} alerts)`,
      bytes: Math.round(perAlert),
    });
  }, 300_000);

  afterAll(async () => {
    await store.close();
    client.disconnect();
  });

  it.each<[string, AlertFilter]>([
    ['newest 100, no filter', {}],
    ['newest 100, one pod', { pod: ['coredns-5d78c9869d-8kq2w'] }],
    ['newest 100, priority >= Critical', { priority: ['Critical', 'Alert', 'Emergency'] }],
    ['newest 100, namespace and rule', { namespace: ['payments'], rule: ['Terminal shell in container'] }],
    ['newest 100, last 10% of the time range', { since: Date.now() - LOADED_ALERTS * 100 }],
  ])('%s', async (name, filter) => {
    const latencies: number[] = [];
    let returned = 0;
    for (let i = 0; i < QUERY_RUNS; i++) {
      const t0 = performance.now();
      const page = await store.query({ filter, limit: 100 });
      latencies.push(performance.now() - t0);
      returned = page.alerts.length;
    }
    latencies.sort((a, b) => a - b);
    rows.push({
      benchmark: `query: ${name}`,
      returned,
      'p50 ms': percentile(latencies, 50).toFixed(2),
      'p99 ms': percentile(latencies, 99).toFixed(2),
    });
    expect(latencies).toHaveLength(QUERY_RUNS);
  });
});
