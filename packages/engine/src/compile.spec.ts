import { describe, expect, it } from 'vitest';
import { CompileContext, compileCondition, indexConstraint } from './compile.js';
import { ConditionError } from './errors.js';
import { FIELD_REGISTRIES } from './fields/index.js';
import { parseCondition } from './parser.js';
import { caseEvent, caseFiles } from './testing/cases.js';

interface ConditionCase {
  name: string;
  condition: string;
  event?: unknown;
  expected?: boolean;
  error?: string | null;
}
interface ConditionFile {
  source: string;
  event: unknown;
  cases: ConditionCase[];
}

function run(source: string, condition: string, payload: unknown): { result?: boolean; error?: string } {
  const registry = FIELD_REGISTRIES.get(source);
  if (!registry) throw new Error(`no registry for ${source}`);
  try {
    const predicate = compileCondition(parseCondition(condition), new CompileContext(registry));
    return { result: predicate(caseEvent(payload)) };
  } catch (error) {
    if (error instanceof ConditionError) return { error: error.message };
    throw error;
  }
}

describe.each(caseFiles<ConditionFile>('conditions'))('conditions in %s', (_file, { source, event, cases }) => {
  it.each(cases)('$name: $condition', ({ condition, event: own, expected, error }) => {
    const outcome = run(source, condition, own ?? event);
    if (error) expect(outcome).toEqual({ error });
    else expect(outcome).toEqual({ result: expected });
  });
});

describe('compile', () => {
  it('compiles a macro subtree shared by two conditions once', () => {
    const ctx = new CompileContext(FIELD_REGISTRIES.get('k8s_audit')!);
    const shared = parseCondition('ka.verb=create');
    const a = parseCondition('x and y');
    const b = parseCondition('x or y');
    if (a.kind !== 'and' || b.kind !== 'or') throw new Error('shape');
    a.children = [shared, shared];
    b.children = [shared, shared];
    compileCondition(a, ctx);
    const cached = ctx.cache.get(shared);
    compileCondition(b, ctx);
    expect(ctx.cache.get(shared)).toBe(cached);
  });

  it('warns about an unsafe <NA> comparison', () => {
    const ctx = new CompileContext(FIELD_REGISTRIES.get('k8s_audit')!);
    compileCondition(parseCondition('ka.verb = "<NA>" or ka.verb in (a, "<NA>") or ka.verb contains "<NA>"'), ctx);
    expect(ctx.warnings.map((w) => [w.code, w.start])).toEqual([
      ['LOAD_UNSAFE_NA_CHECK', 0],
      ['LOAD_UNSAFE_NA_CHECK', 20],
    ]);
  });

  it('records the fields no sensor produces', () => {
    const ctx = new CompileContext(FIELD_REGISTRIES.get('syscall')!);
    compileCondition(parseCondition('proc.name = bash and evt.type = execve'), ctx);
    expect([...ctx.unproduced]).toEqual([]);
  });
});

describe('indexConstraint', () => {
  const fields = ['ka.target.resource', 'ka.verb'];
  const constraint = (condition: string) =>
    Object.fromEntries(
      [...indexConstraint(parseCondition(condition), fields)].map(([field, values]) => [field, [...values].sort()]),
    );

  it.each([
    ['ka.verb=create', { 'ka.verb': ['create'] }],
    [
      'ka.verb in (create, update) and ka.target.resource=pods',
      { 'ka.verb': ['create', 'update'], 'ka.target.resource': ['pods'] },
    ],
    ['ka.verb in (create, update) and ka.verb=update', { 'ka.verb': ['update'] }],
    [
      '(ka.target.resource=roles or ka.target.resource=clusterroles) and ka.verb=create',
      { 'ka.target.resource': ['clusterroles', 'roles'], 'ka.verb': ['create'] },
    ],
    ['ka.verb=create or ka.user.name=x', {}],
    ['not ka.verb=create', {}],
    ['ka.verb!=create', {}],
    ['ka.verb startswith c', {}],
    ['ka.target.resource[0]=x', {}],
  ])('%s', (condition, expected) => {
    expect(constraint(condition)).toEqual(expected);
  });
});
