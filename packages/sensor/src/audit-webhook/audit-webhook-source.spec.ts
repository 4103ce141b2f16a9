import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_RULES_FILE, loadRules, RuleSet } from '@harrier/engine';
import { afterEach, describe, expect, it } from 'vitest';
import type { SensorEvent, SourceProblem } from '../source.js';
import { AuditWebhookSource, type AuditWebhookSourceOptions } from './audit-webhook-source.js';

function podCreated(name: string, hostPath: string, extra: Record<string, unknown> = {}) {
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: `a-${name}`,
    stage: 'ResponseComplete',
    verb: 'create',
    requestURI: '/api/v1/namespaces/payments/pods',
    user: { username: 'alice@example.com' },
    objectRef: { resource: 'pods', namespace: 'payments', name, apiVersion: 'v1' },
    responseStatus: { code: 201 },
    requestObject: {
      kind: 'Pod',
      spec: {
        containers: [{ name: 'main', image: 'ubuntu:22.04' }],
        volumes: [{ name: 'v', hostPath: { path: hostPath } }],
      },
    },
    responseObject: { kind: 'Pod', metadata: { name, namespace: 'payments' } },
    annotations: { 'authorization.k8s.io/decision': 'allow' },
    stageTimestamp: '2024-05-01T10:00:00.123456Z',
    ...extra,
  };
}

const list = (...items: object[]) => JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items });

const sources: AuditWebhookSource[] = [];
afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.stop()));
});

async function webhook(options: AuditWebhookSourceOptions = {}) {
  const problems: SourceProblem[] = [];
  const source = new AuditWebhookSource({ host: '127.0.0.1', port: 0, onProblem: (p) => problems.push(p), ...options });
  sources.push(source);
  await source.start();
  const received: SensorEvent[] = [];
  const reading = (async () => {
    for await (const event of source.events()) received.push(event);
  })();
  const post = async (body: string, init: RequestInit = {}) => {
    const res = await fetch(source.url, { method: 'POST', body, ...init });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };
  return { source, problems, received, reading, post };
}

describe('AuditWebhookSource', () => {
  it('takes an EventList over HTTP and yields its events, which the default rules judge: one alert of two pods', async () => {
    const { post, received } = await webhook();
    const res = await post(
      list(podCreated('sock-reader', '/var/run/docker.sock'), podCreated('harmless', '/srv/data')),
    );
    expect(res).toMatchObject({ status: 200, body: { events: 2, skipped: [] } });
    await expect.poll(() => received.length).toBe(2);
    expect(received.map((e) => e.source)).toEqual(['k8s_audit', 'k8s_audit']);
    const ruleSet = new RuleSet((await loadRules([DEFAULT_RULES_FILE])).rules);
    const alerts = received.flatMap((e) => ruleSet.evaluate(e.event, e.source));
    expect(alerts.map((a) => [a.rule, /pod=sock-reader/.test(a.output)])).toEqual([
      ['Harrier: Pod Mounts Sensitive Host Path', true],
    ]);
  });

  it('reads JSON lines, skipping lines that are not audit events with a counted warning', async () => {
    const { post, received, problems, source } = await webhook();
    const body = [JSON.stringify(podCreated('a', '/proc')), '{"kind": 0}', 'not json'].join('\n');
    const res = await post(body, { headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ events: 1 });
    expect((res.body['skipped'] as { line: number }[]).map((s) => s.line)).toEqual([2, 3]);
    await expect.poll(() => received.length).toBe(1);
    expect(problems).toEqual([
      {
        where: 'POST /k8s-audit from 127.0.0.1',
        message: 'skipped line 2: data not recognized as a k8s audit event and 1 more (2 audit values skipped so far)',
      },
    ]);
    expect(source.stats).toMatchObject({ requests: 1, events: 1, skipped: 2 });
  });

  it('drops an event over 256 KiB and one without stageTimestamp, counting each, and takes the rest', async () => {
    const { post, received, problems } = await webhook();
    const big = podCreated('big', '/proc', { annotations: { pad: 'x'.repeat(300 * 1024) } });
    const undated = podCreated('undated', '/proc', { stageTimestamp: undefined });
    const res = await post(list(big, undated, podCreated('fine', '/proc')));
    expect(res.status).toBe(200);
    expect(res.body['events']).toBe(1);
    expect((res.body['skipped'] as { message: string }[]).map((s) => s.message)).toEqual([
      expect.stringMatching(/^event larger than maxEventSize: size=\d+$/),
      "can't read stageTimestamp",
    ]);
    await expect.poll(() => received.map((e) => (e.event.payload as { auditID: string }).auditID)).toEqual(['a-fine']);
    expect(problems.at(-1)?.message).toContain('(2 audit values skipped so far)');
  });

  it.each([
    ['a JSON value that is not an audit event', '{"hello": "world"}', 'data not recognized as a k8s audit event'],
    [
      'an event without stageTimestamp',
      JSON.stringify(podCreated('x', '/', { stageTimestamp: undefined })),
      'stageTimestamp',
    ],
    ['an empty body', ' ', 'holds no Kubernetes audit event'],
    ['malformed JSON', '{"kind": "Event",', 'malformed JSON'],
  ])('answers 400 with the reason for %s', async (_what, body, reason) => {
    const { post, received, source } = await webhook();
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body['message']).toEqual(expect.stringContaining(reason));
    expect(received).toEqual([]);
    expect(source.stats.refused).toBe(1);
  });

  it('takes bodies up to 12 MiB and refuses larger ones with 413', async () => {
    const { post } = await webhook();
    const pad = 'x'.repeat(200 * 1024);
    const items = Array.from({ length: 60 }, (_, i) => podCreated(`p${i}`, '/srv', { annotations: { pad } }));
    const under = list(...items.slice(0, 55));
    expect(under.length).toBeGreaterThan(10 * 1024 * 1024);
    expect((await post(under)).status).toBe(200);
    const over = list(...items, ...items);
    expect(over.length).toBeGreaterThan(12 * 1024 * 1024);
    const res = await post(over);
    expect(res.status).toBe(413);
    expect(res.body['message']).toBe('Request body is too large (the limit here is 12582912 bytes)');
  });

  it('answers 405 to other methods and 404 to other paths', async () => {
    const { source } = await webhook();
    const get = await fetch(source.url);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    const other = await fetch(source.url.replace('/k8s-audit', '/elsewhere'), { method: 'POST', body: '{}' });
    expect(other.status).toBe(404);
  });

  it('answers 503 with Retry-After when the rules fall too far behind, and nothing is taken', async () => {
    const source = new AuditWebhookSource({ host: '127.0.0.1', port: 0, maxQueuedEvents: 2 });
    sources.push(source);
    await source.start();
    const post = (body: string) => fetch(source.url, { method: 'POST', body });
    expect((await post(list(podCreated('a', '/'), podCreated('b', '/')))).status).toBe(200);
    const res = await post(list(podCreated('c', '/')));
    expect([res.status, res.headers.get('retry-after')]).toEqual([503, '1']);
    expect(source.stats.events).toBe(2);
  });

  it('on stop, yields the events already taken, then ends, and no longer listens', async () => {
    const { post, source, received, reading } = await webhook();
    const url = source.url;
    await post(list(podCreated('a', '/'), podCreated('b', '/')));
    await source.stop();
    await reading;
    expect(received).toHaveLength(2);
    await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow();
  });

  it('with tokens, refuses a request without a valid bearer token, and takes one with it', async () => {
    const { source, received } = await webhook({ tokens: ['audit-token-0123456789'] });
    const body = list(podCreated('a', '/'));
    const post = (authorization?: string) =>
      fetch(source.url, { method: 'POST', body, headers: authorization ? { authorization } : {} });
    const none = await post();
    expect([none.status, none.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="harrier-audit-webhook"']);
    expect((await post('Bearer wrong-token')).status).toBe(401);
    expect((await post('Bearer audit-token-0123456789')).status).toBe(200);
    await expect.poll(() => received.length).toBe(1);
  });

  it('serves HTTPS with the certificate given', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'harrier-webhook-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          'key.pem',
          '-out',
          'cert.pem',
          '-days',
          '1',
        ].concat(['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']),
        { cwd: dir, stdio: 'pipe' },
      );
      const cert = readFileSync(path.join(dir, 'cert.pem'));
      const { source, received } = await webhook({ tls: { cert, key: readFileSync(path.join(dir, 'key.pem')) } });
      expect(source.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/k8s-audit$/);
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const req = request(source.url, { method: 'POST', ca: cert }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        });
        req.on('error', reject);
        req.end(list(podCreated('tls', '/')));
      });
      expect(status).toBe(200);
      await expect.poll(() => received.length).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
