/** harrier-sensor end to end: demo activity through the engine on the sensor, alerts posted into a running hub. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Alert } from '@harrier/alert';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../support/app.js';

const SENSOR_CLI = fileURLToPath(new URL('../../packages/sensor/dist/cli.js', import.meta.url));
let hub: RunningHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.close();
});

it('turns demo activity into alerts of several default rules in the hub', async () => {
  const { stderr } = await promisify(execFile)(
    process.execPath,
    [SENSOR_CLI, '--source', 'demo', '--rate', '200', '--count', '200', '--seed', '7', '--hub', hub.url],
    { timeout: 60_000 },
  );
  const body = (await (await fetch(`${hub.url}/api/v1/alerts?limit=1000`)).json()) as { alerts: Alert[] };
  const rules = new Set(body.alerts.map((a) => a.rule));
  expect(rules.size).toBeGreaterThanOrEqual(3);
  expect([...rules].every((r) => r.startsWith('Harrier: '))).toBe(true);
  expect(new Set(body.alerts.map((a) => a.source))).toEqual(new Set(['k8s_audit', 'syscall']));
  // The sensor's own summary agrees with what the hub stored.
  expect(stderr).toMatch(new RegExp(`\\b${body.alerts.length} alerts?\\b`));
});
