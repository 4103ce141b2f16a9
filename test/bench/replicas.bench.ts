/**
 * Two replicas: two built hub processes (run `pnpm build` first) on one Redis, each with a dashboard socket and the
 * same webhook output. Alerts are posted alternately to each; every alert must reach the socket on the other
 * replica (the issue: within a second) and the webhook exactly once.
 */
import type { Alert } from '@harrier/alert';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../apps/server/src/outputs/channels/testing/receiver.js';
import { falcoAlert } from '../support/alerts.js';
import { startHubProcess, type HubProcess } from '../support/hub.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { atLeast, atMost, benchFigures, percentile } from './support/figures.js';

const ALERTS = Number(process.env['BENCH_REPLICA_ALERTS'] ?? 2_000);
const CONCURRENCY = 16;

const { rows: figures, record } = benchFigures('replicas');

let redis: TestRedis;
let receiver: Receiver;
let hubs: HubProcess[] = [];
let sockets: Socket[] = [];
beforeAll(async () => {
  redis = await startRedis();
  receiver = await startReceiver();
  hubs = await Promise.all(
    ['a', 'b'].map((name) =>
      startHubProcess({
        env: {
          REDIS_URL: redis.url,
          REDIS_KEY_PREFIX: `${redis.prefix}replicas:`,
          HARRIER_INSTANCE: `bench-${name}`,
          WEBHOOK_ADDRESS: receiver.url,
          LOG_LEVEL: 'warn',
        },
      }),
    ),
  );
  sockets = hubs.map((hub) => io(hub.url, { transports: ['websocket'], reconnection: false }));
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.once('connect', () => resolve()))));
  for (const socket of sockets)
    expect(await socket.emitWithAck('subscribe', { q: 'replica bench' })).toEqual({ ok: true });
}, 60_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await Promise.all(hubs.map((hub) => hub.stop()));
  await receiver?.close();
  await redis?.stop();
  console.log(`\nTwo replicas on one Redis (${ALERTS} alerts posted alternately)`);
  console.table(figures);
});

it('streams every alert to the other replica and delivers it once', async () => {
  const sentAt = new Map<string, number>();
  /** Per socket: rule → when it arrived. */
  const arrived = sockets.map(() => new Map<string, number>());
  let repeats = 0;
  sockets.forEach((socket, i) =>
    socket.on('alert', (alert: Alert) => {
      if (arrived[i]!.has(alert.rule)) repeats++;
      arrived[i]!.set(alert.rule, Date.now());
    }),
  );
  const rules = Array.from({ length: ALERTS }, (_, i) => `replica bench ${i}`);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < rules.length) {
        const i = next++;
        sentAt.set(rules[i]!, Date.now());
        const res = await fetch(`${hubs[i % 2]!.url}/`, {
          method: 'POST',
          body: JSON.stringify(falcoAlert({ rule: rules[i] })),
        });
        expect(res.status).toBe(200);
      }
    }),
  );
  const perSecond = ALERTS / ((performance.now() - started) / 1000);
  const delivered = () => receiver.requests.filter((r) => r.body.includes('replica bench')).length;
  await expect.poll(() => Math.min(...arrived.map((a) => a.size)), { timeout: 30_000 }).toBe(ALERTS);
  await expect.poll(delivered, { timeout: 60_000 }).toBeGreaterThanOrEqual(ALERTS);
  await new Promise((r) => setTimeout(r, 1_000));

  // The latency that matters: an alert posted to one replica, seen by the dashboard on the other.
  const crossLatencies = rules
    .map((rule, i) => arrived[(i + 1) % 2]!.get(rule)! - sentAt.get(rule)!)
    .sort((a, b) => a - b);
  const deliveredRules = receiver.requests
    .map((r) => (JSON.parse(r.body) as { rule: string }).rule)
    .filter((rule) => rule.startsWith('replica bench'));
  const once = new Set(deliveredRules);
  record({
    figure: `ingest split across two replicas (${CONCURRENCY} senders in the bench process)`,
    value: `${Math.round(perSecond)} alerts/s`,
  });
  record(
    atLeast('alerts streamed to the dashboard on the other replica', crossLatencies.length, ALERTS, `of ${ALERTS}`),
  );
  record(atMost('cross-replica stream latency p99', percentile(crossLatencies, 99), 1_000, 'ms', 0));
  record({ figure: 'cross-replica stream latency p50', value: `${percentile(crossLatencies, 50)} ms` });
  record({
    figure: 'webhook deliveries (exactly once each)',
    value: `${deliveredRules.length} for ${once.size} alerts, ${repeats} repeated on sockets`,
    target: `${ALERTS} for ${ALERTS}, 0 repeated`,
    met: deliveredRules.length === ALERTS && once.size === ALERTS && repeats === 0,
  });
}, 180_000);
