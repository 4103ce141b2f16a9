/** POST /api/v1/rules/test: pasted audit events through the rules in force, nothing stored. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../support/app.js';
import { podCreated } from '../support/audit.js';

let hub: RunningHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.close();
});

async function test(body: unknown) {
  const res = await fetch(`${hub.url}/api/v1/rules/test`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

it('says which rules fire for each pasted event, with the formatted output, and stores nothing', async () => {
  const text = [podCreated('sock-reader', ['/var/run/docker.sock']), podCreated('harmless', ['/srv/data'])]
    .map((event) => JSON.stringify(event))
    .join('\n');
  const { status, body } = await test({ event: `${text}\nnot json` });
  expect(status).toBe(200);
  expect(body).toMatchObject({
    ruleMatching: 'first',
    events: [
      {
        index: 0,
        auditId: 'audit-sock-reader',
        verb: 'create',
        resource: 'pods',
        alerts: [{ rule: 'Harrier: Pod Mounts Sensitive Host Path', source: 'k8s_audit' }],
      },
      { index: 1, auditId: 'audit-harmless', alerts: [] },
    ],
    skipped: [{ line: 3 }],
  });
  const [fired] = (body['events'] as { alerts: { output: string; priority: string }[] }[])[0]!.alerts;
  expect(fired!.output).toContain('sock-reader');
  expect(fired!.output).toContain('/var/run/docker.sock');

  const stored = (await (await fetch(`${hub.url}/api/v1/alerts`)).json()) as { alerts: unknown[] };
  expect(stored.alerts).toEqual([]);
});

it('takes the event as a JSON value as well as text', async () => {
  const { status, body } = await test({ event: podCreated('as-value', ['/etc']) });
  expect(status).toBe(200);
  expect((body['events'] as unknown[]).length).toBe(1);
});

it('answers 400 naming the field when there is no event, or nothing in it is an audit event', async () => {
  const missing = await test({});
  expect(missing.status).toBe(400);
  expect(missing.body['issues']).toEqual([expect.objectContaining({ field: 'event' })]);
  const notAudit = await test({ event: '{"kind":"Pod"}' });
  expect(notAudit.status).toBe(400);
  expect(String(notAudit.body['message'])).toContain('no usable Kubernetes audit event');
});
