/**
 * Guarantee 2: Redis stopped for 10 s during ingest. The hub answers 503 (never 2xx) for what it cannot persist,
 * /healthz reports the outage, and everything recovers by itself when Redis returns: ingest, delivery, and the
 * live stream of a dashboard connected throughout.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Alert } from '@harrier/alert';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../apps/server/src/outputs/channels/testing/receiver.js';
import { falcoAlert, listAllAlerts } from '../support/alerts.js';
import { postAlert, startHubProcess, writeConfigFile, type HubProcess } from '../support/hub.js';
import { startStoppableRedis, type StoppableRedis } from '../support/redis.js';
import { startBurst, undelivered } from './load.js';

const OUTAGE_MS = 10_000;

let redis: StoppableRedis;
let receiver: Receiver;
let hub: HubProcess;
beforeAll(async () => {
  redis = await startStoppableRedis();
  receiver = await startReceiver();
  const configFile = await writeConfigFile(
    `webhook:\n  address: ${receiver.url}\n  backoff: { initial: 100ms, max: 1s }\n`,
  );
  hub = await startHubProcess({
    env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix, CONFIG_FILE: configFile },
  });
});
afterAll(async () => {
  await hub?.stop();
  await receiver.close();
  await redis.stop();
});

async function healthz(): Promise<{ status: number; body: { store: { ok: boolean; error?: string } } }> {
  const res = await fetch(`${hub.url}/healthz`, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: (await res.json()) as { store: { ok: boolean; error?: string } } };
}

it('answers 503 while Redis is down, reports it, and recovers by itself', async () => {
  const socket = io(hub.url, { transports: ['websocket'] });
  const live: string[] = [];
  socket.on('alert', (alert: Alert) => live.push(alert.rule));
  await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
  await socket.emitWithAck('subscribe', {});

  const burst = startBurst(() => hub.url, { senders: 4, label: 'outage', pauseMs: 10 });
  try {
    await expect.poll(() => burst.acknowledged.size, { timeout: 10_000 }).toBeGreaterThan(100);
    const downAt = Date.now();
    await redis.down();
    await expect.poll(async () => (await healthz()).status, { timeout: 5_000 }).toBe(503);
    const during = await healthz();
    expect(during.body.store.ok).toBe(false);
    const ackedWhenDown = burst.acknowledged.size;
    const fromAnswer = burst.timeline.length;
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    // Every answer given while Redis was down (once it was seen down): 503, none 2xx.
    const outageAnswers = burst.timeline.slice(fromAnswer).map(([, status]) => status);
    const slowest503 = Math.max(...burst.timeline.slice(fromAnswer).map(([, , ms]) => ms));
    await redis.up();
    const upAt = Date.now();

    await expect.poll(async () => (await healthz()).status, { timeout: 20_000 }).toBe(200);
    await expect.poll(() => burst.acknowledged.size, { timeout: 20_000 }).toBeGreaterThan(ackedWhenDown + 100);
    const recoveredInMs = Date.now() - upAt;
    await burst.stop();

    const statusesDuringOutage = new Set(burst.refused.keys());
    expect([...statusesDuringOutage].filter((s) => s !== 503)).toEqual([]);
    expect(burst.refused.get(503) ?? 0).toBeGreaterThan(0);
    expect(outageAnswers.length).toBeGreaterThan(0);
    expect(outageAnswers.filter((status) => status !== 503)).toEqual([]);

    const acknowledged = [...burst.acknowledged];
    const stored = new Set((await listAllAlerts(hub.url)).map((a) => a.rule));
    expect(acknowledged.filter((rule) => !stored.has(rule))).toEqual([]);
    await expect
      .poll(() => undelivered(acknowledged, receiver).length, {
        timeout: 60_000,
        interval: 1_000,
      })
      .toBe(0);

    // The dashboard's socket, connected throughout, gets new alerts again.
    await postAlert(hub.url, falcoAlert({ rule: 'after the outage' }));
    await expect.poll(() => live.includes('after the outage'), { timeout: 10_000 }).toBe(true);
    console.log(
      `chaos redis: ${OUTAGE_MS / 1000} s outage; ${acknowledged.length} acknowledged, all stored and delivered; ${burst.refused.get(503)} answered 503 (${outageAnswers.length} while it was down, the slowest after ${slowest503} ms), no other refusal; /healthz 503 during, ingest back ${recoveredInMs} ms after Redis`,
    );
  } finally {
    await burst.stop();
    socket.close();
  }
});
