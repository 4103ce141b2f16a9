/**
 * Output benchmarks on Redis: webhook fan-out throughput (a queue of N jobs drained to a local receiver) and
 * ingest-to-delivery latency under a steady 1,000 alerts/s after a warm-up, printed with the ingest rate
 * achieved. The hub runs as its own process (built dist), as in production, and so does the latency receiver. Targets (issue 5): ≥ 5,000 alerts/s delivered; p99 ≤ 100 ms at 1,000 alerts/s.
 * BENCH_SCALE multiplies sizes.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Alert } from '@harrier/alert';
import { createDemoAlert, seededRandom } from '@harrier/sensor';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AlertIdGenerator } from '../../apps/server/src/alerts/alert-id.js';
import { RedisAlertStore } from '../../apps/server/src/alerts/redis-alert.store.js';
import { startReceiver, type Receiver } from '../../apps/server/src/outputs/channels/testing/receiver.js';
import { createRedisConnection } from '../../apps/server/src/redis/redis-connection.js';
import { redisKeys } from '../../apps/server/src/redis/redis-keys.js';
import { startHubProcess, writeConfigFile, type HubProcess } from '../support/hub.js';
import { startRedis, type TestRedis } from '../support/redis.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? 1);
const DRAIN_JOBS = 10_000 * SCALE;
const LATENCY_SECONDS = 5 * SCALE;
const LATENCY_RATE = 1_000;
const WARM_UP_SECONDS = 5;
/** A local receiver answers at once, so throughput is bound by connections in flight: measured with 64. */
const DRAIN_CONNECTIONS = 64;

/** `connections` is the webhook's maxconcurrentrequests (Harrier's default is 16). */
async function hubWithWebhook(prefix: string, address: string, connections = 16): Promise<HubProcess> {
  const configFile = await writeConfigFile(
    `webhook:\n  address: ${address}\n  maxconcurrentrequests: ${connections}\n`,
  );
  return startHubProcess({
    env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, CONFIG_FILE: configFile, LOG_LEVEL: 'warn' },
  });
}

const rows: Record<string, string | number>[] = [];
const random = seededRandom(7);
let redis: TestRedis;
let receiver: Receiver;

beforeAll(async () => {
  redis = await startRedis();
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await redis.stop();
  console.log('\nHarrier output benchmarks (webhook to a local receiver, Redis store)');
  console.table(rows);
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

it(`drains ${DRAIN_JOBS} queued webhook deliveries`, async () => {
  const prefix = `${redis.prefix}${randomUUID()}:`;
  const store = new RedisAlertStore(createRedisConnection({ url: redis.url }), redisKeys(prefix));
  const ids = new AlertIdGenerator();
  for (let i = 0; i < DRAIN_JOBS; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, DRAIN_JOBS - i) }, () => {
        const falco = createDemoAlert(random, Date.now());
        const alert: Alert = { id: ids.next(Date.now()), ...falco };
        return store.save(alert, ['webhook']);
      }),
    );
  }
  await store.close();
  receiver.requests.length = 0;
  const hub = await hubWithWebhook(prefix, receiver.url, DRAIN_CONNECTIONS);
  try {
    await expect
      .poll(() => receiver.requests.length, { timeout: 300_000, interval: 50 })
      .toBeGreaterThanOrEqual(DRAIN_JOBS);
  } finally {
    await hub.stop();
  }
  // From the first delivery to the last: the hub process's start-up is not part of the drain.
  const seconds = (receiver.requests.at(-1)!.receivedAt - receiver.requests[0]!.receivedAt) / 1000;
  rows.push({
    benchmark: `webhook fan-out, ${DRAIN_JOBS} queued, ${DRAIN_CONNECTIONS} connections`,
    'alerts/s': Math.round(DRAIN_JOBS / seconds),
    'target alerts/s': 5000,
  });
}, 600_000);

it(`measures ingest-to-delivery latency at ${LATENCY_RATE} alerts/s`, async () => {
  const peer = await startLatencyReceiver();
  const hub = await hubWithWebhook(`${redis.prefix}${randomUUID()}:`, peer.url);
  const warmUp = WARM_UP_SECONDS * LATENCY_RATE;
  const total = warmUp + LATENCY_SECONDS * LATENCY_RATE;
  const started = performance.now();
  const posts: Promise<unknown>[] = [];
  try {
    for (let i = 0; i < total; i++) {
      const wait = started + (i * 1000) / LATENCY_RATE - performance.now();
      if (wait > 1) await sleep(wait);
      const alert = createDemoAlert(random, Date.now());
      alert.output_fields = { ...alert.output_fields, 'bench.index': i, 'bench.sent': Date.now() };
      posts.push(fetch(`${hub.url}/`, { method: 'POST', body: JSON.stringify(alert) }).then((r) => r.arrayBuffer()));
    }
    await Promise.all(posts);
    const ingestSeconds = (performance.now() - started) / 1000;
    let seen: [index: number, latencyMs: number][] = [];
    await expect
      .poll(async () => (seen = await peer.stats()).length, { timeout: 60_000, interval: 200 })
      .toBeGreaterThanOrEqual(total);
    // Alerts of the warm-up (JIT, connection pools) are delivered but not measured.
    const latencies = seen
      .filter(([index]) => index >= warmUp)
      .map(([, ms]) => ms)
      .sort((a, b) => a - b);
    rows.push({
      benchmark: `ingest → webhook latency, ${total - warmUp} alerts after ${warmUp} warm-up, 16 connections`,
      'ingest alerts/s': Math.round(total / ingestSeconds),
      'p50 ms': percentile(latencies, 50),
      'p95 ms': percentile(latencies, 95),
      'p99 ms': percentile(latencies, 99),
      'max ms': latencies.at(-1)!,
      'target p99 ms': 100,
    });
  } finally {
    await hub.stop();
    await peer.stop();
  }
}, 600_000);

/** The receiver for the latency run, in a process of its own. */
async function startLatencyReceiver() {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./latency-receiver.mjs', import.meta.url))], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const url = `http://127.0.0.1:${/listening (\d+)/.exec(line.toString())![1]}`;
  return {
    url,
    stats: async () => (await (await fetch(`${url}/stats`)).json()) as [number, number][],
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
