/**
 * The hub's rules: listed by the API, reloaded on SIGHUP, on request or when a file changes on disk; a broken file
 * keeps the previous rules and shows in /healthz.
 */
import { rename, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../support/app.js';
import { startHubProcess, writeConfigFile } from '../support/hub.js';

const rule = (name: string, verb: string) => `
- rule: ${name}
  desc: ${verb} of a configmap
  condition: ka.verb=${verb} and ka.target.resource=configmaps
  output: configmap ${verb} (name=%ka.target.name)
  priority: NOTICE
  source: k8s_audit
  tags: [test]
`;

let hub: RunningHub;
let rulesFile: string;
beforeAll(async () => {
  rulesFile = await writeConfigFile(rule('Configmap deleted', 'delete'));
  hub = await startHub({ RULES_FILES: rulesFile });
});
afterAll(async () => {
  await hub.close();
});

interface Status {
  rules: { name: string; source: string; priority: string; line: number }[];
  failedReload?: { errors: { code: string; line: number; message: string }[] };
}

const status = async () => (await (await fetch(`${hub.url}/api/v1/rules`)).json()) as Status;

async function audit(base: string, verb: string): Promise<number> {
  const event = {
    kind: 'Event',
    auditID: `audit-${verb}-${Date.now()}`,
    stage: 'ResponseComplete',
    verb,
    objectRef: { resource: 'configmaps', namespace: 'default', name: 'app' },
    user: { username: 'bob' },
    stageTimestamp: new Date().toISOString(),
  };
  const res = await fetch(`${base}/k8s-audit`, { method: 'POST', body: JSON.stringify(event) });
  return ((await res.json()) as { alerts: number }).alerts;
}

it('lists the rules in force with their source, priority and line', async () => {
  expect((await status()).rules).toEqual([
    expect.objectContaining({ name: 'Configmap deleted', source: 'k8s_audit', priority: 'Notice', line: 2 }),
  ]);
  expect(await audit(hub.url, 'delete')).toBe(1);
});

it('keeps the previous rules when a reload fails, and reports where', async () => {
  await writeFile(rulesFile, `${rule('Configmap deleted', 'delete')}\n- rule: Broken\n  condition: ka.verb=(\n`);
  const res = await fetch(`${hub.url}/api/v1/rules/reload`, { method: 'POST' });
  const body = (await res.json()) as Status;
  expect(body.failedReload!.errors[0]).toMatchObject({ line: expect.any(Number) as number });
  expect(body.rules.map((r) => r.name)).toEqual(['Configmap deleted']);
  expect(await audit(hub.url, 'delete')).toBe(1);
});

it('takes new rules on request once the file is fixed', async () => {
  await writeFile(rulesFile, rule('Configmap updated', 'update'));
  await fetch(`${hub.url}/api/v1/rules/reload`, { method: 'POST' });
  expect((await status()).failedReload).toBeUndefined();
  expect((await status()).rules.map((r) => r.name)).toEqual(['Configmap updated']);
  expect(await audit(hub.url, 'delete')).toBe(0);
  expect(await audit(hub.url, 'update')).toBe(1);
});

interface Health {
  status: string;
  rules: { ok: boolean; errors: { file: string; line: number; code: string; message: string }[] };
}

const health = async () => {
  const res = await fetch(`${hub.url}/healthz`);
  return { status: res.status, body: (await res.json()) as Health };
};
const ruleNames = async () => (await status()).rules.map((r) => r.name);
const patiently = { timeout: 10_000, interval: 100 };

it('reloads when the rules file is rewritten on disk', async () => {
  await writeFile(rulesFile, rule('Configmap patched', 'patch'));
  await expect.poll(ruleNames, patiently).toEqual(['Configmap patched']);
  expect(await audit(hub.url, 'patch')).toBe(1);
  expect(await health()).toMatchObject({ status: 200, body: { status: 'ok', rules: { ok: true, errors: [] } } });
});

it('keeps the previous rules when the rewritten file is broken, and says so in /healthz (still 200)', async () => {
  await writeFile(rulesFile, `${rule('Configmap patched', 'patch')}\n- rule: Broken\n  condition: ka.verb=(\n`);
  await expect.poll(async () => (await health()).body.rules.ok, patiently).toBe(false);
  const { status: code, body } = await health();
  expect(code).toBe(200);
  expect(body.status).toBe('ok');
  expect(body.rules.errors[0]).toMatchObject({ file: rulesFile, line: expect.any(Number) as number });
  expect(body.rules.errors[0]!.line).toBeGreaterThan(9);
  expect(await ruleNames()).toEqual(['Configmap patched']);
  expect(await audit(hub.url, 'patch')).toBe(1);
});

it('takes a file replaced by a rename (editors, ConfigMap updates) and clears the error', async () => {
  const replacement = `${rulesFile}.tmp`;
  await writeFile(replacement, rule('Configmap created', 'create'));
  await rename(replacement, rulesFile);
  await expect.poll(ruleNames, patiently).toEqual(['Configmap created']);
  expect((await health()).body.rules).toEqual({ ok: true, errors: [] });
  expect(await audit(hub.url, 'create')).toBe(1);
  expect(await audit(hub.url, 'patch')).toBe(0);
});

it('reloads on SIGHUP, as Falco does', async () => {
  const file = await writeConfigFile(rule('Configmap deleted', 'delete'));
  const process = await startHubProcess({ env: { RULES_FILES: file } });
  try {
    await writeFile(file, rule('Configmap created', 'create'));
    process.signal('SIGHUP');
    // The rewrite alone would reload too (the file is watched): the log says the signal did it.
    await expect.poll(() => process.logs(), patiently).toContain('Reloading rules (SIGHUP)');
    await expect
      .poll(async () =>
        ((await (await fetch(`${process.url}/api/v1/rules`)).json()) as Status).rules.map((r) => r.name),
      )
      .toEqual(['Configmap created']);
    expect(await audit(process.url, 'create')).toBe(1);
  } finally {
    await process.stop();
  }
});
