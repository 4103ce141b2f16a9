/**
 * Fan-out through the hub to real receivers on loopback: routing, retries through every kind of fault,
 * dead letters and re-drive, the outputs API, metrics and falcosidekick's POST /test.
 */
import type { Alert } from '@harrier/alert';
import { afterEach, describe, expect, it } from 'vitest';
import {
  hang,
  startReceiver,
  status,
  type Receiver,
  type ReceivedRequest,
} from '../../apps/server/src/outputs/channels/testing/receiver.js';
import { falcoAlert } from '../support/alerts.js';
import { startHub, type RunningHub } from '../support/app.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  cleanup.push(() => r.close());
  return r;
}

async function hub(file: Record<string, unknown>, env: Record<string, string> = {}): Promise<RunningHub> {
  const h = await startHub(env, file);
  cleanup.push(() => h.close());
  return h;
}

async function post(h: RunningHub, alert: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${h.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alert),
  });
  expect(res.status).toBe(200);
}

const uuidOf = (req: ReceivedRequest) => (JSON.parse(req.body) as { uuid: string }).uuid;
const ruleOf = (req: ReceivedRequest) => (JSON.parse(req.body) as { rule: string }).rule;

const REFUSED_MS = 60_000;
const fastRetries = { timeout: '300ms', attempts: 1000, backoff: { initial: '50ms', max: '400ms' }, maxage: '10m' };

describe('webhook fan-out', () => {
  it('routes by minimumpriority, rule glob, namespace and exclude, to named instances', async () => {
    const errors = await receiver();
    const shells = await receiver();
    const h = await hub({
      webhook: { address: errors.url, minimumpriority: 'error' },
      outputs: [
        {
          name: 'shells',
          type: 'webhook',
          address: shells.url,
          route: { rules: ['Terminal shell*'], namespaces: ['pay*'] },
          exclude: { pods: ['debug-*'] },
        },
      ],
    });
    await post(
      h,
      falcoAlert({
        rule: 'Terminal shell in container',
        priority: 'Notice',
        output_fields: { 'k8s.ns.name': 'payments', 'k8s.pod.name': 'api-1' },
      }),
    );
    await post(
      h,
      falcoAlert({
        rule: 'Terminal shell in container',
        priority: 'Notice',
        output_fields: { 'k8s.ns.name': 'payments', 'k8s.pod.name': 'debug-1' },
      }),
    );
    await post(
      h,
      falcoAlert({
        rule: 'Terminal shell in container',
        priority: 'Critical',
        output_fields: { 'k8s.ns.name': 'default' },
      }),
    );
    await post(h, falcoAlert({ rule: 'Write below binary dir', priority: 'Warning' }));
    await expect.poll(() => errors.requests.map(ruleOf)).toEqual(['Terminal shell in container']);
    await expect.poll(() => shells.requests.length).toBe(1);
    expect(JSON.parse(shells.requests[0]!.body)).toMatchObject({ output_fields: { 'k8s.pod.name': 'api-1' } });
  });

  it(
    'delivers every alert through 500s, 429 with Retry-After, hangs and a minute of refused connections',
    { timeout: REFUSED_MS + 30_000 },
    async () => {
      const r = await receiver();
      const h = await hub({ webhook: { address: r.url, ...fastRetries } });
      let calls = 0;
      let refusedUntil = 0;
      r.respond((req, res) => {
        calls++;
        if (calls <= 4) return status(500)(req, res);
        if (calls <= 8) return status(429, { 'retry-after': '1' })(req, res);
        if (calls <= 10) return hang(req, res);
        if (calls === 11) {
          // The receiver goes away: connections are refused for a minute, then it is back.
          refusedUntil = Date.now() + REFUSED_MS;
          void r.refuseConnections().then(() => setTimeout(() => void r.listenAgain(), REFUSED_MS));
          return;
        }
        res.end('ok');
      });
      for (let i = 0; i < 6; i++) await post(h, falcoAlert({ rule: `fault ${i}` }));
      await expect.poll(() => new Set(okRequests(r).map(ruleOf)).size, { timeout: REFUSED_MS + 20_000 }).toBe(6);
      expect(okRequests(r)[0]!.receivedAt).toBeGreaterThanOrEqual(refusedUntil);
      // Each alert succeeded once: retries stop at the first success.
      const okCounts = countBy(okRequests(r).map(uuidOf));
      expect(Object.values(okCounts)).toEqual([1, 1, 1, 1, 1, 1]);
      // After a 429 with Retry-After: 1, the same alert was not tried again within the second.
      for (const [i, req] of r.requests.entries()) {
        if (i < 4 || i >= 8) continue;
        const next = r.requests.slice(i + 1).find((later) => uuidOf(later) === uuidOf(req));
        expect(next!.receivedAt - req.receivedAt).toBeGreaterThanOrEqual(950);
      }
    },
  );

  it('buries an alert the receiver rejects for good, lists it, and re-drives it', async () => {
    const r = await receiver();
    const h = await hub({ webhook: { address: r.url, ...fastRetries } });
    r.respond(status(400, {}, 'bad payload'));
    await post(h, falcoAlert({ rule: 'Rejected' }));
    type Letter = { job: { id: string; alert: Alert }; error: string };
    let letters: Letter[] = [];
    await expect
      .poll(async () => {
        letters = (await (await fetch(`${h.url}/api/v1/outputs/webhook/dead-letters`)).json()) as Letter[];
        return letters.length;
      })
      .toBe(1);
    expect(letters[0]!.error).toMatch(/400/);
    expect(r.requests).toHaveLength(1);

    const outputs = (await (await fetch(`${h.url}/api/v1/outputs`)).json()) as {
      name: string;
      depth: { dead: number };
    }[];
    expect(outputs).toMatchObject([{ name: 'webhook', type: 'webhook', depth: { dead: 1 }, counters: { dead: 1 } }]);

    r.respond(status(204));
    const res = await fetch(`${h.url}/api/v1/outputs/webhook/dead-letters/redrive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ids: [letters[0]!.job.id] }),
    });
    expect(await res.json()).toEqual({ redriven: 1 });
    await expect.poll(() => r.requests.length).toBe(2);
    expect(ruleOf(r.requests[1]!)).toBe('Rejected');
  });

  it('sends falcosidekick’s test alert to every output whatever its filters, and counts it in /metrics', async () => {
    const r = await receiver();
    const h = await hub({ webhook: { address: r.url, minimumpriority: 'emergency' } });
    const res = await fetch(`${h.url}/test`, { method: 'POST' });
    expect(res.status).toBe(200);
    await expect.poll(() => r.requests.map(ruleOf)).toEqual(['Test rule']);
    await expect
      .poll(
        async () =>
          (await (await fetch(`${h.url}/metrics`)).text()).match(
            /falcosecurity_falcosidekick_outputs_total\{destination="webhook",status="ok"\} (\d+)/,
          )?.[1],
      )
      .toBe('1');
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/falcosecurity_falcosidekick_inputs_total\{source="requests",status="accepted"\} 1/);
    expect(metrics).toMatch(/harrier_delivery_queue_depth\{output="webhook",state="queued"\} 0/);
  });

  it('never shows a secret in the outputs API', async () => {
    const r = await receiver();
    const h = await hub({
      webhook: { address: r.url, customheaders: { Authorization: 'Bearer s3cr3t-token' }, hmacsecret: 'hmac-s3cr3t' },
    });
    const body = await (await fetch(`${h.url}/api/v1/outputs`)).text();
    expect(body).toContain('webhook');
    expect(body).not.toContain('s3cr3t');
  });
});

function okRequests(r: Receiver): ReceivedRequest[] {
  return r.requests.filter((req) => req.answeredStatus === 200);
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
