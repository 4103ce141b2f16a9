/** GET /api/v1/alerts/:id/deliveries against real receivers and Redis: each routed output's outcome for one alert. */
import type { Alert, AlertDelivery } from '@harrier/alert';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReceiver, status, type Receiver } from '../../apps/server/src/outputs/channels/testing/receiver.js';
import { falcoAlert } from '../support/alerts.js';
import { startHub, type RunningHub } from '../support/app.js';
import { startRedis, type TestRedis } from '../support/redis.js';

let redis: TestRedis;
let good: Receiver;
let bad: Receiver;
let hub: RunningHub;

beforeAll(async () => {
  redis = await startRedis();
  good = await startReceiver();
  bad = await startReceiver();
  bad.respond(status(400, {}, 'no thanks'));
  hub = await startHub(
    { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix },
    {
      outputs: [
        { name: 'good', type: 'webhook', address: good.url },
        { name: 'bad', type: 'webhook', address: bad.url, attempts: 1 },
        { name: 'errors-only', type: 'webhook', address: good.url, minimumpriority: 'error' },
      ],
    },
  );
});
afterAll(async () => {
  await hub?.close();
  await good?.close();
  await bad?.close();
  await redis?.stop();
});

async function post(body: Record<string, unknown>): Promise<Alert> {
  const res = await fetch(`${hub.url}/`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  const page = (await (
    await fetch(`${hub.url}/api/v1/alerts?rule=${encodeURIComponent(String(body['rule']))}`)
  ).json()) as {
    alerts: Alert[];
  };
  return page.alerts[0]!;
}

async function deliveries(id: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${hub.url}/api/v1/alerts/${id}/deliveries`);
  return { status: res.status, body: await res.json() };
}

async function settled(id: string): Promise<AlertDelivery[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { body } = await deliveries(id);
    const rows = body as AlertDelivery[];
    if (rows.every((row) => row.state !== 'queued') || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('lists every output routing sent the alert to with its outcome, attempts and last error', async () => {
  const alert = await post(falcoAlert({ rule: 'Deliveries notice', priority: 'Notice' }));
  const rows = await settled(alert.id);
  expect(rows).toEqual([
    expect.objectContaining({ output: 'good', state: 'delivered', attempts: 1 }),
    expect.objectContaining({ output: 'bad', state: 'dead', attempts: 1 }),
  ]);
  expect(rows[1]!.lastError).toContain('400');
});

it('includes outputs whose minimum priority the alert meets', async () => {
  const alert = await post(falcoAlert({ rule: 'Deliveries critical', priority: 'Critical' }));
  const rows = await settled(alert.id);
  expect(rows.map((row) => [row.output, row.state])).toEqual([
    ['good', 'delivered'],
    ['bad', 'dead'],
    ['errors-only', 'delivered'],
  ]);
});

it('answers 404 for an alert it does not hold', async () => {
  expect((await deliveries('01ARZ3NDEKTSV4RRFFQ69G5FAV')).status).toBe(404);
  expect((await deliveries('not-an-id')).status).toBe(404);
});
