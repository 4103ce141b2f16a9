/** harrier-sensor end to end: demo activity through the engine on the sensor, alerts posted into a running hub. */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

it('sends the ingest token to a hub that requires one, and counts what a hub refuses without it', async () => {
  const token = 'sensor-token-0123456789abcdef';
  const guarded = await startHub({ INGEST_TOKENS: token });
  const dir = await mkdtemp(path.join(tmpdir(), 'harrier-token-'));
  try {
    const tokenFile = path.join(dir, 'token');
    await writeFile(tokenFile, `${token}\n`);
    const argv = [
      SENSOR_CLI,
      '--source',
      'demo',
      '--rate',
      '5000',
      '--count',
      '100',
      '--seed',
      '7',
      '--hub',
      guarded.url,
    ];
    const { stderr } = await promisify(execFile)(process.execPath, [...argv, '--hub-token-file', tokenFile]);
    const body = (await (await fetch(`${guarded.url}/api/v1/alerts?limit=1000`)).json()) as { alerts: Alert[] };
    expect(body.alerts.length).toBeGreaterThan(0);
    expect(stderr).toContain(`${body.alerts.length} sent, 0 dropped, 0 refused by the hub`);

    const refused = await promisify(execFile)(process.execPath, argv).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain('answered 401 Unauthorized');
    expect(refused?.stderr).toMatch(/ (\d+) alerts, 0 sent, 0 dropped, \1 refused by the hub\n$/);
  } finally {
    await guarded.close();
    await rm(dir, { recursive: true, force: true });
  }
});

it('as a process: reloads its rules on SIGHUP, and on SIGINT stops with a summary that matches the hub', async () => {
  const total = async () => ((await (await fetch(`${hub.url}/api/v1/alerts/stats`)).json()) as { total: number }).total;
  const before = await total();
  const child = spawn(
    process.execPath,
    [SENSOR_CLI, '--source', 'demo', '--rate', '500', '--seed', '3', '--hub', hub.url],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await expect.poll(() => stderr, { timeout: 20_000 }).toContain('reading demo events');
    child.kill('SIGHUP');
    await expect.poll(() => stderr, { timeout: 20_000 }).toMatch(/rules reloaded \(SIGHUP\): \d+ rules/);
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    child.kill('SIGINT');
  }
  expect(await exited).toBe(0);
  const summary = /stopped: (\d+) events read, (\d+) alerts, (\d+) sent, 0 dropped, 0 refused by the hub\n$/.exec(
    stderr,
  );
  expect(summary).not.toBeNull();
  const [, events, alerts, sent] = summary!.map(Number);
  expect(events).toBeGreaterThan(0);
  expect(sent).toBe(alerts);
  expect((await total()) - before).toBe(sent);
});
