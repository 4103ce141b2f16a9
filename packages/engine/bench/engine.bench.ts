/**
 * Engine throughput: a generated mixed audit corpus through Falco's full k8s_audit_rules.yaml with rule matching
 * `all`, against a JSON.parse-only pass over the same lines in the same run. Prints events/s and the ratio
 * parse-only-time / total-time (targets: ≥ 100,000 events/s, ratio ≥ 0.5). Reports only; asserts no timing.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLine } from '../src/audit-input.js';
import { RuleSet } from '../src/evaluate.js';
import { loadRules } from '../src/load.js';
import { generateAuditCorpus } from './corpus.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const shared = process.env['HARRIER_SHARED'] ?? path.resolve(repoRoot, '../shared');
const rulesFile = path.join(shared, 'reference/falco/k8s_audit_rules.yaml');

const EVENTS = 100_000;
const ROUNDS = 7;
const CHUNK = 5_000;

function parseOnly(lines: readonly string[]): number {
  let kept = 0;
  for (const line of lines) if (JSON.parse(line) !== null) kept++;
  return kept;
}

function replay(lines: readonly string[], ruleSet: RuleSet): number {
  let alerts = 0;
  for (let i = 0; i < lines.length; i++) {
    for (const event of parseLine(lines[i] as string, i + 1).events)
      alerts += ruleSet.evaluate(event, 'k8s_audit').length;
  }
  return alerts;
}

function time(fn: () => number): { ms: number; result: number } {
  const started = process.hrtime.bigint();
  const result = fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}

describe.runIf(existsSync(rulesFile))('engine benchmark', () => {
  it('replays a mixed audit corpus through k8s_audit_rules.yaml (rule matching all)', async () => {
    const loaded = await loadRules([rulesFile]);
    expect(loaded.errors).toEqual([]);
    const ruleSet = new RuleSet(loaded.rules, { ruleMatching: 'all', hostname: 'bench' });
    const lines = generateAuditCorpus(EVENTS);
    const bytes = lines.reduce((n, l) => n + l.length + 1, 0);

    // Warm up both paths, then time them chunk by chunk, alternating, so that load from other processes on the
    // machine weighs on both alike; the figures are medians over the rounds.
    parseOnly(lines.slice(0, 10_000));
    replay(lines.slice(0, 10_000), ruleSet);
    const parse: number[] = [];
    const total: number[] = [];
    let alerts = 0;
    for (let round = 0; round < ROUNDS; round++) {
      let parseMs = 0;
      let totalMs = 0;
      alerts = 0;
      for (let start = 0; start < lines.length; start += CHUNK) {
        const chunk = lines.slice(start, start + CHUNK);
        parseMs += time(() => parseOnly(chunk)).ms;
        const run = time(() => replay(chunk, ruleSet));
        totalMs += run.ms;
        alerts += run.result;
      }
      parse.push(parseMs);
      total.push(totalMs);
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const parseMs = median(parse);
    const totalMs = median(total);
    const row = {
      events: EVENTS,
      'avg event bytes': Math.round(bytes / EVENTS),
      rules: ruleSet.rules.length,
      'alerts per run': alerts,
      'parse-only ms': Number(parseMs.toFixed(1)),
      'total ms': Number(totalMs.toFixed(1)),
      'events/s': Math.round(EVENTS / (totalMs / 1000)),
      'ratio parse/total': Number((parseMs / totalMs).toFixed(3)),
    };
    console.table([row]);
    expect(alerts).toBeGreaterThan(0);
  });
});
