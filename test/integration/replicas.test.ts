/**
 * Two hub replicas on one Redis: live alerts cross replicas, each alert is delivered once per output, and ended
 * credentials close their sockets on every replica.
 */
import type { Alert } from '@harrier/alert';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../apps/server/src/outputs/channels/testing/receiver.js';
import { falcoAlert } from '../support/alerts.js';
import { startHub, type RunningHub } from '../support/app.js';
import { CSRF, login, TEST_USER } from '../support/auth.js';
import { startRedis, type TestRedis } from '../support/redis.js';

let redis: TestRedis;
let receiver: Receiver;
let second: Receiver;
let a: RunningHub;
let b: RunningHub;

beforeAll(async () => {
  redis = await startRedis();
  receiver = await startReceiver();
  second = await startReceiver();
  const file = {
    webhook: { address: receiver.url },
    outputs: [{ name: 'second', type: 'webhook', address: second.url }],
  };
  const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix };
  a = await startHub({ ...env, HARRIER_INSTANCE: 'replica-a' }, file);
  b = await startHub({ ...env, HARRIER_INSTANCE: 'replica-b' }, file);
});
afterAll(async () => {
  await a.close();
  await b.close();
  await receiver.close();
  await second.close();
  await redis.stop();
});

async function post(hub: RunningHub, rule: string): Promise<void> {
  const res = await fetch(`${hub.url}/`, { method: 'POST', body: JSON.stringify(falcoAlert({ rule })) });
  expect(res.status).toBe(200);
}

it('streams an alert posted to replica A to a dashboard on replica B within a second', async () => {
  const socket = io(b.url, { transports: ['websocket'], reconnection: false });
  const received: { rule: string; at: number }[] = [];
  socket.on('alert', (alert: Alert) => received.push({ rule: alert.rule, at: Date.now() }));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  expect(await socket.emitWithAck('subscribe', { rule: ['Cross replica'] })).toEqual({ ok: true });
  const sentAt = Date.now();
  await post(a, 'Cross replica');
  await post(a, 'Not subscribed');
  await expect.poll(() => received.map((r) => r.rule), { timeout: 1_000 }).toEqual(['Cross replica']);
  expect(received[0]!.at - sentAt).toBeLessThan(1_000);
  socket.close();
});

it('delivers each alert once to the output although both replicas work the queue', async () => {
  const rules = Array.from({ length: 40 }, (_, i) => `once ${i}`);
  await Promise.all(rules.map((rule, i) => post(i % 2 === 0 ? a : b, rule)));
  const delivered = () =>
    receiver.requests.map((r) => (JSON.parse(r.body) as { rule: string }).rule).filter((r) => r.startsWith('once'));
  await expect.poll(() => delivered().length, { timeout: 10_000 }).toBe(40);
  await new Promise((r) => setTimeout(r, 500));
  expect(delivered().sort()).toEqual([...rules].sort());
});

it('splits ingest across both replicas: every alert streams to a dashboard on each and reaches each output once', async () => {
  const sockets = [a, b].map((hub) => io(hub.url, { transports: ['websocket'], reconnection: false }));
  const streamed = sockets.map(() => [] as string[]);
  sockets.forEach((socket, i) => socket.on('alert', (alert: Alert) => streamed[i]!.push(alert.rule)));
  await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.once('connect', () => resolve()))));
  for (const socket of sockets) expect(await socket.emitWithAck('subscribe', { q: 'split ' })).toEqual({ ok: true });

  // Single alerts and arrays, alternating between the replicas, concurrently.
  const rules = Array.from({ length: 120 }, (_, i) => `split ${i}`);
  await Promise.all([
    ...rules.slice(0, 60).map((rule, i) => post(i % 2 === 0 ? a : b, rule)),
    ...[0, 1, 2].map(async (k) => {
      const batch = rules.slice(60 + k * 20, 80 + k * 20).map((rule) => falcoAlert({ rule }));
      const res = await fetch(`${(k % 2 === 0 ? b : a).url}/`, { method: 'POST', body: JSON.stringify(batch) });
      expect(res.status).toBe(200);
    }),
  ]);

  const sorted = [...rules].sort();
  for (const got of streamed) await expect.poll(() => [...got].sort(), { timeout: 2_000 }).toEqual(sorted);
  const deliveredTo = (r: Receiver) =>
    r.requests.map((req) => (JSON.parse(req.body) as { rule: string }).rule).filter((rule) => rule.startsWith('split'));
  for (const r of [receiver, second]) await expect.poll(() => deliveredTo(r).length, { timeout: 10_000 }).toBe(120);
  await new Promise((r) => setTimeout(r, 500));
  for (const r of [receiver, second]) expect(deliveredTo(r).sort()).toEqual(sorted);
  for (const got of streamed) expect(got).toHaveLength(120);
  // Both replicas list all of them, from the one store.
  for (const hub of [a, b]) {
    const page = (await (await fetch(`${hub.url}/api/v1/alerts?q=split%20&limit=1000`)).json()) as { alerts: Alert[] };
    expect(page.alerts.map((x) => x.rule).sort()).toEqual(sorted);
  }
  for (const socket of sockets) socket.close();
});

it("closes a session's and a token's sockets on the other replica at once when they end on this one", async () => {
  const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: `${redis.prefix}auth:`, AUTH_USERS: TEST_USER.htpasswd };
  const [first, other] = [await startHub({ ...env, HARRIER_INSTANCE: 'auth-a' }), await startHub(env)];
  try {
    const cookie = await login(first.url);
    const created = await fetch(`${first.url}/api/v1/auth/tokens`, {
      method: 'POST',
      headers: { cookie, ...CSRF, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'replica', scope: 'read' }),
    });
    const { id, token } = (await created.json()) as { id: string; token: string };
    /** A socket on the other replica; resolves, once connected, with `closed`: why the hub closed it. */
    const open = async (options: { cookie?: string; token?: string }) => {
      const socket = io(other.url, {
        transports: ['websocket'],
        reconnection: false,
        extraHeaders: options.cookie ? { cookie: options.cookie, origin: other.url } : {},
        ...(options.token ? { auth: { token: options.token } } : {}),
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      return { closed: new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason))) };
    };
    const bySession = (await open({ cookie })).closed;
    const byToken = (await open({ token })).closed;
    const started = Date.now();
    // Revoked with the session that the first socket holds, which then logs out.
    expect(
      (await fetch(`${first.url}/api/v1/auth/tokens/${id}`, { method: 'DELETE', headers: { cookie, ...CSRF } })).status,
    ).toBe(204);
    expect(
      (await fetch(`${first.url}/api/v1/auth/logout`, { method: 'POST', headers: { cookie, ...CSRF } })).status,
    ).toBe(204);
    expect(await Promise.all([bySession, byToken])).toEqual(['io server disconnect', 'io server disconnect']);
    // Far sooner than the one-minute sweep that would otherwise catch it.
    expect(Date.now() - started).toBeLessThan(5_000);
  } finally {
    await first.close();
    await other.close();
  }
});
