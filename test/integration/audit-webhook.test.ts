/** kube-apiserver's audit webhook into the hub: events run through the default rules; alerts stored and streamed. */
import type { Alert } from '@harrier/alert';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../support/app.js';
import { podCreated } from '../support/audit.js';

let hub: RunningHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.close();
});

async function postAudit(body: string, contentType = 'application/json', path = '/k8s-audit') {
  const res = await fetch(`${hub.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('POST /k8s-audit', () => {
  it('turns an EventList with one sensitive-mount pod and one harmless pod into exactly one alert, stored and streamed', async () => {
    const socket = io(hub.url, { transports: ['websocket'], reconnection: false });
    const streamed: Alert[] = [];
    socket.on('alert', (a: Alert) => streamed.push(a));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    await socket.emitWithAck('subscribe', { source: 'k8s_audit' });

    const list = {
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1',
      items: [podCreated('docker-sock-reader', ['/var/run/docker.sock']), podCreated('harmless', ['/srv/data'])],
    };
    const res = await postAudit(JSON.stringify(list));
    expect(res).toEqual({ status: 200, body: { events: 2, alerts: 1, skipped: [] } });

    const stored = (await (await fetch(`${hub.url}/api/v1/alerts?source=k8s_audit`)).json()) as { alerts: Alert[] };
    expect(stored.alerts).toHaveLength(1);
    const [alert] = stored.alerts;
    expect(alert).toMatchObject({
      rule: 'Harrier: Pod Mounts Sensitive Host Path',
      priority: 'Warning',
      source: 'k8s_audit',
    });
    expect(alert!.output).toContain('pod=docker-sock-reader');
    // Filed under the pod's namespace, so the dashboard's namespace filter finds it.
    const byNamespace = (await (await fetch(`${hub.url}/api/v1/alerts?namespace=payments`)).json()) as {
      alerts: Alert[];
    };
    expect(byNamespace.alerts.map((a) => a.id)).toEqual([alert!.id]);
    await expect.poll(() => streamed.map((a) => a.id)).toEqual([alert!.id]);
    socket.close();
  });

  it('reads JSON lines too, skipping lines that are not audit events with the reason', async () => {
    const lines = [JSON.stringify(podCreated('jsonl-sock', ['/proc'])), '{"kind": 0}', 'not json'].join('\n');
    const res = await postAudit(lines, 'text/plain');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ events: 1, alerts: 1 });
    expect((res.body['skipped'] as { line: number }[]).map((s) => s.line)).toEqual([2, 3]);
    // With a trailing slash it is the same route, its body still read as text.
    const slashed = await postAudit(lines.replace('jsonl-sock', 'jsonl-slash'), 'text/plain', '/k8s-audit/');
    expect(slashed).toMatchObject({ status: 200, body: { events: 1, alerts: 1 } });
  });

  it.each([
    ['a JSON value that is not an audit event', '{"hello": "world"}'],
    ['an event without stageTimestamp', JSON.stringify({ ...podCreated('x', []), stageTimestamp: undefined })],
    ['an empty body', ' '],
  ])('answers 400 with the reason for %s', async (_what, body) => {
    const res = await postAudit(body);
    expect(res.status).toBe(400);
    expect(String(res.body['message'])).toMatch(/audit event/);
  });

  it('takes bodies up to 12 MiB and refuses larger ones with 413', async () => {
    const padding = 'x'.repeat(200 * 1024);
    const events = Array.from({ length: 55 }, (_, i) => ({
      ...podCreated(`big-${i}`, []),
      annotations: { pad: padding },
    }));
    const underLimit = JSON.stringify({ kind: 'EventList', items: events.slice(0, 50) });
    expect(underLimit.length).toBeGreaterThan(1024 * 1024);
    expect((await postAudit(underLimit)).status).toBe(200);
    const overLimit = JSON.stringify({ kind: 'EventList', items: [...events, ...events] });
    expect(overLimit.length).toBeGreaterThan(12 * 1024 * 1024);
    expect((await postAudit(overLimit)).status).toBe(413);
  });
});
