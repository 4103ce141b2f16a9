/** GET /api/v1/alerts/export on Redis: every filtered alert (past one page), streamed as CSV, JSON or JSON lines. */
import type { Alert } from '@harrier/alert';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { falcoAlert } from '../support/alerts.js';
import { startHub, type RunningHub } from '../support/app.js';
import { startRedis, type TestRedis } from '../support/redis.js';

/** More than one store page (1,000), so the export has to follow the cursor. */
const MATCHING = 2_300;
let redis: TestRedis;
let hub: RunningHub;

async function post(body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${hub.url}/`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  redis = await startRedis();
  hub = await startHub({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix });
  const fields = (namespace: string) => ({ 'k8s.ns.name': namespace, 'k8s.pod.name': 'web-1' });
  const posts: Promise<void>[] = [];
  for (let i = 0; i < MATCHING; i++) {
    posts.push(post(falcoAlert({ rule: `Export ${i}`, output_fields: fields('exported') })));
    if (posts.length === 50) await Promise.all(posts.splice(0));
  }
  posts.push(post(falcoAlert({ rule: 'Elsewhere', output_fields: fields('other') })));
  posts.push(
    post(falcoAlert({ rule: 'Formula', output: '=HYPERLINK("http://evil")', output_fields: fields('formula') })),
  );
  await Promise.all(posts);
}, 120_000);
afterAll(async () => {
  await hub?.close();
  await redis?.stop();
});

const exportOf = (query: string) => fetch(`${hub.url}/api/v1/alerts/export?${query}`);

it('streams every matching alert as a JSON array, newest first, as a download', async () => {
  const res = await exportOf('namespace=exported');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/json');
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="harrier-alerts-.+\.json"$/);
  const alerts = (await res.json()) as Alert[];
  expect(alerts).toHaveLength(MATCHING);
  expect(new Set(alerts.map((a) => a.rule)).size).toBe(MATCHING);
  expect(alerts.every((a) => a.output_fields['k8s.ns.name'] === 'exported')).toBe(true);
  const ids = alerts.map((a) => a.id);
  expect(ids).toEqual([...ids].sort().reverse());
});

it('streams JSON lines, one alert per line', async () => {
  const res = await exportOf('format=ndjson&namespace=exported&rule=Export%207');
  expect(res.headers.get('content-type')).toContain('application/x-ndjson');
  const lines = (await res.text()).trimEnd().split('\n');
  expect(lines.map((line) => (JSON.parse(line) as Alert).rule)).toEqual(['Export 7']);
});

it('streams CSV with a header row, formula-like cells defused', async () => {
  const res = await exportOf('format=csv&namespace=exported,formula');
  expect(res.headers.get('content-type')).toContain('text/csv');
  const rows = (await res.text()).trimEnd().split('\r\n');
  expect(rows[0]).toBe('id,time,priority,rule,source,hostname,namespace,pod,tags,output,output_fields');
  expect(rows).toHaveLength(MATCHING + 2);
  const formula = rows.find((row) => row.includes(',Formula,'));
  expect(formula).toContain(`"'=HYPERLINK(""http://evil"")"`);
});

it('gives an empty array for a filter nothing matches', async () => {
  const res = await exportOf('namespace=nowhere');
  expect(await res.json()).toEqual([]);
});

it('answers 400 naming a bad format and a bad filter', async () => {
  const res = await exportOf('format=xml&since=yesterday');
  expect(res.status).toBe(400);
  const body = (await res.json()) as { issues: { field: string }[] };
  expect(body.issues.map((issue) => issue.field)).toEqual(['format', 'since']);
});
