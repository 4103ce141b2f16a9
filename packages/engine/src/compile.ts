/**
 * Condition compiler: a resolved AST (no macro references left) to a predicate of closures, checked against the
 * source's field registry. Literals are converted, and regexes, globs and path matchers built, here — once per rule,
 * never per event. Operator semantics are Falco's (rules-language.md §8): a field that cannot be extracted makes
 * every comparison false; on list fields `in` is a subset test and `intersects` a non-empty intersection.
 */
import type {
  Check,
  Expr,
  FieldExpr,
  FieldRef,
  Modifier,
  Operand,
  Operator,
  TransformerArg,
  TransformerExpr,
  ValueLiteral,
} from './ast.js';
import { fieldText } from './ast.js';
import { ConditionError, type LoadWarningCode } from './errors.js';
import { compilePathMatcher, compileRegex, globToRegExp } from './operators.js';
import type {
  EngineEvent,
  Extracted,
  Extractor,
  FieldLookup,
  FieldRegistry,
  FieldType,
  FieldValue,
} from './fields/types.js';

export type Predicate = (event: EngineEvent) => boolean;

/** A warning found while compiling, at a range of the condition text. */
export interface CompileWarning {
  code: LoadWarningCode;
  message: string;
  start: number;
  end: number;
}

/** Per-source compilation state shared by the rules of one load (the cache makes shared macros compile once). */
export class CompileContext {
  readonly cache = new WeakMap<Expr, Predicate>();
  /** What each cached subtree added, replayed when a later rule reuses it. */
  readonly sideEffects = new WeakMap<Expr, { unproduced: Set<string>; warnings: CompileWarning[] }>();
  warnings: CompileWarning[] = [];
  /** Fields read that no Harrier sensor produces. */
  unproduced = new Set<string>();

  constructor(readonly registry: FieldRegistry) {}

  /** Starts a new rule: warnings and unproduced fields are per rule (the cache is not). */
  reset(): void {
    this.warnings = [];
    this.unproduced = new Set();
  }
}

/** An extractor with what it yields. */
export interface ValueSource {
  extract: Extractor;
  type: FieldType;
  list: boolean;
  /** A Harrier extension field (see `FieldDef.extension`). */
  extension?: boolean;
}

export function compileCondition(expr: Expr, ctx: CompileContext): Predicate {
  const cached = ctx.cache.get(expr);
  if (cached) {
    collectSideEffects(expr, ctx);
    return cached;
  }
  const predicate = compileNode(expr, ctx);
  ctx.cache.set(expr, predicate);
  return predicate;
}

/** A cached subtree still contributes its unproduced fields and warnings to the rule being compiled. */
function collectSideEffects(expr: Expr, ctx: CompileContext): void {
  const effects = ctx.sideEffects.get(expr);
  if (!effects) return;
  for (const f of effects.unproduced) ctx.unproduced.add(f);
  ctx.warnings.push(...effects.warnings);
}

function compileNode(expr: Expr, ctx: CompileContext): Predicate {
  const outer = { unproduced: ctx.unproduced, warnings: ctx.warnings };
  ctx.unproduced = new Set();
  ctx.warnings = [];
  try {
    const predicate = compileShape(expr, ctx);
    ctx.sideEffects.set(expr, { unproduced: ctx.unproduced, warnings: ctx.warnings });
    return predicate;
  } finally {
    for (const f of ctx.unproduced) outer.unproduced.add(f);
    outer.warnings.push(...ctx.warnings);
    ctx.unproduced = outer.unproduced;
    ctx.warnings = outer.warnings;
  }
}

function compileShape(expr: Expr, ctx: CompileContext): Predicate {
  switch (expr.kind) {
    case 'and': {
      const children = expr.children.map((c) => compileCondition(c, ctx));
      if (children.length === 2) {
        const [a, b] = children as [Predicate, Predicate];
        return (e) => a(e) && b(e);
      }
      return (e) => {
        for (const child of children) if (!child(e)) return false;
        return true;
      };
    }
    case 'or': {
      const children = expr.children.map((c) => compileCondition(c, ctx));
      if (children.length === 2) {
        const [a, b] = children as [Predicate, Predicate];
        return (e) => a(e) || b(e);
      }
      return (e) => {
        for (const child of children) if (child(e)) return true;
        return false;
      };
    }
    case 'not': {
      const child = compileCondition(expr.child, ctx);
      return (e) => !child(e);
    }
    case 'macro':
      throw new ConditionError(
        `Undefined macro '${expr.name}' used in filter.`,
        expr.range.start,
        expr.range.end,
        'LOAD_ERR_VALIDATE',
      );
    case 'check':
      return compileCheck(expr, ctx);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Fields and transformers

/** Looks a field up and validates its argument (Falco's messages). */
export function lookupField(
  field: Pick<FieldRef, 'name' | 'arg' | 'range'>,
  registry: FieldRegistry,
): { lookup: FieldLookup; arg: string | undefined } {
  const lookup = registry.lookup(field.name);
  const { start, end } = field.range;
  if (!lookup) {
    throw new ConditionError(
      `filter_check called with nonexistent field ${field.name}`,
      start,
      end,
      'LOAD_ERR_COMPILE_CONDITION',
      field.name,
    );
  }
  const { def } = lookup;
  if (lookup.dottedArg !== undefined && field.arg !== undefined) {
    throw new ConditionError(
      `field '${def.name}' has an argument both after a dot and in brackets: ${fieldText(field)}`,
      start,
      end,
    );
  }
  const arg = lookup.dottedArg ?? field.arg;
  if (def.arg === undefined) {
    if (arg !== undefined) {
      throw new ConditionError(
        `field '${def.name}' does not allow nor require an argument but one is provided: ${arg}`,
        start,
        end,
      );
    }
  } else if (arg === undefined) {
    if (def.arg.required)
      throw new ConditionError(`field '${def.name}' requires an argument but none provided`, start, end);
  } else if (def.arg.kind === 'index') {
    if (!/^[0-9]+$/.test(arg)) {
      throw new ConditionError(
        `field '${def.name}' has an invalid index argument not composed only by digits: ${arg}`,
        start,
        end,
      );
    }
    if (arg.length > 1 && arg.startsWith('0')) {
      throw new ConditionError(`field '${def.name}' has an invalid index argument starting with 0: ${arg}`, start, end);
    }
  }
  return { lookup, arg };
}

export function compileField(field: FieldRef, ctx: CompileContext): ValueSource {
  const { lookup, arg } = lookupField(field, ctx.registry);
  const { def } = lookup;
  if (def.produced === false) ctx.unproduced.add(def.name);
  if (def.deprecated !== undefined) {
    ctx.warnings.push({
      code: 'LOAD_DEPRECATED_ITEM',
      message: `Field '${def.name}' is deprecated (${def.deprecated})`,
      start: field.range.start,
      end: field.range.end,
    });
  }
  return {
    extract: ctx.registry.extractor(def, arg),
    type: def.type,
    list: def.list === true,
    ...(def.extension ? { extension: true } : {}),
  };
}

export function compileFieldExpr(expr: FieldExpr, ctx: CompileContext): ValueSource {
  return expr.kind === 'field' ? compileField(expr, ctx) : compileTransformer(expr, ctx);
}

const isStringy = (type: FieldType): boolean =>
  type === 'string' || type === 'bytes' || type === 'ipaddr' || type === 'ipnet';

function mapValues(source: ValueSource, type: FieldType, fn: (v: string) => FieldValue | undefined): ValueSource {
  const { extract } = source;
  if (source.list) {
    return {
      type,
      list: true,
      extract: (e) => {
        const values = extract(e) as readonly FieldValue[] | undefined;
        if (values === undefined) return undefined;
        const out: FieldValue[] = [];
        for (const v of values) {
          const mapped = fn(String(v));
          if (mapped !== undefined) out.push(mapped);
        }
        return out.length === 0 ? undefined : out;
      },
    };
  }
  return {
    type,
    list: false,
    extract: (e) => {
      const v = extract(e);
      return v === undefined ? undefined : fn(String(v));
    },
  };
}

function compileTransformer(expr: TransformerExpr, ctx: CompileContext): ValueSource {
  const { start, end } = expr.range;
  const fail = (message: string): never => {
    throw new ConditionError(message, start, end);
  };
  const fieldArg = (arg: TransformerArg | undefined): ValueSource => {
    if (arg === undefined || arg.kind === 'value' || arg.kind === 'list')
      return fail(`transformer '${expr.name}' expects a field argument`);
    return compileFieldExpr(arg, ctx);
  };
  const single = (): ValueSource => {
    if (expr.args.length !== 1) fail(`transformer '${expr.name}' takes exactly one argument`);
    return fieldArg(expr.args[0]);
  };
  if (expr.arg !== undefined && expr.name !== 'getopt') fail(`transformer '${expr.name}' does not take an argument`);
  switch (expr.name) {
    case 'tolower':
    case 'toupper': {
      const source = single();
      if (!isStringy(source.type))
        fail(`transformer '${expr.name}' is not supported on ${typeWord(source.type)} fields`);
      return mapValues(source, 'string', expr.name === 'tolower' ? (v) => v.toLowerCase() : (v) => v.toUpperCase());
    }
    case 'b64': {
      const source = single();
      if (!isStringy(source.type)) fail(`transformer 'b64' is not supported on ${typeWord(source.type)} fields`);
      return mapValues(source, 'string', (v) =>
        /^[A-Za-z0-9+/]*={0,2}$/.test(v) ? Buffer.from(v, 'base64').toString('latin1') : undefined,
      );
    }
    case 'basename': {
      const source = single();
      if (!isStringy(source.type)) fail(`transformer 'basename' is not supported on ${typeWord(source.type)} fields`);
      return mapValues(source, 'string', (v) => (v.endsWith('/') ? '' : v.slice(v.lastIndexOf('/') + 1)));
    }
    case 'len': {
      const source = single();
      const { extract } = source;
      return {
        type: 'number',
        list: false,
        extract: (e) => {
          const v = extract(e);
          if (v === undefined) return undefined;
          return Array.isArray(v) ? v.length : String(v).length;
        },
      };
    }
    case 'join': {
      const [sep, list] = expr.args;
      if (expr.args.length !== 2 || sep?.kind !== 'value')
        return fail("transformer 'join' takes a separator string and a list field");
      const source = fieldArg(list);
      const separator = sep.value;
      const { extract } = source;
      return {
        type: 'string',
        list: false,
        extract: (e) => {
          const v = extract(e);
          if (v === undefined) return undefined;
          return Array.isArray(v) ? v.map(String).join(separator) : String(v);
        },
      };
    }
    case 'concat': {
      if (expr.args.length < 2) fail("transformer 'concat' takes at least two arguments");
      const parts: Extractor[] = expr.args.map((arg) => {
        if (arg.kind === 'value') return () => arg.value;
        if (arg.kind === 'list') return fail("transformer 'concat' does not take a list");
        const source = compileFieldExpr(arg, ctx);
        if (source.list) fail("transformer 'concat' does not take list fields");
        return source.extract;
      });
      return {
        type: 'string',
        list: false,
        extract: (e) => {
          let out = '';
          for (const part of parts) {
            const v = part(e);
            if (v === undefined) return undefined;
            out += String(v);
          }
          return out;
        },
      };
    }
    case 'getopt':
      return fail("transformer 'getopt' is not supported by Harrier");
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Checks

const NUMERIC_TYPES: ReadonlySet<FieldType> = new Set(['number', 'abstime', 'reltime']);
const NUMERIC_OPS: ReadonlySet<Operator> = new Set([
  '=',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'in',
  'intersects',
  'exists',
]);
const BOOL_OPS: ReadonlySet<Operator> = new Set(['=', '==', '!=', 'in', 'intersects', 'exists']);
const LIST_OPS: ReadonlySet<Operator> = new Set(['in', 'intersects', 'exists']);
const NA_OPS: ReadonlySet<Operator> = new Set(['=', '==', '!=', 'in', 'intersects', 'pmatch']);
/** Operators that compare against a set of values. */
const SET_OPS: ReadonlySet<Operator> = new Set(['in', 'intersects']);

function typeWord(type: FieldType): string {
  if (NUMERIC_TYPES.has(type)) return 'numeric';
  if (type === 'bool') return 'boolean';
  return type === 'bytes' ? 'bytes' : 'string';
}

function checkOperator(op: Operator, source: ValueSource, check: Check): void {
  const { start, end } = check.range;
  if (source.list) {
    if (op === 'pmatch' && source.extension && source.type === 'string') return;
    if (!LIST_OPS.has(op)) throw new ConditionError(`'${op}' operator not supported list filters`, start, end);
    return;
  }
  const allowed = NUMERIC_TYPES.has(source.type)
    ? NUMERIC_OPS.has(op)
    : source.type === 'bool'
      ? BOOL_OPS.has(op)
      : source.type === 'bytes' || (op !== 'bcontains' && op !== 'bstartswith');
  if (!allowed)
    throw new ConditionError(`'${op}' operator not supported for ${typeWord(source.type)} filters`, start, end);
}

/** A literal converted to the field's type at load time. */
function convert(literal: ValueLiteral, type: FieldType): FieldValue {
  const text = literal.value;
  const fail = (what: string): never => {
    throw new ConditionError(`'${text}' is not a valid ${what}`, literal.range.start, literal.range.end);
  };
  switch (type) {
    case 'number': {
      const n = /^[+-]?0[xX][0-9a-fA-F]+$/.test(text) ? parseInt(text, 16) : Number(text);
      return text.trim() === '' || !Number.isFinite(n) ? fail('number') : n;
    }
    case 'abstime':
    case 'reltime':
      try {
        return BigInt(text);
      } catch {
        return fail('integer');
      }
    case 'bool':
      return text === 'true' ? true : text === 'false' ? false : fail('boolean (true or false)');
    case 'string':
    case 'bytes':
    case 'ipaddr':
    case 'ipnet':
      return text;
  }
}

function hexBytes(literal: ValueLiteral): string {
  const text = literal.value;
  if (!/^([0-9a-fA-F]{2})+$/.test(text)) {
    throw new ConditionError(`'${text}' is not a valid hex string`, literal.range.start, literal.range.end);
  }
  return Buffer.from(text, 'hex').toString('latin1');
}

type Test = (value: FieldValue) => boolean;

/** A test of one scalar value against one literal, for operators other than the set and unary ones. */
function scalarTest(op: Operator, literal: ValueLiteral, type: FieldType): Test {
  const { start, end } = literal.range;
  switch (op) {
    case '=':
    case '==': {
      const rhs = convert(literal, type);
      return (v) => v === rhs;
    }
    case '!=': {
      const rhs = convert(literal, type);
      return (v) => v !== rhs;
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const rhs = convert(literal, type);
      return ORDER[op](rhs);
    }
    case 'contains': {
      const rhs = literal.value;
      return (v) => (v as string).includes(rhs);
    }
    case 'icontains': {
      const rhs = literal.value.toLowerCase();
      return (v) => (v as string).toLowerCase().includes(rhs);
    }
    case 'startswith': {
      const rhs = literal.value;
      return (v) => (v as string).startsWith(rhs);
    }
    case 'endswith': {
      const rhs = literal.value;
      return (v) => (v as string).endsWith(rhs);
    }
    case 'bcontains': {
      const rhs = hexBytes(literal);
      return (v) => (v as string).includes(rhs);
    }
    case 'bstartswith': {
      const rhs = hexBytes(literal);
      return (v) => (v as string).startsWith(rhs);
    }
    case 'glob':
    case 'iglob': {
      const re = globToRegExp(literal.value, op === 'iglob');
      return (v) => re.test(v as string);
    }
    case 'regex': {
      const re = compileRegex(literal.value, start, end);
      return (v) => re.test(v as string);
    }
    case 'pmatch': {
      const match = compilePathMatcher([literal.value]);
      return (v) => match(v as string);
    }
    case 'in':
    case 'intersects': {
      const rhs = convert(literal, type);
      return (v) => v === rhs;
    }
    case 'exists':
      throw new ConditionError(`'exists' takes no value`, start, end);
  }
}

const ORDER: Record<'<' | '<=' | '>' | '>=', (rhs: FieldValue) => Test> = {
  '<': (rhs) => (v) => v < rhs,
  '<=': (rhs) => (v) => v <= rhs,
  '>': (rhs) => (v) => v > rhs,
  '>=': (rhs) => (v) => v >= rhs,
};

/** A list of literals combined under a modifier: `anyof` (some), `allof` (every), `oneof` (exactly one). */
function modifierTest(op: Operator, modifier: Modifier, values: readonly ValueLiteral[], type: FieldType): Test {
  const tests = values.map((v) => scalarTest(op, v, type));
  switch (modifier) {
    case 'anyof':
      return (v) => tests.some((t) => t(v));
    case 'allof':
      return (v) => tests.every((t) => t(v));
    case 'oneof':
      return (v) => {
        let hits = 0;
        for (const t of tests) if (t(v) && ++hits > 1) return false;
        return hits === 1;
      };
  }
}

/** `MIN..MAX`: an inclusive numeric range, a Harrier extension valid in `in`/`intersects` lists of numeric fields. */
const RANGE = /^[+-]?[0-9]+\.\.[+-]?[0-9]+$/;

function numericRanges(literals: readonly ValueLiteral[]): Array<[number, number]> | undefined {
  const ranges: Array<[number, number]> = [];
  for (const literal of literals) {
    if (!RANGE.test(literal.value)) continue;
    const [min, max] = literal.value.split('..').map(Number) as [number, number];
    if (min > max) throw new ConditionError(`empty range '${literal.value}'`, literal.range.start, literal.range.end);
    ranges.push([min, max]);
  }
  return ranges.length === 0 ? undefined : ranges;
}

function literalsOf(operand: Operand): ValueLiteral[] | undefined {
  if (operand.kind === 'value') return [operand];
  if (operand.kind === 'list') return operand.values;
  return undefined;
}

function compileCheck(check: Check, ctx: CompileContext): Predicate {
  const lhs = compileFieldExpr(check.left, ctx);
  const op = check.operator;
  checkOperator(op, lhs, check);
  const extract = lhs.extract;
  if (op === 'exists') return (e) => extract(e) !== undefined;
  const right = check.right;
  if (right === undefined) throw new ConditionError(`'${op}' needs a value`, check.range.start, check.range.end);

  const literals = literalsOf(right);
  if (literals === undefined) return compileFieldComparison(check, lhs, ctx);

  if (NA_OPS.has(op) && literals.some((l) => l.value === '<NA>')) {
    ctx.warnings.push({
      code: 'LOAD_UNSAFE_NA_CHECK',
      message: 'Unsafe <NA> comparison in condition',
      start: check.range.start,
      end: check.range.end,
    });
  }

  if (check.modifier !== undefined) {
    const test = modifierTest(op, check.modifier, literals, lhs.type);
    return scalarPredicate(extract, test);
  }

  if (SET_OPS.has(op)) {
    const ranges = NUMERIC_TYPES.has(lhs.type) ? numericRanges(literals) : undefined;
    const set = new Set(literals.filter((l) => !RANGE.test(l.value) || !ranges).map((l) => convert(l, lhs.type)));
    if (ranges) {
      const has = (v: FieldValue): boolean =>
        set.has(v) || ranges.some(([min, max]) => (v as number) >= min && (v as number) <= max);
      if (lhs.list) {
        return op === 'in'
          ? (e) => (extract(e) as readonly FieldValue[] | undefined)?.every(has) ?? false
          : (e) => (extract(e) as readonly FieldValue[] | undefined)?.some(has) ?? false;
      }
      return scalarPredicate(extract, has);
    }
    if (lhs.list) {
      if (op === 'in') {
        return (e) => {
          const values = extract(e) as readonly FieldValue[] | undefined;
          if (values === undefined) return false;
          for (const v of values) if (!set.has(v)) return false;
          return true;
        };
      }
      return (e) => {
        const values = extract(e) as readonly FieldValue[] | undefined;
        if (values === undefined) return false;
        for (const v of values) if (set.has(v)) return true;
        return false;
      };
    }
    return scalarPredicate(extract, (v) => set.has(v));
  }

  if (op === 'pmatch') {
    const match = compilePathMatcher(literals.map((l) => l.value));
    if (lhs.list)
      return (e) => (extract(e) as readonly FieldValue[] | undefined)?.every((v) => match(v as string)) ?? false;
    return scalarPredicate(extract, (v) => match(v as string));
  }

  if (literals.length !== 1 || right.kind === 'list') {
    throw new ConditionError(`'${op}' operator takes a single value, not a list`, right.range.start, right.range.end);
  }
  return scalarPredicate(extract, scalarTest(op, literals[0] as ValueLiteral, lhs.type));
}

/**
 * A scalar check. A scalar field may yield several values (`proc.aname` without an index: every ancestor); the
 * check then holds when it holds for any of them, as in Falco.
 */
function scalarPredicate(extract: Extractor, test: Test): Predicate {
  return (e) => {
    const v = extract(e);
    if (v === undefined) return false;
    // Arrays are the only object values.
    if (typeof v === 'object') return v.some(test);
    return test(v);
  };
}

/** `field op val(other)` or `field op transformer(other)`: both sides are read per event. */
function compileFieldComparison(check: Check, lhs: ValueSource, ctx: CompileContext): Predicate {
  const right = check.right as Operand;
  const rhs = right.kind === 'val' ? compileField(right.field, ctx) : compileFieldExpr(right as TransformerExpr, ctx);
  const { start, end } = right.range;
  if (check.modifier !== undefined) throw new ConditionError('a modifier needs a list of values', start, end);
  const op = check.operator;
  if (
    op === 'glob' ||
    op === 'iglob' ||
    op === 'regex' ||
    op === 'pmatch' ||
    op === 'bcontains' ||
    op === 'bstartswith'
  ) {
    throw new ConditionError(`'${op}' operator does not support a field on its right-hand side`, start, end);
  }
  const sameType = typeWord(lhs.type) === typeWord(rhs.type);
  if (!sameType || (lhs.list !== rhs.list && !SET_OPS.has(op))) {
    throw new ConditionError(
      `left and right of '${op}' must have the same type and list-ness (${describe(lhs)} vs ${describe(rhs)})`,
      start,
      end,
    );
  }
  const left = lhs.extract;
  const other = rhs.extract;
  const compare = DYNAMIC[op];
  if (compare === undefined) throw new ConditionError(`'${op}' operator not supported with a field value`, start, end);
  return (e) => {
    const v = left(e);
    if (v === undefined) return false;
    const r = other(e);
    if (r === undefined) return false;
    return compare(v, r);
  };
}

function describe(source: ValueSource): string {
  return `${source.list ? 'list of ' : ''}${typeWord(source.type)}`;
}

const asList = (v: NonNullable<Extracted>): readonly FieldValue[] => (typeof v === 'object' ? v : [v]);

const DYNAMIC: Partial<Record<Operator, (v: NonNullable<Extracted>, r: NonNullable<Extracted>) => boolean>> = {
  '=': (v, r) => v === r,
  '==': (v, r) => v === r,
  '!=': (v, r) => v !== r,
  '<': (v, r) => v < r,
  '<=': (v, r) => v <= r,
  '>': (v, r) => v > r,
  '>=': (v, r) => v >= r,
  contains: (v, r) => String(v).includes(String(r)),
  icontains: (v, r) => String(v).toLowerCase().includes(String(r).toLowerCase()),
  startswith: (v, r) => String(v).startsWith(String(r)),
  endswith: (v, r) => String(v).endsWith(String(r)),
  in: (v, r) => {
    const set = new Set(asList(r));
    return asList(v).every((x) => set.has(x));
  },
  intersects: (v, r) => {
    const set = new Set(asList(r));
    return asList(v).some((x) => set.has(x));
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Index constraints

/** For some index fields, the only values an event may have for the condition to hold; absent: any value. */
export type IndexConstraint = ReadonlyMap<string, ReadonlySet<string>>;

const EMPTY: IndexConstraint = new Map();
const constraintCaches = new WeakMap<readonly string[], WeakMap<Expr, IndexConstraint>>();

/**
 * What a condition requires of the index fields (e.g. `ka.target.resource` and `ka.verb`): `f = v` and `f in (…)`
 * pin a field, `and` intersects, `or` unites, `not` and anything else constrain nothing. Sound: an event whose
 * values fall outside the constraint cannot satisfy the condition, because a missing field fails `=` and `in`.
 */
export function indexConstraint(expr: Expr, indexFields: readonly string[]): IndexConstraint {
  let cache = constraintCaches.get(indexFields);
  if (!cache) constraintCaches.set(indexFields, (cache = new WeakMap()));
  const known = cache.get(expr);
  if (known) return known;
  let result: IndexConstraint = EMPTY;
  switch (expr.kind) {
    case 'check': {
      const { left, operator, right } = expr;
      if (
        left.kind === 'field' &&
        left.arg === undefined &&
        indexFields.includes(left.name) &&
        right &&
        !expr.modifier
      ) {
        const literals = literalsOf(right);
        if (literals && (operator === '=' || operator === '==' || SET_OPS.has(operator))) {
          result = new Map([[left.name, new Set(literals.map((l) => l.value))]]);
        }
      }
      break;
    }
    case 'and': {
      const merged = new Map<string, ReadonlySet<string>>();
      for (const child of expr.children) {
        for (const [field, values] of indexConstraint(child, indexFields)) {
          const current = merged.get(field);
          merged.set(field, current ? new Set([...current].filter((v) => values.has(v))) : values);
        }
      }
      result = merged;
      break;
    }
    case 'or': {
      const children = expr.children.map((c) => indexConstraint(c, indexFields));
      const merged = new Map<string, ReadonlySet<string>>();
      for (const field of indexFields) {
        if (children.every((c) => c.has(field))) {
          merged.set(field, new Set(children.flatMap((c) => [...(c.get(field) ?? [])])));
        }
      }
      result = merged;
      break;
    }
    case 'not':
    case 'macro':
      break;
  }
  cache.set(expr, result);
  return result;
}
