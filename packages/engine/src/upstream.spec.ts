/** Compatibility with Falco's own rules files, read from the shared reference folder (never copied here). */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RuleSet } from './evaluate.js';
import { loadRules } from './load.js';
import { caseEvent, caseFiles } from './testing/cases.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const shared = process.env['HARRIER_SHARED'] ?? path.resolve(repoRoot, '../shared');
const upstream = path.join(shared, 'reference/falco');
const file = (name: string): string => path.join(upstream, name);
const SYSCALL_FILES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'];

interface UpstreamCases {
  base: Record<string, unknown>;
  cases: Array<{ name: string; event: Record<string, unknown>; fires: string[] }>;
}

describe.runIf(existsSync(upstream))('upstream Falco rules', () => {
  const k8s = loadRules([file('k8s_audit_rules.yaml')]);

  it('loads k8s_audit_rules.yaml with no errors and no warnings, every rule evaluable', async () => {
    const result = await k8s;
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.rules).toHaveLength(48);
    expect(result.rules.every((r) => r.evaluable && r.source === 'k8s_audit')).toBe(true);
    expect(result.requiredEngineVersion).toBe('0.15.0');
    expect(result.pluginRequirements.map((r) => [r.name, r.version, r.alternatives.length])).toEqual([
      ['k8saudit', '0.18.0', 4],
      ['json', '0.7.0', 0],
    ]);
  });

  it.each(SYSCALL_FILES)('loads %s with no errors', async (name) => {
    const result = await loadRules([file(name)]);
    expect(result.errors).toEqual([]);
    const ruleCount = readFileSync(file(name), 'utf8').match(/^- rule:/gm)?.length ?? 0;
    expect(result.rules).toHaveLength(ruleCount);
    const unsupported = result.warnings.filter((w) => w.code === 'LOAD_UNSUPPORTED_FIELD');
    expect(unsupported).toHaveLength(result.rules.filter((r) => !r.evaluable).length);
  });

  it('loads all four files together, in Falco order, with no errors', async () => {
    const result = await loadRules([...SYSCALL_FILES, 'k8s_audit_rules.yaml'].map(file));
    expect(result.errors).toEqual([]);
    expect(result.rules.filter((r) => r.source === 'k8s_audit')).toHaveLength(48);
    expect(result.rules.find((r) => r.name === 'Terminal shell in container')).toMatchObject({
      evaluable: true,
      priority: 'Notice',
    });
  });

  const upstreamCases = new Map(caseFiles<UpstreamCases>('upstream'));
  const { base, cases } = upstreamCases.get('k8s-audit-rules.yaml') as UpstreamCases;
  const syscall = upstreamCases.get('falco-rules-syscall.yaml') as UpstreamCases;
  const falcoRules = loadRules([file('falco_rules.yaml')]);

  it.each(syscall.cases)('falco_rules.yaml on $name', async ({ event, fires }) => {
    const ruleSet = new RuleSet((await falcoRules).rules, { ruleMatching: 'all' });
    const payload = Object.fromEntries(Object.entries({ ...syscall.base, ...event }).filter(([, v]) => v !== null));
    expect(ruleSet.match(caseEvent(payload), 'syscall').map((r) => r.name)).toEqual(fires);
  });

  it.each(cases)('k8s_audit_rules.yaml on $name', async ({ event, fires }) => {
    const ruleSet = new RuleSet((await k8s).rules, { ruleMatching: 'all' });
    const matched = ruleSet.match(caseEvent({ ...base, ...event }), 'k8s_audit').map((r) => r.name);
    expect(matched).toEqual(fires);
  });

  it('raises the alert Falco raises for a privileged pod', async () => {
    const ruleSet = new RuleSet((await k8s).rules, { hostname: 'node-1' });
    const [privileged] = cases;
    const alerts = ruleSet.evaluate(caseEvent({ ...base, ...privileged?.event }), 'k8s_audit');
    expect(alerts).toEqual([
      {
        hostname: 'node-1',
        output:
          '10:00:00.010000000: Warning Pod started with privileged container (user=kubernetes-admin pod=web ' +
          'resource=pods ns=default images=(nginx:1.25) init_images=<NA> ephemeral_images=<NA>)',
        output_fields: {
          'evt.time': 1714557600010000000,
          'ka.req.pod.containers.image': ['nginx:1.25'],
          'ka.req.pod.ephemeralContainers.image': null,
          'ka.req.pod.initContainers.image': null,
          'ka.resp.name': 'web',
          'ka.target.namespace': 'default',
          'ka.target.resource': 'pods',
          'ka.user.name': 'kubernetes-admin',
        },
        priority: 'Warning',
        rule: 'Create Privileged Pod',
        source: 'k8s_audit',
        tags: ['k8s'],
        time: '2024-05-01T10:00:00.010000000Z',
      },
    ]);
  });
});
