import { describe, expect, it } from 'vitest';
import type { LoadDiagnostic } from './errors.js';
import { RuleSet } from './evaluate.js';
import { loadRulesText } from './load.js';
import { caseEvent, caseFiles } from './testing/cases.js';

interface LoadingCase {
  name: string;
  files: string[];
  rules?: string[];
  conditions?: Record<string, string>;
  outputs?: Record<string, string>;
  details?: Record<string, { desc?: string; priority?: string; tags?: string[] }>;
  errors?: string[];
  warnings?: string[];
  excerpts?: string[];
  engineVersion?: string;
  events?: Array<{ event: unknown; fires: string[] }>;
}

const summary = (d: LoadDiagnostic<string>): string => `${d.code}@${d.file}:${d.line}:${d.column} ${d.message}`;

const cases = caseFiles<LoadingCase[]>('loading').flatMap(([file, list]) =>
  list.map((c) => [`${file.replace('.yaml', '')}: ${c.name}`, c] as const),
);

describe('loading rules', () => {
  it.each(cases)('%s', (_name, c) => {
    const result = loadRulesText(c.files.map((text, i) => ({ file: `case${i}.yaml`, text })));
    expect(result.errors.map(summary)).toEqual(c.errors ?? []);
    expect(result.warnings.map(summary)).toEqual(c.warnings ?? []);
    if (c.excerpts) expect(result.errors.map((e) => e.excerpt)).toEqual(c.excerpts);
    if (c.engineVersion) expect(result.requiredEngineVersion).toBe(c.engineVersion);
    if (c.rules) {
      const labels = result.rules.map(
        (r) => `${r.name}${r.enabled ? '' : ' (disabled)'}${r.evaluable ? '' : ' (unevaluable)'}`,
      );
      expect(labels).toEqual(c.rules);
    }
    const byName = new Map(result.rules.map((r) => [r.name, r]));
    for (const [name, condition] of Object.entries(c.conditions ?? {})) {
      expect(byName.get(name)?.condition, name).toBe(condition);
    }
    for (const [name, output] of Object.entries(c.outputs ?? {})) {
      expect(byName.get(name)?.output.format, name).toBe(output);
    }
    for (const [name, details] of Object.entries(c.details ?? {})) {
      expect(byName.get(name), name).toMatchObject(details);
    }
    const ruleSet = new RuleSet(result.rules, { ruleMatching: 'all' });
    for (const { event, fires } of c.events ?? []) {
      expect(
        ruleSet.match(caseEvent(event), 'k8s_audit').map((r) => r.name),
        JSON.stringify(event),
      ).toEqual(fires);
    }
  });
});
