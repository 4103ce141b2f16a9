/**
 * Guarantee 3: a webhook receiver refusing connections for a while; every alert is delivered once it is back.
 * The issue asks for 2 minutes; CI runs CHAOS_RECEIVER_OUTAGE_S (default 20 s) to keep its time sane: the retry
 * path is the same, only the number of backoff rounds differs. `CHAOS_RECEIVER_OUTAGE_S=120 pnpm test:chaos` runs
 * the full one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../apps/server/src/outputs/channels/testing/receiver.js';
import { startHubProcess, writeConfigFile, type HubProcess } from '../support/hub.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { startBurst, undelivered } from './load.js';

const OUTAGE_S = Number(process.env['CHAOS_RECEIVER_OUTAGE_S'] ?? 20);

let redis: TestRedis;
let receiver: Receiver;
let hub: HubProcess;
beforeAll(async () => {
  redis = await startRedis();
  receiver = await startReceiver();
  // Production-like retry settings: backoff capped at 10 s, plenty of attempts for a 2-minute outage.
  const configFile = await writeConfigFile(
    `webhook:\n  address: ${receiver.url}\n  attempts: 100\n  backoff: { initial: 500ms, max: 10s }\n`,
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

it(
  `delivers every alert after the receiver was down for ${OUTAGE_S} s`,
  { timeout: (2 * OUTAGE_S + 180) * 1000 },
  async () => {
    const burst = startBurst(() => hub.url, { senders: 2, label: 'receiver', pauseMs: 50 });
    try {
      await expect.poll(() => receiver.requests.length, { timeout: 10_000 }).toBeGreaterThan(20);
      await receiver.refuseConnections();
      const downAt = Date.now();
      await sleep(OUTAGE_S * 1000);
      const duringOutage = burst.acknowledged.size;
      await receiver.listenAgain();
      const upAt = Date.now();
      await burst.stop();
      const acknowledged = [...burst.acknowledged];
      expect([...burst.refused.keys()]).toEqual([]);

      await expect
        .poll(() => undelivered(acknowledged, receiver).length, {
          // Everything queued during the outage waits out its backoff (at most 10 s), then is caught up.
          timeout: (OUTAGE_S + 90) * 1000,
          interval: 1_000,
        })
        .toBe(0);
      const caughtUpMs = Date.now() - upAt;
      const dead = (await (await fetch(`${hub.url}/api/v1/outputs/webhook/dead-letters`)).json()) as unknown[];
      expect(dead).toEqual([]);
      console.log(
        `chaos receiver: down ${((upAt - downAt) / 1000).toFixed(0)} s while ingest went on (${duringOutage} acknowledged by its end, ${acknowledged.length} in all); all delivered ${caughtUpMs} ms after it returned, 0 dead letters`,
      );
    } finally {
      await burst.stop();
    }
  },
);
