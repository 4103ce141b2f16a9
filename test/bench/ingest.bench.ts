/**
 * Ingest over HTTP as in production: the built hub (apps/server/dist, run `pnpm build` first) on a spawned Redis
 * with a webhook output to a local receiver, loaded by autocannon in its own process; in the same run a minimal
 * Fastify + ioredis server (parse JSON, write to Redis) is the floor-cost baseline, and our rate is printed as a
 * ratio of it. Each process is separate, so the figures are those of a 2-core machine shared by all of them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHubProcess, type HubProcess } from '../support/hub.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { atLeast, atMost, benchFigures } from './support/figures.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTIONS = 50;
const ARRAY_SIZE = 100;

const { rows: figures, record } = benchFigures('ingest');

const children: ChildProcess[] = [];
/** Runs a helper script from test/bench/support; resolves with the port it prints ("listening PORT"). */
async function startHelper(script: string, args: string[]): Promise<number> {
  const child = spawn(process.execPath, [fileURLToPath(new URL(`./support/${script}`, import.meta.url)), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  const match = /listening (\d+)/.exec(chunk.toString());
  if (!match) throw new Error(`${script} did not start: ${chunk.toString()}`);
  return Number(match[1]);
}

interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** autocannon in its own process against `url`, for SECONDS. */
async function load(url: string, arraySize: number): Promise<LoadResult> {
  const child = spawn(
    process.execPath,
    [
      fileURLToPath(new URL('./support/load.mjs', import.meta.url)),
      url,
      String(SECONDS),
      String(CONNECTIONS),
      String(arraySize),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await once(child, 'exit');
  const result = JSON.parse(out) as LoadResult;
  expect(result.non2xx + result.errors + result.timeouts, 'every request answered 2xx').toBe(0);
  return result;
}

let redis: TestRedis;
let hub: HubProcess;
let baselineUrl: string;
let receiverUrl: string;
beforeAll(async () => {
  redis = await startRedis();
  receiverUrl = `http://127.0.0.1:${await startHelper('sink-receiver.mjs', [])}`;
  baselineUrl = `http://127.0.0.1:${await startHelper('baseline-server.mjs', [redis.url])}/`;
  hub = await startHubProcess({
    env: {
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `${redis.prefix}ingest:`,
      WEBHOOK_ADDRESS: `${receiverUrl}/`,
      LOG_LEVEL: 'warn',
    },
  });
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  for (const child of children) child.kill('SIGTERM');
  await redis?.stop();
  console.log(`\nIngest (${SECONDS} s per run, ${CONNECTIONS} connections, autocannon in its own process)`);
  console.table(figures);
});

/** Alerts the hub has acknowledged so far, all of them to be delivered to the receiver. */
let acknowledged = 0;

/**
 * The ingest rate counts alerts acknowledged; their webhook deliveries share the hub's event loop and may trail.
 * How long the receiver waits for the last of them after the load shows whether the rate is sustainable with them.
 */
async function recordCatchUp(label: string): Promise<void> {
  const ended = performance.now();
  let delivered = 0;
  while (performance.now() - ended < 300_000) {
    delivered = Number(await (await fetch(receiverUrl)).text());
    if (delivered >= acknowledged) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(delivered).toBeGreaterThanOrEqual(acknowledged);
  record({
    figure: `webhook deliveries done after the load ended, ${label}`,
    value: `${((performance.now() - ended) / 1000).toFixed(1)} s later`,
  });
}

it('single alerts: the hub against the minimal Fastify + ioredis baseline', async () => {
  const baseline = await load(baselineUrl, 1);
  const ours = await load(`${hub.url}/`, 1);
  acknowledged += ours.requests.total;
  record({
    figure: 'baseline (Fastify + ioredis SET), single alerts',
    value: `${Math.round(baseline.requests.average)} alerts/s`,
  });
  record(atLeast('ingest, single alert per POST /', ours.requests.average, 10_000, 'alerts/s'));
  record(atMost('ingest latency p99, single alerts', ours.latency.p99, 50, 'ms', 0));
  record({ figure: 'ingest latency p50, single alerts', value: `${ours.latency.p50} ms` });
  record(atLeast('ingest ratio to the baseline', ours.requests.average / baseline.requests.average, 0.5, '', 2));
  await recordCatchUp('single alerts');
}, 420_000);

it(`batches: arrays of ${ARRAY_SIZE} alerts per POST /`, async () => {
  const ours = await load(`${hub.url}/`, ARRAY_SIZE);
  acknowledged += ours.requests.total * ARRAY_SIZE;
  record(atLeast(`ingest, arrays of ${ARRAY_SIZE}`, ours.requests.average * ARRAY_SIZE, 30_000, 'alerts/s'));
  record({ figure: `ingest latency p99, arrays of ${ARRAY_SIZE}`, value: `${ours.latency.p99} ms` });
  await recordCatchUp(`arrays of ${ARRAY_SIZE}`);
}, 420_000);
