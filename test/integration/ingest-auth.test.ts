/** INGEST_TOKENS: POST / and POST /k8s-audit need a bearer token; nothing else changes. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { falcoAlert } from '../support/alerts.js';
import { startHub, type RunningHub } from '../support/app.js';

const TOKEN = 'falco-nodes-0123456789abcdef';
let hub: RunningHub;
beforeAll(async () => {
  hub = await startHub({ INGEST_TOKENS: `${TOKEN}, audit-webhook-0123456789abcdef` });
});
afterAll(async () => {
  await hub.close();
});

async function post(path: string, authorization?: string) {
  const res = await fetch(`${hub.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(
      path === '/' ? falcoAlert({ rule: `auth ${authorization ?? 'none'}` }) : { kind: 'EventList', items: [] },
    ),
  });
  return { status: res.status, challenge: res.headers.get('www-authenticate') };
}

it('refuses ingest without a token or with a wrong one, with a Bearer challenge', async () => {
  expect(await post('/')).toEqual({ status: 401, challenge: 'Bearer realm="harrier-ingest"' });
  expect((await post('/', 'Bearer not-the-token-at-all-000')).status).toBe(401);
  expect((await post('/', `Basic ${TOKEN}`)).status).toBe(401);
  expect((await post('/k8s-audit')).status).toBe(401);
  const stored = (await (await fetch(`${hub.url}/api/v1/alerts`)).json()) as { alerts: unknown[] };
  expect(stored.alerts).toEqual([]);
});

it('takes any configured token', async () => {
  expect((await post('/', `Bearer ${TOKEN}`)).status).toBe(200);
  expect((await post('/', 'bearer audit-webhook-0123456789abcdef')).status).toBe(200);
  // Past authentication, the audit body is judged on its content.
  expect((await post('/k8s-audit', `Bearer ${TOKEN}`)).status).toBe(400);
});

it('refuses to start with a token too short to be a secret, without echoing it', async () => {
  await expect(startHub({ INGEST_TOKENS: 'short' })).rejects.toThrow(
    /INGEST_TOKENS="\(secret\)" \(each token must be at least 16 characters\)/,
  );
});
