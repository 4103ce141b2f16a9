/** GET /api/v1/alerts/stats: the overview's counts for the filtered alerts, on the memory store and on Redis. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { falcoAlert } from '../support/alerts.js';
import { startHub, type RunningHub } from '../support/app.js';
import { startRedis, type TestRedis } from '../support/redis.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');
let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

describe.each([
  ['memory', () => ({})],
  ['Redis', () => ({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: `${redis.prefix}${randomUUID()}:` })],
])('on the %s store', (_name, env) => {
  let hub: RunningHub;
  beforeAll(async () => {
    hub = await startHub(env());
    const alerts = [
      { rule: 'Shell', priority: 'Notice', minute: 0, pod: 'web-1', tags: ['shell'] },
      { rule: 'Shell', priority: 'Notice', minute: 0, pod: 'web-2', tags: ['shell'] },
      { rule: 'Shell', priority: 'Critical', minute: 2, pod: 'web-1', tags: ['shell', 'mitre'] },
      { rule: 'Mount', priority: 'Warning', minute: 2, pod: 'api-1', tags: ['k8s'] },
    ];
    const bodies = alerts.map((a) =>
      falcoAlert({
        rule: a.rule,
        priority: a.priority,
        time: new Date(T0 + a.minute * 60_000 + 5_000).toISOString(),
        output_fields: { 'k8s.ns.name': 'prod', 'k8s.pod.name': a.pod },
        tags: a.tags,
      }),
    );
    expect((await fetch(`${hub.url}/`, { method: 'POST', body: JSON.stringify(bodies) })).status).toBe(200);
  });
  afterAll(async () => {
    await hub.close();
  });

  async function stats(query: string) {
    const res = await fetch(`${hub.url}/api/v1/alerts/stats?${query}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  const expected = {
    total: 4,
    byPriority: { Notice: 2, Warning: 1, Critical: 1, Error: 0 },
    top: {
      rule: [
        { value: 'Shell', count: 3 },
        { value: 'Mount', count: 1 },
      ],
      pod: [
        { value: 'web-1', count: 2 },
        { value: 'api-1', count: 1 },
        { value: 'web-2', count: 1 },
      ],
      tag: [
        { value: 'shell', count: 3 },
        { value: 'k8s', count: 1 },
        { value: 'mitre', count: 1 },
      ],
    },
    series: [
      { t: T0, counts: { Notice: 2 } },
      { t: T0 + 120_000, counts: { Critical: 1, Warning: 1 } },
    ],
    bucketMs: 60_000,
    truncated: false,
  };

  it('counts by priority, top values and a per-minute series from the counters', async () => {
    const { body } = await stats('since=2026-03-01T09:00:00Z');
    expect(body).toMatchObject({ ...expected, scanned: 0, source: 'counters' });
  });

  it('counts the alerts themselves for filters the counters cannot answer, with the same shape', async () => {
    const { body } = await stats('since=2026-03-01T09:00:00Z&namespace=prod');
    expect(body).toMatchObject({ ...expected, scanned: 4, source: 'scan' });
    const pod = await stats('pod=web-1');
    expect(pod.body).toMatchObject({ total: 2, byPriority: { Notice: 1, Critical: 1 }, source: 'scan' });
  });

  it('honours the priority filter and the bucket size', async () => {
    const { body } = await stats('priority=warning&bucket=1h&top=1');
    // Ties are broken by name.
    expect(body).toMatchObject({
      total: 2,
      top: { rule: [{ value: 'Mount', count: 1 }] },
      series: [{ t: T0, counts: { Warning: 1, Critical: 1 } }],
      source: 'counters',
    });
  });

  it('names bad parameters', async () => {
    const { status, body } = await stats('bucket=soon&top=1000&pod=');
    expect(status).toBe(400);
    expect((body['issues'] as { field: string }[]).map((i) => i.field).sort()).toEqual(['bucket', 'top']);
  });
});
