/** The hub's rules: listed by the API, reloaded on SIGHUP or request; a broken file keeps the previous rules. */
import { writeFile } from 'node:fs/promises';
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

it('reloads on SIGHUP, as Falco does', async () => {
  const file = await writeConfigFile(rule('Configmap deleted', 'delete'));
  const process = await startHubProcess({ env: { RULES_FILES: file } });
  try {
    await writeFile(file, rule('Configmap created', 'create'));
    process.signal('SIGHUP');
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
