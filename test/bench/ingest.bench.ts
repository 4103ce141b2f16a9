/**
 * Ingest over HTTP as in production: the built hub (apps/server/dist, run `pnpm build` first) on a spawned Redis
 * with a webhook output to a local receiver, loaded by autocannon in its own process; in the same run a minimal
 * Fastify + ioredis server (parse JSON, write to Redis) is the floor-cost baseline, and our rate is printed as a
 * ratio of it. A minimal forwarder (the baseline plus one POST per alert to its own receiver) shows the floor cost
 * of an alert with one output: what the output alone takes from the ratio, and the end-to-end rate (acknowledged
 * and delivered) to compare ours with. Each process is separate, so the figures are those of a 2-core machine
 * shared by all of them.
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
let forwarderUrl: string;
/** The hub's webhook receiver and the forwarder's, each counting the alerts it was sent. */
const receivers = { hub: '', forwarder: '' };
beforeAll(async () => {
  redis = await startRedis();
  receivers.hub = `http://127.0.0.1:${await startHelper('sink-receiver.mjs', [])}`;
  receivers.forwarder = `http://127.0.0.1:${await startHelper('sink-receiver.mjs', [])}`;
  baselineUrl = `http://127.0.0.1:${await startHelper('baseline-server.mjs', [redis.url])}/`;
  forwarderUrl = `http://127.0.0.1:${await startHelper('baseline-server.mjs', [redis.url, `${receivers.forwarder}/`])}/`;
  hub = await startHubProcess({
    env: {
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `${redis.prefix}ingest:`,
      WEBHOOK_ADDRESS: `${receivers.hub}/`,
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

/** Alerts each receiver has been sent by now, once its sender catches up. */
const expected = { hub: 0, forwarder: 0 };

interface Run {
  load: LoadResult;
  /** Alerts acknowledged per second during the load. */
  rate: number;
  /** Seconds after the load until the receiver had every alert acknowledged. */
  catchUp: number;
  /** Alerts acknowledged and delivered per second: all of them over the load and the catch-up. */
  endToEnd: number;
}

/**
 * Loads `url` with alerts that go on to `receiver`. The rate counts alerts acknowledged; their deliveries share the
 * sender's CPU and may trail, so how long the receiver then waits for the last of them shows whether the rate is
 * sustainable with them, and the end-to-end rate counts both.
 */
async function run(url: string, arraySize: number, receiver: keyof typeof receivers): Promise<Run> {
  const result = await load(url, arraySize);
  const alerts = result.requests.total * arraySize;
  expected[receiver] += alerts;
  const ended = performance.now();
  let delivered = 0;
  while (performance.now() - ended < 300_000) {
    delivered = Number(await (await fetch(receivers[receiver])).text());
    if (delivered >= expected[receiver]) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(delivered, `${receiver}: every alert acknowledged is delivered`).toBeGreaterThanOrEqual(expected[receiver]);
  const catchUp = (performance.now() - ended) / 1000;
  return { load: result, rate: result.requests.average * arraySize, catchUp, endToEnd: alerts / (SECONDS + catchUp) };
}

const perSecond = (value: number) => `${Math.round(value)} alerts/s`;

/**
 * The floor-cost references: the baseline (parse, SET) and the minimal forwarder, which adds the one POST per alert
 * that an output costs; the forwarder against the baseline shows what the output alone takes from the ratio.
 */
async function references(arraySize: number, label: string): Promise<{ baseline: number; floor: number }> {
  const baseline = await load(baselineUrl, arraySize);
  const forwarder = await run(forwarderUrl, arraySize, 'forwarder');
  const baselineRate = baseline.requests.average * arraySize;
  record({ figure: `baseline (Fastify + ioredis SET), ${label}`, value: perSecond(baselineRate) });
  record({
    figure: `minimal forwarder (baseline + one POST per alert), ${label}`,
    value: `${perSecond(forwarder.rate)} (${(forwarder.rate / baselineRate).toFixed(2)} of the baseline); delivered end to end ${perSecond(forwarder.endToEnd)}`,
  });
  return { baseline: baselineRate, floor: forwarder.endToEnd };
}

it('single alerts: the hub against the minimal Fastify + ioredis baseline', async () => {
  const { baseline, floor } = await references(1, 'single alerts');
  const ours = await run(`${hub.url}/`, 1, 'hub');
  record(atLeast('ingest, single alert per POST /', ours.rate, 10_000, 'alerts/s'));
  record(atMost('ingest latency p99, single alerts', ours.load.latency.p99, 50, 'ms', 0));
  record({ figure: 'ingest latency p50, single alerts', value: `${ours.load.latency.p50} ms` });
  record(atLeast('ingest ratio to the baseline', ours.rate / baseline, 0.5, '', 2));
  recordDelivery(ours, floor, 'single alerts');
}, 420_000);

it(`batches: arrays of ${ARRAY_SIZE} alerts per POST /`, async () => {
  const { baseline, floor } = await references(ARRAY_SIZE, `arrays of ${ARRAY_SIZE}`);
  const ours = await run(`${hub.url}/`, ARRAY_SIZE, 'hub');
  record(atLeast(`ingest, arrays of ${ARRAY_SIZE}`, ours.rate, 30_000, 'alerts/s'));
  record({ figure: `ingest latency p99, arrays of ${ARRAY_SIZE}`, value: `${ours.load.latency.p99} ms` });
  record({ figure: `ingest ratio to the baseline, arrays of ${ARRAY_SIZE}`, value: (ours.rate / baseline).toFixed(2) });
  recordDelivery(ours, floor, `arrays of ${ARRAY_SIZE}`);
}, 420_000);

function recordDelivery(ours: Run, floor: number, label: string): void {
  record({
    figure: `webhook deliveries done after the load ended, ${label}`,
    value: `${ours.catchUp.toFixed(1)} s later`,
  });
  record({
    figure: `acknowledged and delivered end to end, ${label}`,
    value: `${perSecond(ours.endToEnd)} (${(ours.endToEnd / floor).toFixed(2)} of the minimal forwarder's)`,
  });
}
