/** SIGTERM during a burst: every alert the hub answered 200 is in Redis afterwards; nothing acknowledged is lost. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { falcoAlert, listAllAlerts } from '../support/alerts.js';
import { startHubProcess } from '../support/hub.js';
import { startRedis, type TestRedis } from '../support/redis.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

it('keeps every acknowledged alert when stopped mid-burst, and stops cleanly', async () => {
  const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix };
  // A second replica, so that the stopping one is still telling it of alerts while it stops.
  const other = await startHubProcess({ env: { ...env, HARRIER_INSTANCE: 'other' } });
  const hub = await startHubProcess({ env });
  const acknowledged: string[] = [];
  let refused = 0;
  const send = async (i: number) => {
    const rule = `burst ${i}`;
    try {
      const res = await fetch(`${hub.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(falcoAlert({ rule })),
      });
      if (res.status === 200) acknowledged.push(rule);
      else refused++;
    } catch {
      refused++;
    }
  };
  // Eight concurrent senders; SIGTERM lands once the hub has taken some alerts.
  const senders = Array.from({ length: 8 }, async (_, s) => {
    for (let i = s; i < 4000; i += 8) await send(i);
  });
  await expect.poll(() => acknowledged.length, { timeout: 10_000 }).toBeGreaterThan(200);
  await hub.stop();
  await Promise.all(senders);
  expect(refused).toBeGreaterThan(0);
  expect(hub.logs()).not.toMatch(/Unhandled rejection|uncaught/i);
  await other.stop();

  const restarted = await startHubProcess({ env });
  try {
    const stored = new Set((await listAllAlerts(restarted.url)).map((a) => a.rule));
    expect(acknowledged.filter((rule) => !stored.has(rule))).toEqual([]);
  } finally {
    await restarted.stop();
  }
});
