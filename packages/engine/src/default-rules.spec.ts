import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_FILE } from './default-rules.js';
import { RuleSet } from './evaluate.js';
import { loadRules } from './load.js';
import { caseEvent, caseFiles } from './testing/cases.js';

interface DefaultRulesCases {
  audit_base: Record<string, unknown>;
  syscall_base: Record<string, unknown>;
  cases: Array<{ rule: string; syscall?: boolean; fires: Record<string, unknown>; quiet: Record<string, unknown> }>;
}

const { audit_base, syscall_base, cases } = caseFiles<DefaultRulesCases>('default-rules')[0]?.[1] as DefaultRulesCases;
const loaded = loadRules([DEFAULT_RULES_FILE]);

async function matches(syscall: boolean | undefined, event: Record<string, unknown>): Promise<string[]> {
  const ruleSet = new RuleSet((await loaded).rules, { ruleMatching: 'all' });
  const source = syscall ? 'syscall' : 'k8s_audit';
  const payload = syscall ? { ...syscall_base, ...event } : { ...audit_base, ...event };
  return ruleSet.match(caseEvent(payload), source).map((r) => r.name);
}

describe("Harrier's default rules", () => {
  it('load with no errors and no warnings, every rule evaluable', async () => {
    const result = await loaded;
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.rules.every((r) => r.evaluable)).toBe(true);
  });

  it('have a firing and a quiet case for every rule', async () => {
    expect(cases.map((c) => c.rule).sort()).toEqual((await loaded).rules.map((r) => r.name).sort());
  });

  it.each(cases)('$rule fires, alone', async ({ rule, syscall, fires }) => {
    expect(await matches(syscall, fires)).toEqual([rule]);
  });

  it.each(cases)('$rule stays quiet on a close event', async ({ syscall, quiet }) => {
    expect(await matches(syscall, quiet)).toEqual([]);
  });
});
