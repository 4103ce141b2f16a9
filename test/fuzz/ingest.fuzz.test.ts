/**
 * Random and mutated payloads against the built hub (a real process): POST /, POST /k8s-audit, the alerts API's
 * query parameters and socket subscriptions. Never a 5xx, never a crash, memory stable.
 */
import fc from 'fast-check';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { falcoAlert } from '../support/alerts.js';
import { hubRssBytes, startHubProcess, type HubProcess } from '../support/hub.js';
import { body, contentTypes, hostileJson, RUNS } from './payloads.js';

let hub: HubProcess;
beforeAll(async () => {
  // A small store so stored alerts do not count as growth.
  hub = await startHubProcess({ env: { MEMORY_MAX_ALERTS: '200', LOG_LEVEL: 'error' } });
});
afterAll(async () => {
  await hub?.stop();
});

const auditEvent = {
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  auditID: 'fuzz',
  stage: 'ResponseComplete',
  verb: 'create',
  requestURI: '/api/v1/namespaces/default/pods/web/exec',
  objectRef: { resource: 'pods', subresource: 'exec', namespace: 'default', name: 'web' },
  user: { username: 'bob', groups: ['system:authenticated'] },
  sourceIPs: ['10.0.0.1'],
  responseStatus: { code: 101 },
  stageTimestamp: new Date().toISOString(),
};

const statuses = new Map<number, number>();
async function post(path: string, payload: string | Uint8Array, contentType: string): Promise<number> {
  const res = await fetch(`${hub.url}${path}`, {
    method: 'POST',
    headers: contentType ? { 'content-type': contentType } : {},
    body: payload,
  });
  await res.arrayBuffer();
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  return res.status;
}

const noServerError = (status: number) => status >= 200 && status < 500;

async function fuzzIngest(): Promise<void> {
  await fc.assert(
    fc.asyncProperty(body(falcoAlert(), ['output_fields']), contentTypes, async (payload, type) => {
      expect(noServerError(await post('/', payload, type))).toBe(true);
    }),
    { numRuns: RUNS },
  );
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        body(auditEvent, ['annotations', 'requestObject']),
        body({ kind: 'EventList', items: [auditEvent] }, ['items']),
      ),
      contentTypes,
      async (payload, type) => {
        expect(noServerError(await post('/k8s-audit', payload, type))).toBe(true);
      },
    ),
    { numRuns: RUNS },
  );
}

it('answers every hostile ingest with 2xx or 4xx, stays up, and its memory settles', async () => {
  await fuzzIngest();
  const warm = await hubRssBytes(hub.url);
  await fuzzIngest();
  await fuzzIngest();
  const after = await hubRssBytes(hub.url);
  console.log(
    `fuzz ingest: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}; RSS ${(warm / 2 ** 20).toFixed(0)} MiB after the first round, ${(after / 2 ** 20).toFixed(0)} MiB after two more`,
  );
  expect(statuses.has(200)).toBe(true);
  expect(statuses.has(400)).toBe(true);
  expect(after - warm).toBeLessThan(64 * 2 ** 20);
  expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
});

const PARAMS = [
  'priority',
  'rule',
  'namespace',
  'pod',
  'source',
  'hostname',
  'tags',
  'since',
  'until',
  'limit',
  'cursor',
  'q',
];

it('answers every hostile query with 2xx or 4xx', async () => {
  const params = fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...PARAMS), fc.string({ maxLength: 10 })),
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.integer().map(String),
        fc.constant('x'.repeat(20_000)),
      ),
    ),
    { maxLength: 6 },
  );
  const paths = fc.constantFrom(
    '/api/v1/alerts',
    '/api/v1/alerts/stats',
    '/api/v1/outputs/webhook/dead-letters',
    '/api/v1/rules',
  );
  await fc.assert(
    fc.asyncProperty(paths, params, fc.string({ unit: 'binary', maxLength: 100 }), async (path, pairs, id) => {
      const search = new URLSearchParams(pairs).toString();
      for (const url of [`${path}?${search}`, `/api/v1/alerts/${encodeURIComponent(id)}?${search}`]) {
        const res = await fetch(`${hub.url}${url}`);
        await res.arrayBuffer();
        expect({ url, ok: noServerError(res.status) }).toEqual({ url, ok: true });
      }
    }),
    { numRuns: RUNS },
  );
});

it('answers every hostile socket subscription with an ack, never a dropped hub', async () => {
  const socket = io(hub.url, { transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.on('connect', resolve);
    socket.on('connect_error', reject);
  });
  try {
    await fc.assert(
      fc.asyncProperty(hostileJson, async (params) => {
        const ack: unknown = await socket.timeout(5_000).emitWithAck('subscribe', params);
        expect(typeof (ack as { ok?: unknown }).ok).toBe('boolean');
      }),
      { numRuns: RUNS },
    );
    expect(socket.connected).toBe(true);
  } finally {
    socket.close();
  }
});
