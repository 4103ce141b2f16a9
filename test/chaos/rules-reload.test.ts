/**
 * Guarantee 4: a broken rules file arrives by SIGHUP while audit events keep coming. Every event is still judged
 * by the previous rules (no gap, no event without its alert), the error is visible in /api/v1/rules and the log,
 * and a fixed file is taken later. (integration/rules-reload.test.ts covers the API side without load.)
 */
import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHubProcess, writeConfigFile, type HubProcess } from '../support/hub.js';

const rule = (name: string) => `
- rule: ${name}
  desc: a configmap deleted
  condition: ka.verb=delete and ka.target.resource=configmaps
  output: configmap deleted (name=%ka.target.name)
  priority: NOTICE
  source: k8s_audit
`;

let hub: HubProcess;
let rulesFile: string;
beforeAll(async () => {
  rulesFile = await writeConfigFile(rule('Configmap deleted'));
  hub = await startHubProcess({ env: { RULES_FILES: rulesFile } });
});
afterAll(async () => {
  await hub?.stop();
});

interface RulesStatus {
  rules: { name: string }[];
  failedReload?: { errors: { code: string; line: number; message: string }[] };
}
const status = async () => (await (await fetch(`${hub.url}/api/v1/rules`)).json()) as RulesStatus;

it('keeps judging every event with the previous rules when a broken file is reloaded under load', async () => {
  const answers: Array<{ status: number; alerts: number }> = [];
  let running = true;
  const sender = (async () => {
    for (let i = 0; running; i++) {
      const res = await fetch(`${hub.url}/k8s-audit`, {
        method: 'POST',
        body: JSON.stringify({
          kind: 'Event',
          auditID: `reload-${i}`,
          stage: 'ResponseComplete',
          verb: 'delete',
          objectRef: { resource: 'configmaps', namespace: 'default', name: `cm-${i}` },
          stageTimestamp: new Date().toISOString(),
        }),
      });
      answers.push({ status: res.status, alerts: ((await res.json()) as { alerts?: number }).alerts ?? -1 });
    }
  })();
  try {
    await expect.poll(() => answers.length).toBeGreaterThan(20);
    await writeFile(rulesFile, `${rule('Configmap deleted')}\n- rule: Broken\n  condition: ka.verb=(\n  output: x\n`);
    hub.signal('SIGHUP');
    await expect.poll(async () => (await status()).failedReload !== undefined, { timeout: 10_000 }).toBe(true);
    const failed = await status();
    expect(failed.rules.map((r) => r.name)).toEqual(['Configmap deleted']);
    expect(failed.failedReload!.errors[0]).toMatchObject({ line: expect.any(Number) as number });
    expect(hub.logs()).toContain('Rules reload failed, the previous rules stay in force');
    const atFailure = answers.length;
    await sleep(2_000);
    expect(answers.length - atFailure).toBeGreaterThan(10);

    await writeFile(rulesFile, rule('Configmap removed'));
    hub.signal('SIGHUP');
    await expect
      .poll(async () => (await status()).rules.map((r) => r.name), { timeout: 10_000 })
      .toEqual(['Configmap removed']);
    expect((await status()).failedReload).toBeUndefined();
  } finally {
    running = false;
    await sender;
  }
  // Not one event answered otherwise than 200 with its alert, before, during or after the failed reload.
  expect(answers.filter((a) => a.status !== 200 || a.alerts !== 1)).toEqual([]);
  console.log(
    `chaos rules: ${answers.length} audit events during two reloads (one broken), every one 200 with its alert`,
  );
});
