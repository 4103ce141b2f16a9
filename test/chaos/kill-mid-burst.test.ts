/**
 * Guarantee 1: SIGKILL the hub during a sustained burst with a webhook output. Every alert it answered 2xx is in
 * Redis after the restart and reaches the receiver: zero lost. (integration/shutdown.test.ts proves it for SIGTERM
 * without delivery, integration/delivery-restart.test.ts for a kill during delivery of a fixed batch.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../apps/server/src/outputs/channels/testing/receiver.js';
import { listAllAlerts } from '../support/alerts.js';
import { startHubProcess, writeConfigFile } from '../support/hub.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { rulesOf, startBurst, undelivered } from './load.js';

let redis: TestRedis;
let receiver: Receiver;
beforeAll(async () => {
  redis = await startRedis();
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await redis.stop();
});

it('loses no acknowledged alert when SIGKILLed mid-burst, and delivers them all after the restart', async () => {
  // Slow answers keep deliveries in flight when the kill lands.
  receiver.respond((_req, res) => setTimeout(() => res.end('ok'), 20));
  const configFile = await writeConfigFile(
    `webhook:\n  address: ${receiver.url}\n  backoff: { initial: 100ms, max: 1s }\n`,
  );
  const env = {
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    CONFIG_FILE: configFile,
    HARRIER_INSTANCE: 'chaos-kill',
  };
  const first = await startHubProcess({ env });
  let url = first.url;
  const burst = startBurst(() => url, { senders: 8, label: 'kill' });
  await expect.poll(() => burst.acknowledged.size, { timeout: 20_000 }).toBeGreaterThan(1_000);
  await first.kill();
  const acknowledgedAtKill = burst.acknowledged.size;
  const deliveredAtKill = rulesOf(receiver.requests.map((r) => r.body)).size;

  const second = await startHubProcess({ env });
  url = second.url;
  try {
    // The burst goes on against the restarted hub for a moment: it must keep taking alerts, too.
    await expect.poll(() => burst.acknowledged.size, { timeout: 20_000 }).toBeGreaterThan(acknowledgedAtKill + 200);
    await burst.stop();
    const acknowledged = [...burst.acknowledged];

    const stored = new Set((await listAllAlerts(second.url)).map((a) => a.rule));
    expect(acknowledged.filter((rule) => !stored.has(rule))).toEqual([]);
    await expect
      .poll(() => undelivered(acknowledged, receiver).length, {
        timeout: 120_000,
        interval: 1_000,
      })
      .toBe(0);
    const refused = [...burst.refused].map(([status, n]) => `${status || 'no answer'}×${n}`).join(' ');
    console.log(
      `chaos kill: ${acknowledged.length} acknowledged (${acknowledgedAtKill} before the kill, ${deliveredAtKill} of them delivered by then), refused ${refused || 'none'}; after restart all ${acknowledged.length} stored and delivered, 0 lost`,
    );
  } finally {
    await burst.stop();
    await second.stop();
  }
});
