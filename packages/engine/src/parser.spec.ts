import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConditionError } from './errors.js';
import { parseCondition } from './parser.js';
import { printExpr } from './testing/print-ast.js';

const casesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../cases/parser');
const load = <T>(file: string): T[] => parse(readFileSync(path.join(casesDir, file), 'utf8')) as T[];

interface AcceptCase {
  name: string;
  condition: string;
  ast: string;
}
interface RejectCase {
  name: string;
  condition: string;
  error: string;
  at: number;
}

function failure(condition: string): { error: string; at: number } {
  try {
    parseCondition(condition);
  } catch (error) {
    if (error instanceof ConditionError) return { error: error.message, at: error.start };
    throw error;
  }
  throw new Error(`accepted: ${condition}`);
}

describe('parseCondition', () => {
  it.each(load<AcceptCase>('accept.yaml'))('accepts $name', ({ condition, ast }) => {
    expect(printExpr(parseCondition(condition))).toBe(ast.replace(/\s+/g, ' '));
  });

  it.each(load<RejectCase>('reject.yaml'))('rejects $name', ({ condition, error, at }) => {
    expect(failure(condition)).toEqual({ error, at });
  });

  it('gives every node the range of its text', () => {
    const expr = parseCondition('kevt and not ka.target.subresource exists or ka.verb in (a, b)');
    expect(expr).toMatchObject({
      kind: 'or',
      range: { start: 0, end: 62 },
      children: [
        {
          kind: 'and',
          range: { start: 0, end: 41 },
          children: [
            { kind: 'macro', range: { start: 0, end: 4 } },
            {
              kind: 'not',
              range: { start: 9, end: 41 },
              child: { kind: 'check', range: { start: 13, end: 41 }, left: { range: { start: 13, end: 34 } } },
            },
          ],
        },
        {
          kind: 'check',
          range: { start: 45, end: 62 },
          right: { kind: 'list', range: { start: 56, end: 62 }, values: [{ range: { start: 57, end: 58 } }, {}] },
        },
      ],
    });
  });

  it("rejects '('.repeat(100000) quickly with the depth limit, not a stack overflow", () => {
    const started = performance.now();
    expect(failure('('.repeat(100_000)).error).toBe('exceeded max depth limit of 1000');
    // Repeated `not` is a loop, not recursion: it parses, to one negation or none.
    expect(parseCondition(`${'not '.repeat(100_001)}a.b exists`).kind).toBe('not');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('accepts a long flat condition (no recursion per and-operand)', () => {
    const condition = Array.from({ length: 20_000 }, (_, i) => `a.b = v${i}`).join(' and ');
    const expr = parseCondition(condition);
    expect(expr.kind === 'and' && expr.children.length).toBe(20_000);
  });

  it('refuses a condition over the length limit', () => {
    expect(failure(`a.b in (${'x,'.repeat(600_000)}x)`).error).toMatch(/^condition is too long: 1200010 characters/);
  });
});
