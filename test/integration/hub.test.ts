/** The hub over real HTTP and socket.io: Falco-compatible ingest, the query API, the live stream, health. */
import type { Alert } from '@harrier/alert';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../support/app.js';
import { falcoAlert } from '../support/alerts.js';

let hub: RunningHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.close();
});

async function post(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await fetch(`${hub.url}/`, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

async function list(
  query: string,
): Promise<{ status: number; body: { alerts: Alert[]; nextCursor: string | null; issues?: { field: string }[] } }> {
  const res = await fetch(`${hub.url}/api/v1/alerts?${query}`);
  return { status: res.status, body: (await res.json()) as never };
}

describe('POST / (Falco http_output)', () => {
  it('stores a Falco alert and answers 200 with an empty body', async () => {
    const res = await post(JSON.stringify(falcoAlert({ rule: 'Write below binary dir', priority: 'Error' })));
    expect(res).toEqual({ status: 200, text: '' });
    const { body } = await list('rule=Write%20below%20binary%20dir');
    expect(body.alerts).toHaveLength(1);
    const stored = body.alerts[0]!;
    expect(stored).toMatchObject({
      rule: 'Write below binary dir',
      priority: 'Error',
      source: 'syscall',
      hostname: 'node-a',
    });
    const one = await fetch(`${hub.url}/api/v1/alerts/${stored.id}`);
    expect(await one.json()).toEqual(stored);
  });

  it('adds custom fields, templated fields and tags, before the check that an alert has fields, as falcosidekick does', async () => {
    const enriched = await startHub({
      CUSTOMFIELDS: 'cluster:prod-eu',
      CUSTOMTAGS: 'prod',
      TEMPLATEDFIELDS: 'where:{{ .cluster }}/{{ or (index . "k8s.ns.name") "no namespace" }}',
    });
    try {
      const { output_fields: _none, ...bare } = falcoAlert({ rule: 'No fields of its own' });
      const res = await fetch(`${enriched.url}/`, { method: 'POST', body: JSON.stringify(bare) });
      expect(res.status).toBe(200);
      const page = (await (await fetch(`${enriched.url}/api/v1/alerts`)).json()) as { alerts: Alert[] };
      expect(page.alerts[0]!.output_fields).toEqual({ cluster: 'prod-eu', where: 'prod-eu/no namespace' });
      expect(page.alerts[0]!.tags).toContain('prod');
      // Without custom fields an alert must bring its own.
      expect((await post(JSON.stringify(bare))).status).toBe(400);
    } finally {
      await enriched.close();
    }
  });

  it("takes what falcosidekick's webui output posts, on falcosidekick-ui's ingest paths", async () => {
    for (const [path, rule] of [
      ['/api/v1/', 'From the webui output'],
      ['/api/v1/events/add', 'From the webui output, events/add'],
      ['/', 'From the webui output, old path'],
    ] as const) {
      const event = { uuid: '2b0b3d4e-8a4e-4c56-9c2b-0d4f7c1e9a11', ...falcoAlert({ rule }) };
      const res = await fetch(`${hub.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ event, outputs: ['Slack', 'WebUI'] }),
      });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      const { body } = await list(`rule=${encodeURIComponent(rule)}`);
      expect(body.alerts.map((a) => a.rule)).toEqual([rule]);
    }
  });

  it("takes a POST to any other path as falcosidekick's catch-all does, but not under /api/", async () => {
    const res = await fetch(`${hub.url}/falco/events?x=1`, {
      method: 'POST',
      body: JSON.stringify(falcoAlert({ rule: 'Posted to a path' })),
    });
    expect(res.status).toBe(200);
    expect((await list('rule=Posted%20to%20a%20path')).body.alerts).toHaveLength(1);
    const api = await fetch(`${hub.url}/api/v1/no-such-route`, {
      method: 'POST',
      body: JSON.stringify(falcoAlert({ rule: 'Not ingested' })),
    });
    expect(api.status).toBe(404);
    expect((await list('rule=Not%20ingested')).body.alerts).toHaveLength(0);
  });

  it('accepts any content type, as falcosidekick does (curl -d sends a form type)', async () => {
    const res = await post(JSON.stringify(falcoAlert({ rule: 'Form typed' })), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(200);
    expect((await list('rule=Form%20typed')).body.alerts).toHaveLength(1);
  });

  it('canonicalises priority case-insensitively, accepting info', async () => {
    await post(JSON.stringify(falcoAlert({ rule: 'Info rule', priority: 'info' })));
    expect((await list('rule=Info%20rule')).body.alerts[0]!.priority).toBe('Informational');
  });

  it.each([
    ['a bad priority', { priority: 'Bogus' }, 'priority'],
    ['an empty rule', { rule: '' }, 'rule'],
    ['a time that is not RFC 3339', { time: '17/05/2019' }, 'time'],
    ['output_fields that are not an object', { output_fields: 'x' }, 'output_fields'],
  ])('rejects %s with 400 naming the field', async (_what, override, field) => {
    const res = await post(JSON.stringify({ ...falcoAlert(), ...override }));
    expect(res.status).toBe(400);
    const body = JSON.parse(res.text) as { issues: { field: string }[] };
    expect(body.issues.map((i) => i.field)).toEqual([field]);
  });

  it('rejects a body that is not JSON with 400', async () => {
    expect((await post('not json')).status).toBe(400);
  });

  it('rejects prototype-polluting keys with 400', async () => {
    expect((await post('{"__proto__":{"polluted":true},"rule":"x"}')).status).toBe(400);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('rejects a body over the limit (1 MiB by default) with 413', async () => {
    const huge = JSON.stringify(falcoAlert({ output: 'a'.repeat(2 * 1024 * 1024) }));
    expect((await post(huge)).status).toBe(413);
  });
});

describe('POST / with a JSON array (batch ingest)', () => {
  it('stores every alert of the batch and answers with how many', async () => {
    const batch = ['Batch one', 'Batch two', 'Batch three'].map((rule) => falcoAlert({ rule }));
    const res = await post(JSON.stringify(batch));
    expect(res).toEqual({ status: 200, text: '{"stored":3}' });
    for (const { rule } of batch)
      expect((await list(`rule=${encodeURIComponent(String(rule))}`)).body.alerts).toHaveLength(1);
  });

  it('refuses the whole batch when one alert is bad, naming its index and field, and stores none', async () => {
    const res = await post(
      JSON.stringify([falcoAlert({ rule: 'Batch kept out' }), { ...falcoAlert(), priority: 'Nope' }]),
    );
    expect(res.status).toBe(400);
    expect((JSON.parse(res.text) as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual([
      '[1].priority',
    ]);
    expect((await list('rule=Batch%20kept%20out')).body.alerts).toHaveLength(0);
  });

  it('refuses an empty array', async () => {
    expect((await post('[]')).status).toBe(400);
  });
});

describe('GET /api/v1/alerts', () => {
  it('rejects bad parameters with 400 naming each one', async () => {
    const res = await list('priority=loud&limit=5000&colour=red');
    expect(res.status).toBe(400);
    expect(res.body.issues!.map((i) => i.field).sort()).toEqual(['colour', 'limit', 'priority']);
  });

  it('answers 404 for an unknown id', async () => {
    expect((await fetch(`${hub.url}/api/v1/alerts/01ARZ3NDEKTSV4RRFFQ69G5FAV`)).status).toBe(404);
  });
});

describe('live stream', () => {
  function connect(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = io(hub.url, { transports: ['websocket'], reconnection: false });
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  }

  it('pushes only alerts matching the subscribed filter, and nothing before subscribing', async () => {
    const errorsOnly = await connect();
    const unsubscribed = await connect();
    const received: Alert[] = [];
    const strays: Alert[] = [];
    errorsOnly.on('alert', (a: Alert) => received.push(a));
    unsubscribed.on('alert', (a: Alert) => strays.push(a));
    const ack = (await errorsOnly.emitWithAck('subscribe', { priority: 'error', pod: 'stream-pod' })) as {
      ok: boolean;
    };
    expect(ack).toEqual({ ok: true });

    await post(
      JSON.stringify(falcoAlert({ rule: 'Low', priority: 'Warning', output_fields: { 'k8s.pod.name': 'stream-pod' } })),
    );
    await post(
      JSON.stringify(
        falcoAlert({ rule: 'Other pod', priority: 'Critical', output_fields: { 'k8s.pod.name': 'other' } }),
      ),
    );
    await post(
      JSON.stringify(
        falcoAlert({ rule: 'High', priority: 'Critical', output_fields: { 'k8s.pod.name': 'stream-pod' } }),
      ),
    );
    await expect.poll(() => received.map((a) => a.rule)).toEqual(['High']);
    expect(strays).toEqual([]);
    errorsOnly.close();
    unsubscribed.close();
  });

  it('refuses a bad subscription with the issues', async () => {
    const socket = await connect();
    const ack = (await socket.emitWithAck('subscribe', { priority: 'loud' })) as {
      ok: boolean;
      issues: { field: string }[];
    };
    expect(ack.ok).toBe(false);
    expect(ack.issues.map((i) => i.field)).toEqual(['priority']);
    socket.close();
  });
});

describe('security headers', () => {
  it('sends a strict Content-Security-Policy and no-sniff, no-framing headers, and no CORS grant', async () => {
    const res = await fetch(`${hub.url}/api/v1/alerts`, { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('content-security-policy')).toMatch(
      /default-src 'self'.*script-src 'self'.*frame-ancestors 'none'/,
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('health', () => {
  it('answers /ping with pong and /healthz with ok and the store', async () => {
    expect(await (await fetch(`${hub.url}/ping`)).text()).toBe('pong\n');
    // Any method, as falcosidekick answers it (not the catch-all ingest).
    expect(await (await fetch(`${hub.url}/ping`, { method: 'POST', body: '{}' })).text()).toBe('pong\n');
    const res = await fetch(`${hub.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      store: { kind: 'memory', ok: true, persistent: false },
      rules: { ok: true, errors: [] },
    });
  });
});
