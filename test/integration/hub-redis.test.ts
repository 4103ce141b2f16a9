/** The hub on Redis: alerts survive a restart; an unreachable Redis gives 503s, never a false 200. */
import type { Alert } from '@harrier/alert';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetentionService } from '../../apps/server/src/alerts/retention.service.js';
import { falcoAlert } from '../support/alerts.js';
import { startHub } from '../support/app.js';
import { freePort } from '../support/ports.js';
import { startRedis, startSentinel, type TestRedis } from '../support/redis.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

async function post(url: string, body: unknown): Promise<number> {
  const res = await fetch(`${url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.status;
}

describe('hub with REDIS_URL', () => {
  it('lists an alert posted before a restart after it', async () => {
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix };
    const first = await startHub(env);
    expect(await post(first.url, falcoAlert({ rule: 'Before restart' }))).toBe(200);
    await first.close();

    const second = await startHub(env);
    try {
      const res = await fetch(`${second.url}/api/v1/alerts?rule=Before%20restart`);
      const body = (await res.json()) as { alerts: Alert[] };
      expect(body.alerts.map((a) => a.rule)).toEqual(['Before restart']);
      const health = await fetch(`${second.url}/healthz`);
      expect(await health.json()).toEqual({
        status: 'ok',
        store: { kind: 'redis', ok: true, persistent: true },
        rules: { ok: true, errors: [] },
      });
    } finally {
      await second.close();
    }
  });

  it('trims alerts past the retention age, keeping the rest', async () => {
    const hub = await startHub({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `${redis.prefix}retention:`,
      RETENTION_MAX_AGE: '1h',
    });
    try {
      const old = new Date(Date.now() - 2 * 3_600_000).toISOString();
      expect(await post(hub.url, falcoAlert({ rule: 'Old', time: old }))).toBe(200);
      expect(await post(hub.url, falcoAlert({ rule: 'Recent' }))).toBe(200);
      expect(await hub.app.get(RetentionService).trim()).toBe(1);
      const body = (await (await fetch(`${hub.url}/api/v1/alerts`)).json()) as { alerts: Alert[] };
      expect(body.alerts.map((a) => a.rule)).toEqual(['Recent']);
    } finally {
      await hub.close();
    }
  });

  it('finds its Redis through Sentinel', async () => {
    const sentinel = await startSentinel(redis);
    // The URL's host is a dead end on purpose: with sentinels, they name the master.
    const hub = await startHub({
      REDIS_URL: 'redis://127.0.0.1:1',
      REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`,
      REDIS_KEY_PREFIX: `${redis.prefix}sentinel:`,
    });
    try {
      expect(await post(hub.url, falcoAlert({ rule: 'Through Sentinel' }))).toBe(200);
      const body = (await (await fetch(`${hub.url}/api/v1/alerts`)).json()) as { alerts: Alert[] };
      expect(body.alerts.map((a) => a.rule)).toEqual(['Through Sentinel']);
    } finally {
      await hub.close();
      await sentinel.stop();
    }
  });

  it('answers 503 on ingest and health when Redis is unreachable', async () => {
    const hub = await startHub({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    try {
      expect(await post(hub.url, falcoAlert())).toBe(503);
      const health = await fetch(`${hub.url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'error', store: { kind: 'redis', ok: false } });
    } finally {
      await hub.close();
    }
  });
});
