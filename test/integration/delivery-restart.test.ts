/** A hub SIGKILLed in the middle of delivering resumes after restart: every acknowledged alert reaches the webhook. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../apps/server/src/outputs/channels/testing/receiver.js';
import { falcoAlert } from '../support/alerts.js';
import { startHubProcess, writeConfigFile } from '../support/hub.js';
import { startRedis, type TestRedis } from '../support/redis.js';

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

it('loses nothing when killed mid-delivery', async () => {
  // A slow receiver keeps jobs in flight when the kill lands.
  receiver.respond((_req, res) => setTimeout(() => res.end('ok'), 100));
  const configFile = await writeConfigFile(
    `webhook:\n  address: ${receiver.url}\n  maxconcurrentrequests: 2\n  backoff: { initial: 100ms, max: 500ms }\n`,
  );
  const env = {
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    CONFIG_FILE: configFile,
    HARRIER_INSTANCE: 'replica-a',
  };

  const first = await startHubProcess({ env });
  const rules = Array.from({ length: 40 }, (_, i) => `kill test ${i}`);
  for (const rule of rules) {
    const res = await fetch(`${first.url}/`, { method: 'POST', body: JSON.stringify(falcoAlert({ rule })) });
    expect(res.status).toBe(200);
  }
  await expect.poll(() => receiver.requests.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
  await first.kill();
  const deliveredBeforeKill = new Set(receiver.requests.map((r) => (JSON.parse(r.body) as { rule: string }).rule)).size;
  expect(deliveredBeforeKill).toBeLessThan(rules.length);

  const second = await startHubProcess({ env });
  try {
    await expect
      .poll(() => new Set(receiver.requests.map((r) => (JSON.parse(r.body) as { rule: string }).rule)).size, {
        timeout: 30_000,
      })
      .toBe(rules.length);
  } finally {
    await second.stop();
  }
});
