/**
 * Bounded fuzzing with a seeded generator: random and mutated conditions, rules files and events. Nothing may throw
 * except a `ConditionError` while compiling, evaluation never throws, and every case finishes quickly.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CompileContext, compileCondition } from './compile.js';
import { ConditionError } from './errors.js';
import { RuleSet } from './evaluate.js';
import { K8S_AUDIT_FIELDS } from './fields/k8s-audit.js';
import { SYSCALL_FIELDS } from './fields/syscall.js';
import type { EngineEvent } from './fields/types.js';
import { loadRulesText } from './load.js';
import { parseCondition } from './parser.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const shared = process.env['HARRIER_SHARED'] ?? path.resolve(repoRoot, '../shared');
const upstreamFile = path.join(shared, 'reference/falco/k8s_audit_rules.yaml');
const upstreamText = existsSync(upstreamFile) ? readFileSync(upstreamFile, 'utf8') : '';

/** Mulberry32: small, seeded, good enough to explore inputs reproducibly. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  return { next, int, pick };
}

const TOKENS = [
  'ka.verb',
  'ka.user.name',
  'ka.req.pod.containers.image',
  'jevt.value[/a/0]',
  'ka.uri.param[x]',
  'proc.name',
  'evt.arg.flags',
  'proc.aname[2]',
  'fd.sport',
  'user.uid',
  'container.privileged',
  'harrier.ka.pod.run_as_user',
  '=',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'contains',
  'icontains',
  'startswith',
  'endswith',
  'glob',
  'iglob',
  'regex',
  'in',
  'intersects',
  'pmatch',
  'exists',
  'bcontains',
  'oneof',
  'anyof',
  'allof',
  'and',
  'or',
  'not',
  'not(',
  '(',
  ')',
  ',',
  '[',
  ']',
  '"a b"',
  "'x'",
  '"\\x41"',
  '"\\q"',
  '0x1F',
  '-3.5e+2',
  '1..5',
  '*',
  'a*b',
  '/etc',
  'val(',
  'tolower(',
  'len(',
  'b64(',
  'basename(',
  'join(',
  'concat(',
  'getopt(',
  'kevt',
  'macro_x',
  '"(a|b)+"',
  '"[z-a]"',
];

const FIELDS = [
  'ka.verb',
  'ka.user.name',
  'ka.req.pod.containers.image',
  'jevt.value[/a/0]',
  'ka.response.code',
  'ka.req.pod.volumes.hostpath',
  'tolower(ka.verb)',
  'len(ka.user.groups)',
  'harrier.ka.pod.run_as_user',
];
const OPERATORS = [
  '=',
  '!=',
  '<',
  '>=',
  'contains',
  'startswith',
  'glob',
  'regex',
  'in',
  'intersects',
  'pmatch',
  'exists',
  'startswith anyof',
];
const VALUES = [
  'create',
  '"a b"',
  '2',
  '(create, pods, "*")',
  '( )',
  '(1..5, 7)',
  '"c*e"',
  '"(cr|up)[a-z]+"',
  '/proc',
  'val(ka.verb)',
];

/** A condition from the grammar (so most compile), or a soup of tokens (so most do not). */
function randomCondition(rng: ReturnType<typeof generator>, depth = 0): string {
  if (depth === 0 && rng.next() < 0.3) {
    return Array.from({ length: 1 + rng.int(14) }, () => rng.pick(TOKENS)).join(rng.pick([' ', ' ', '', '\n']));
  }
  const roll = rng.next();
  if (depth < 4 && roll < 0.25)
    return `(${randomCondition(rng, depth + 1)} ${rng.pick(['and', 'or'])} ${randomCondition(rng, depth + 1)})`;
  if (depth < 4 && roll < 0.35) return `not ${randomCondition(rng, depth + 1)}`;
  const op = rng.pick(OPERATORS);
  return op === 'exists' ? `${rng.pick(FIELDS)} exists` : `${rng.pick(FIELDS)} ${op} ${rng.pick(VALUES)}`;
}

function mutate(text: string, rng: ReturnType<typeof generator>): string {
  let out = text;
  for (let n = 1 + rng.int(4); n > 0; n--) {
    const at = rng.int(out.length + 1);
    const op = rng.int(3);
    if (op === 0) out = out.slice(0, at) + out.slice(at + 1 + rng.int(5));
    else if (op === 1) out = out.slice(0, at) + rng.pick(TOKENS) + out.slice(at);
    else out = out.slice(0, at) + String.fromCharCode(32 + rng.int(95)) + out.slice(at);
  }
  return out;
}

function randomJson(rng: ReturnType<typeof generator>, depth = 0): unknown {
  const kind = rng.int(depth > 3 ? 5 : 8);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng.int(1000) - 500;
    case 2:
      return rng.pick([true, false]);
    case 3:
    case 4:
      return rng.pick(['create', 'pods', '', '/proc', 'system:anonymous', 'ResponseComplete', '2', 'a b', '*']);
    case 5:
      return Array.from({ length: rng.int(4) }, () => randomJson(rng, depth + 1));
    default: {
      const keys = [
        'verb',
        'user',
        'username',
        'objectRef',
        'resource',
        'requestObject',
        'spec',
        'containers',
        'securityContext',
        'privileged',
        'image',
        'volumes',
        'hostPath',
        'path',
        'stage',
        'auditID',
        'rules',
        'a',
        '0',
      ];
      const out: Record<string, unknown> = {};
      for (let i = rng.int(5); i > 0; i--) out[rng.pick(keys)] = randomJson(rng, depth + 1);
      return out;
    }
  }
}

function randomEvent(rng: ReturnType<typeof generator>): EngineEvent {
  const payload = randomJson(rng);
  if (typeof payload === 'object' && payload !== null && !Array.isArray(payload) && rng.next() < 0.7) {
    (payload as Record<string, unknown>)['auditID'] = 'x';
  }
  return { timeNs: BigInt(rng.int(2 ** 31)) * 1_000_000_000n, payload };
}

/** Parses, compiles and evaluates a condition; only ConditionError may escape compilation. */
function exercise(condition: string, events: readonly EngineEvent[]): 'rejected' | 'evaluated' {
  let predicate: (e: EngineEvent) => boolean;
  try {
    const expr = parseCondition(condition);
    predicate = compileCondition(
      expr,
      new CompileContext(condition.includes('proc.') ? SYSCALL_FIELDS : K8S_AUDIT_FIELDS),
    );
  } catch (error) {
    if (error instanceof ConditionError) return 'rejected';
    throw error;
  }
  for (const event of events) expect(typeof predicate(event)).toBe('boolean');
  return 'evaluated';
}

describe('fuzzing (seeded, bounded)', () => {
  const rng = generator(20240501);
  const events = Array.from({ length: 40 }, () => randomEvent(rng));

  it('random conditions: compile or fail with a ConditionError, then evaluate without throwing', () => {
    const outcomes = { rejected: 0, evaluated: 0 };
    for (let i = 0; i < 3000; i++) {
      const condition = randomCondition(rng);
      const started = performance.now();
      outcomes[exercise(condition, events)]++;
      expect(performance.now() - started, condition).toBeLessThan(1000);
    }
    // The generator must reach the compiler and the evaluator, not only the parser's error paths.
    expect(outcomes.evaluated).toBeGreaterThan(50);
    expect(outcomes.rejected).toBeGreaterThan(50);
  });

  it.runIf(upstreamText !== '')('mutated upstream conditions behave the same way', () => {
    const conditions = (parse(upstreamText) as Array<Record<string, unknown>>)
      .map((item) => item['condition'])
      .filter((c): c is string => typeof c === 'string');
    for (let i = 0; i < 2000; i++) exercise(mutate(rng.pick(conditions), rng), events);
  });

  it.runIf(upstreamText !== '')('mutated rules files load without throwing', () => {
    for (let i = 0; i < 60; i++) {
      const text = mutate(mutate(upstreamText, rng), rng);
      const result = loadRulesText([{ file: 'fuzz.yaml', text }]);
      expect(Array.isArray(result.errors)).toBe(true);
      for (const d of [...result.errors, ...result.warnings]) expect(d.code).toMatch(/^LOAD_/);
    }
  });

  it.runIf(upstreamText !== '')('random and malformed events never make the upstream rules throw', () => {
    const loaded = loadRulesText([{ file: 'k8s_audit_rules.yaml', text: upstreamText }]);
    const ruleSet = new RuleSet(loaded.rules, { ruleMatching: 'all' });
    for (let i = 0; i < 5000; i++) {
      const alerts = ruleSet.evaluate(randomEvent(rng), 'k8s_audit');
      for (const alert of alerts) expect(() => JSON.stringify(alert)).not.toThrow();
    }
  });

  it('a chain of 20,000 macros is refused with a load error, not a stack overflow', () => {
    let text = '- macro: m0\n  condition: ka.verb=x\n';
    for (let i = 1; i < 20_000; i++) text += `- macro: m${i}\n  condition: m${i - 1} and ka.verb=x\n`;
    text += '- rule: r\n  desc: d\n  condition: m19999\n  output: o\n  priority: INFO\n  source: k8s_audit\n';
    const result = loadRulesText([{ file: 'chain.yaml', text }]);
    expect(result.errors.map((e) => e.message)).toEqual([
      'condition is too large once macros are expanded: 1001 nodes, depth 501 (limits 200000 and 500)',
    ]);
    expect(result.rules).toEqual([]);
  });

  it('hostile nesting is refused quickly at every level', () => {
    for (const text of [
      '('.repeat(100_000),
      `${'not('.repeat(50_000)}a`,
      `a.b in ${'('.repeat(10_000)}`,
      'tolower('.repeat(5000),
    ]) {
      expect(exercise(text, events)).toBe('rejected');
    }
  });
});
