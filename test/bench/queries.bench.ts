/**
 * The Redis store at scale: BENCH_ALERTS (default 1,000,000) demo alerts (with a long tail of pods and namespaces)
 * spread over the last 24 h, loaded through the store's own group-committed writes, then first pages of the 100
 * newest with one, two and three filters after one untimed query per filter (common and rare values; each filter's
 * median and max are printed too), the 24 h overview from the counters, and Redis memory per alert.
 */
import type { Alert, AlertFilter, FalcoAlert } from '@harrier/alert';
import { createDemoAlert, seededRandom } from '@harrier/sensor';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AlertIdGenerator } from '../../apps/server/src/alerts/alert-id.js';
import { RedisAlertStore } from '../../apps/server/src/alerts/redis-alert.store.js';
import { createRedisConnection } from '../../apps/server/src/redis/redis-connection.js';
import { redisKeys } from '../../apps/server/src/redis/redis-keys.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { atMost, benchFigures, percentile } from './support/figures.js';

const ALERTS = Number(process.env['BENCH_ALERTS'] ?? 1_000_000);
const RUNS = 40;
const DAY_MS = 86_400_000;
const BATCH = 5_000;

const { rows: figures, record } = benchFigures('queries');

let redis: TestRedis;
let client: Redis;
let store: RedisAlertStore;
/** Facet values seen while loading, with their counts, to pick common and rare filters from. */
const seen = { rule: new Map<string, number>(), namespace: new Map<string, number>(), pod: new Map<string, number>() };
const now = Date.now();

/**
 * The demo knows 19 pods in 4 namespaces; a cluster has a long tail. Pods get a replica suffix (50 per workload,
 * skewed) and a fifth of the alerts move to one of 30 team namespaces, for ~1,000 pods and 34 namespaces.
 */
function diversify(alert: FalcoAlert, random: () => number): FalcoAlert {
  const fields = { ...alert.output_fields };
  const pod = fields['k8s.pod.name'];
  if (typeof pod === 'string') fields['k8s.pod.name'] = `${pod}-${Math.floor(50 * random() ** 2)}`;
  if (typeof fields['k8s.ns.name'] === 'string' && random() < 0.2) {
    fields['k8s.ns.name'] = `team-${Math.floor(30 * random())}`;
  }
  return { ...alert, output_fields: fields };
}

function usedMemory(info: string): number {
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
  store = new RedisAlertStore(createRedisConnection({ url: redis.url }), redisKeys(`${redis.prefix}scale:`));
  const before = usedMemory(await client.info('memory'));
  const random = seededRandom(7);
  const ids = new AlertIdGenerator();
  const start = now - DAY_MS;
  const loadStarted = performance.now();
  for (let i = 0; i < ALERTS; i += BATCH) {
    const saves: Promise<void>[] = [];
    for (let j = i; j < Math.min(i + BATCH, ALERTS); j++) {
      const falco = diversify(createDemoAlert(random, start + Math.floor((j / ALERTS) * DAY_MS)), random);
      const alert: Alert = { id: ids.next(Date.parse(falco.time)), ...falco };
      const ns = alert.output_fields['k8s.ns.name'] ?? alert.output_fields['ka.target.namespace'];
      const pod = alert.output_fields['k8s.pod.name'] ?? alert.output_fields['ka.target.name'];
      seen.rule.set(alert.rule, (seen.rule.get(alert.rule) ?? 0) + 1);
      if (typeof ns === 'string') seen.namespace.set(ns, (seen.namespace.get(ns) ?? 0) + 1);
      if (typeof pod === 'string') seen.pod.set(pod, (seen.pod.get(pod) ?? 0) + 1);
      saves.push(store.save(alert, []));
    }
    await Promise.all(saves);
  }
  const seconds = (performance.now() - loadStarted) / 1000;
  const perAlert = (usedMemory(await client.info('memory')) - before) / ALERTS;
  record({
    figure: `load ${ALERTS} alerts through the store (pipelined)`,
    value: `${Math.round(ALERTS / seconds)} alerts/s`,
  });
  record(atMost('Redis memory per alert (document, indexes, counters)', perAlert, 1_024, 'bytes', 0));
}, 3_600_000);

afterAll(async () => {
  await store.close();
  client.disconnect();
  await redis.stop();
  console.log(`\nRedis store at ${ALERTS} alerts over 24 h`);
  console.table(figures);
  console.log('Per filter (diagnostics, not figures): each ran RUNS / filters times, in turn with the others');
  console.table(perFilter);
});

/** The latencies of each filter of the first-page figures, to see which one sets the p95. */
const perFilter: { filter: string; runs: number; returned: number; median: string; max: string }[] = [];

/** The values of a facet from most to least frequent. */
function ranked(facet: keyof typeof seen): string[] {
  return [...seen[facet].entries()].sort((a, b) => b[1] - a[1]).map(([v]) => v);
}

async function firstPages(name: string, filters: AlertFilter[]): Promise<void> {
  const latencies: number[] = [];
  const each = filters.map(() => ({ latencies: [] as number[], returned: 0 }));
  let returned = 0;
  // One untimed query per filter first: a running hub has its query code compiled, while this process has just
  // loaded a million alerts (the first queries after that ran 3–4× slower: JIT and the load's garbage).
  for (const filter of filters) await store.query({ filter, limit: 100 });
  for (let i = 0; i < RUNS; i++) {
    const filter = filters[i % filters.length]!;
    const t0 = performance.now();
    const page = await store.query({ filter, limit: 100 });
    const ms = performance.now() - t0;
    latencies.push(ms);
    each[i % filters.length]!.latencies.push(ms);
    each[i % filters.length]!.returned = page.alerts.length;
    returned += page.alerts.length;
    expect(page.partial).toBeUndefined();
  }
  filters.forEach((filter, i) => {
    const sorted = each[i]!.latencies.sort((a, b) => a - b);
    perFilter.push({
      filter: `${name}: ${JSON.stringify(filter).slice(0, 90)}`,
      runs: sorted.length,
      returned: each[i]!.returned,
      median: `${percentile(sorted, 50).toFixed(1)} ms`,
      max: `${sorted.at(-1)!.toFixed(1)} ms`,
    });
  });
  latencies.sort((a, b) => a - b);
  record(
    atMost(
      `first page of 100 newest, ${name} (p95; avg ${Math.round(returned / RUNS)} returned)`,
      percentile(latencies, 95),
      20,
      'ms',
    ),
  );
}

it('first pages with one filter', async () => {
  const rules = ranked('rule');
  const pods = ranked('pod');
  await firstPages('1 filter', [
    { rule: [rules[0]!] },
    { rule: [rules.at(-1)!] },
    { pod: [pods.at(-1)!] },
    { priority: ['Critical', 'Alert', 'Emergency'] },
    { namespace: [ranked('namespace')[1]!] },
  ]);
});

it('first pages with two filters', async () => {
  const rules = ranked('rule');
  const namespaces = ranked('namespace');
  await firstPages('2 filters', [
    { namespace: [namespaces[0]!], rule: [rules[0]!] },
    { namespace: [namespaces.at(-1)!], priority: ['Warning', 'Error', 'Critical', 'Alert', 'Emergency'] },
    { rule: rules.slice(0, 3), pod: ranked('pod').slice(0, 5) },
    { tag: ['mitre_execution'], namespace: [namespaces[1]!] },
  ]);
});

it('first pages with three filters', async () => {
  const rules = ranked('rule');
  const namespaces = ranked('namespace');
  await firstPages('3 filters', [
    { namespace: [namespaces[0]!], rule: [rules[0]!], priority: ['Notice', 'Warning'] },
    { namespace: namespaces.slice(0, 2), rule: rules.slice(-3), tag: ['container', 'k8s'] },
    { pod: [ranked('pod')[3]!], source: ['syscall'], priority: ['Warning', 'Error', 'Critical'] },
  ]);
});

it('24 h overview from the counters', async () => {
  // A replica reads the counter hashes once, then only those that changed (none here): the first read is the cold one.
  const t0 = performance.now();
  await store.stats({ since: now - DAY_MS }, 60_000, 10);
  record({
    figure: '24 h overview, first read (no counters held yet)',
    value: `${(performance.now() - t0).toFixed(1)} ms`,
  });
  for (const [bucket, label] of [
    [60_000, '1 min'],
    [3_600_000, '1 h'],
  ] as const) {
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const stats = await store.stats({ since: now - DAY_MS }, bucket, 10);
      latencies.push(performance.now() - t0);
      expect(stats!.total).toBe(ALERTS);
    }
    latencies.sort((a, b) => a - b);
    record(atMost(`24 h overview, ${label} buckets (p95)`, percentile(latencies, 95), 50, 'ms'));
  }
});
