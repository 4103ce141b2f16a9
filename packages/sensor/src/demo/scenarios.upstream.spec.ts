/** The demo's scenarios must say what the upstream rules say: read them from the shared reference folder. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePriority } from '@harrier/alert';
import { readRulesFiles } from '@harrier/engine';
import { describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS } from './scenarios.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const shared = process.env['HARRIER_SHARED'] ?? path.resolve(repoRoot, '../shared');
const files = ['falco_rules.yaml', 'falco-sandbox_rules.yaml', 'k8s_audit_rules.yaml'].map((f) =>
  path.join(shared, 'reference/falco', f),
);

/** Read once for all cases. */
const upstreamRules = readRulesFiles(files).then((reads) =>
  reads.flatMap((r) => r.items).filter((i) => i.kind === 'rule'),
);

describe('demo scenarios', () => {
  it.each(DEMO_SCENARIOS.map((s) => [s.rule, s] as const))('match the upstream rule %s', async (name, scenario) => {
    const rule = (await upstreamRules).find((i) => i.name === name);
    expect(rule, `${name} in ${files.join(', ')}`).toBeDefined();
    const body = rule?.body as { priority: string; source?: string; tags: string[]; output: string };
    expect(parsePriority(body.priority)).toBe(scenario.priority);
    expect(body.source ?? 'syscall').toBe(scenario.source);
    expect([...body.tags].sort()).toEqual(scenario.tags);
    expect(body.output.trim()).toBe(scenario.output);
  });
});
