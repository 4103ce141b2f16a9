/**
 * Guarantee 5: 100 dashboards connected while ingest runs at full rate, ten of them frozen (their TCP reading
 * paused). The hub stays responsive, drops the frozen ones instead of buffering for them without limit, keeps
 * serving the others, and its memory stays bounded.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Alert } from '@harrier/alert';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { falcoAlert } from '../support/alerts.js';
import { hubRssBytes, postAlert, startHubProcess, type HubProcess } from '../support/hub.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { mib, startBurst } from './load.js';

const CLIENTS = 100;
const FROZEN = 10;
/** At least this long, and on until the hub has dropped every frozen client (at most MAX_LOAD_MS). */
const LOAD_MS = 15_000;
const MAX_LOAD_MS = 90_000;

let redis: TestRedis;
let hub: HubProcess;
beforeAll(async () => {
  redis = await startRedis();
  hub = await startHubProcess({ env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix, LOG_LEVEL: 'warn' } });
});
afterAll(async () => {
  await hub?.stop();
  await redis.stop();
});

interface Client {
  socket: Socket;
  received: number;
  rules: Set<string>;
  disconnected: boolean;
}

async function connectClient(): Promise<Client> {
  const socket = io(hub.url, { transports: ['websocket'], reconnection: false, forceNew: true });
  const client: Client = { socket, received: 0, rules: new Set(), disconnected: false };
  socket.on('alert', (alert: Alert) => {
    client.received++;
    if (alert.rule.startsWith('marker')) client.rules.add(alert.rule);
  });
  socket.on('disconnect', () => (client.disconnected = true));
  await new Promise<void>((resolve, reject) => {
    socket.on('connect', () => resolve());
    socket.on('connect_error', reject);
  });
  await socket.emitWithAck('subscribe', {});
  return client;
}

/** The client's TCP socket stops reading, as a frozen tab's would: the hub's writes back up. */
function tcpOf(client: Client): { pause(): void; resume(): void } {
  const engine = client.socket.io.engine as unknown as {
    transport: { ws: { _socket: { pause(): void; resume(): void } } };
  };
  return engine.transport.ws._socket;
}

it('stays responsive with 100 live clients during full-rate ingest, dropping the frozen ones', async () => {
  const clients: Client[] = [];
  for (let i = 0; i < CLIENTS; i++) clients.push(await connectClient());
  const frozen = clients.slice(0, FROZEN);
  const healthy = clients.slice(FROZEN);
  for (const client of frozen) tcpOf(client).pause();
  const rssBefore = await hubRssBytes(hub.url);

  // Alerts with long outputs (8 KiB, a long command line) fill a frozen client's kernel buffers within seconds.
  const burst = startBurst(() => hub.url, { senders: 8, label: 'flood', outputBytes: 8 * 1024 });
  const healthLatencies: number[] = [];
  let maxRss = rssBefore;
  const started = Date.now();
  const dropped = () => hub.logs().split('Dropped live-stream client').length - 1;
  while (Date.now() - started < MAX_LOAD_MS && (Date.now() - started < LOAD_MS || dropped() < FROZEN)) {
    const t = Date.now();
    const res = await fetch(`${hub.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    healthLatencies.push(Date.now() - t);
    expect(res.status).toBe(200);
    maxRss = Math.max(maxRss, await hubRssBytes(hub.url));
    await sleep(250);
  }
  await burst.stop();
  const loadMs = Date.now() - started;
  const rate = burst.acknowledged.size / (loadMs / 1000);

  // Every healthy client is still connected and gets what comes next.
  await postAlert(hub.url, falcoAlert({ rule: 'marker after the flood' }));
  await expect
    .poll(() => healthy.filter((c) => c.rules.has('marker after the flood')).length, { timeout: 30_000 })
    .toBe(healthy.length);
  expect(healthy.filter((c) => c.disconnected)).toEqual([]);

  // The frozen ones were dropped: once they read again they find their connection closed.
  for (const client of frozen) tcpOf(client).resume();
  await expect.poll(() => frozen.filter((c) => c.disconnected).length, { timeout: 60_000 }).toBe(FROZEN);
  const rssAfter = await hubRssBytes(hub.url);

  healthLatencies.sort((a, b) => a - b);
  const p95 = healthLatencies[Math.floor(healthLatencies.length * 0.95)]!;
  const max = healthLatencies.at(-1)!;
  const frozenReceived = frozen.map((c) => c.received);
  console.log(
    `chaos sockets: ${CLIENTS} clients (${FROZEN} frozen), ${burst.acknowledged.size} alerts in ${(loadMs / 1000).toFixed(0)} s (${rate.toFixed(0)}/s); /healthz p95 ${p95} ms, max ${max} ms; RSS ${mib(rssBefore)} before, peak ${mib(maxRss)}, ${mib(rssAfter)} after; healthy clients got all ${healthy[0]!.received}; frozen ones dropped after ${Math.min(...frozenReceived)}-${Math.max(...frozenReceived)} alerts read`,
  );
  expect(max).toBeLessThan(2_000);
  expect(maxRss - rssBefore).toBeLessThan(256 * 2 ** 20);
  for (const client of clients) client.socket.close();
});
