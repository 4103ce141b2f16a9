/**
 * Output formats (Falco libs `sinsp_evt_formatter`): `%field`, `%field[arg]`, `%<width>field` and `%transformer(…)`
 * tokens compiled once per rule, then rendered per alert with `<NA>` for missing values and `(a,b)` for lists.
 */
import {
  fieldText,
  TRANSFORMERS,
  type FieldExpr,
  type FieldRef,
  type TransformerArg,
  type TransformerExpr,
} from './ast.js';
import { CompileContext, compileFieldExpr, type CompileWarning, type ValueSource } from './compile.js';
import { ConditionError } from './errors.js';
import { formatClock } from './fields/time.js';
import type { EngineEvent, Extracted, Extractor, FieldRegistry, FieldType, FieldValue } from './fields/types.js';
import { LIMITS } from './limits.js';
import { parseCondition } from './parser.js';

interface TextPart {
  kind: 'text';
  text: string;
}

interface FieldPart {
  kind: 'field';
  /** The token as written, e.g. `jevt.value[/stage]` or `tolower(proc.name)`. */
  token: string;
  extract: Extractor;
  type: FieldType;
  width?: number;
  /** The `output_fields` key: the token, or the untransformed inner field of a transformer. */
  key: string;
  /** The value for `output_fields` (the inner field's, for a transformer). */
  raw: Extractor;
}

type Part = TextPart | FieldPart;

export interface CompiledOutput {
  format: string;
  parts: readonly Part[];
  /** Every `output_fields` key, sorted (Falco's JSON has its keys in alphabetical order). */
  keys: readonly string[];
  /** For each key, the index of the first part that gives its value. */
  partOf: ReadonlyMap<string, number>;
  warnings: CompileWarning[];
}

export interface RenderedOutput {
  text: string;
  /** The `output_fields` values, keyed as `CompiledOutput.keys`. */
  fields: Record<string, unknown>;
}

const FIELD_NAME = /[a-zA-Z]+[a-zA-Z0-9_]*(?:\.[a-zA-Z]+[a-zA-Z0-9_]*)+/y;
const TRANSFORMER_START = new RegExp(`(?:${TRANSFORMERS.join('|')})\\(`, 'y');
const DEPRECATED_CONTAINER_INFO = /container\.info(?![a-zA-Z0-9_.[])/y;

/** Compiles an output format for a source; throws `ConditionError` (code `LOAD_ERR_COMPILE_OUTPUT`) when invalid. */
export function compileOutput(format: string, registry: FieldRegistry): CompiledOutput {
  if (format.length > LIMITS.maxOutputLength) {
    throw outputError(`output is too long: ${format.length} characters, the limit is ${LIMITS.maxOutputLength}`, 0);
  }
  const ctx = new CompileContext(registry);
  const parts: Part[] = [];
  const warnings: CompileWarning[] = [];
  let text = '';
  let i = 0;
  while (i < format.length) {
    const percent = format.indexOf('%', i);
    if (percent < 0) {
      text += format.slice(i);
      break;
    }
    text += format.slice(i, percent);
    let pos = percent + 1;
    if (pos >= format.length) throw outputError('formatting cannot end with a %', percent);
    const digits = /[0-9]+/y;
    digits.lastIndex = pos;
    const width = digits.exec(format);
    if (width) pos += width[0].length;

    DEPRECATED_CONTAINER_INFO.lastIndex = pos;
    const info = DEPRECATED_CONTAINER_INFO.exec(format);
    if (info) {
      warnings.push({
        code: 'LOAD_DEPRECATED_ITEM',
        message: '%container.info is deprecated and has been removed from the output',
        start: percent,
        end: pos + info[0].length,
      });
      i = pos + info[0].length;
      continue;
    }

    const token = readToken(format, pos, registry);
    if (!token) throw outputError('invalid formatting token', percent);
    const inner = token.inner;
    let source: ValueSource;
    let raw: Extractor;
    try {
      source = compileFieldExpr(token.expr, ctx);
      raw = inner === token.expr ? source.extract : compileFieldExpr(inner, ctx).extract;
    } catch (error) {
      if (!(error instanceof ConditionError)) throw error;
      throw outputError(error.message, pos, error.unknownField);
    }
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
    parts.push({
      kind: 'field',
      token: format.slice(pos, token.end),
      extract: source.extract,
      type: source.type,
      ...(width ? { width: Number(width[0]) } : {}),
      key: fieldText(inner),
      raw,
    });
    i = token.end;
  }
  if (text !== '') parts.push({ kind: 'text', text });
  warnings.push(...ctx.warnings);
  const partOf = new Map<string, number>();
  parts.forEach((p, i) => {
    if (p.kind === 'field' && !partOf.has(p.key)) partOf.set(p.key, i);
  });
  return { format, parts, keys: [...partOf.keys()].sort(), partOf, warnings };
}

function outputError(message: string, at: number, unknownField?: string): ConditionError {
  return new ConditionError(message, at, at + 1, 'LOAD_ERR_COMPILE_OUTPUT', unknownField);
}

interface Token {
  expr: FieldRef | TransformerExpr;
  /** The field whose raw value goes into `output_fields`. */
  inner: FieldRef;
  end: number;
}

/** The longest field (or transformer expression) starting at `pos` that the source knows. */
function readToken(format: string, pos: number, registry: FieldRegistry): Token | undefined {
  TRANSFORMER_START.lastIndex = pos;
  if (TRANSFORMER_START.test(format)) return readTransformer(format, pos);
  FIELD_NAME.lastIndex = pos;
  const match = FIELD_NAME.exec(format);
  if (!match) return undefined;
  let name = match[0];
  while (name.length > 0 && !registry.lookup(name)) name = name.slice(0, -1).replace(/\.$/, '');
  if (name === '') throw outputError(`unknown filter: ${match[0]}`, pos, match[0]);
  let end = pos + name.length;
  const field: FieldRef = { kind: 'field', name, range: { start: 0, end: name.length } };
  if (name === match[0] && format.charAt(end) === '[') {
    const close = format.indexOf(']', end);
    if (close < 0) throw outputError(`missing ']' after %${name}[`, end);
    field.arg = format.slice(end + 1, close);
    end = close + 1;
  }
  return { expr: field, inner: field, end };
}

/** `%tolower(proc.name)`: parsed with the condition parser, up to the matching parenthesis. */
function readTransformer(format: string, pos: number): Token {
  let depth = 0;
  let end = pos;
  for (; end < format.length; end++) {
    const c = format.charAt(end);
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) break;
  }
  if (depth !== 0) throw outputError('unterminated transformer in output', pos);
  end++;
  const expr = parseCondition(`${format.slice(pos, end)} exists`);
  if (expr.kind !== 'check' || expr.left.kind !== 'transformer') throw outputError('invalid formatting token', pos);
  let inner: FieldExpr = expr.left;
  while (inner.kind === 'transformer') {
    const first: TransformerArg | undefined = inner.args.find((a) => a.kind === 'field' || a.kind === 'transformer');
    if (!first || (first.kind !== 'field' && first.kind !== 'transformer'))
      throw outputError('invalid formatting token', pos);
    inner = first;
  }
  return { expr: expr.left, inner, end };
}

/** A value as Falco prints it in an output: lists as `(a,b)`, times of `evt.time` as a clock. */
function display(value: Extracted, type: FieldType, token: string): string {
  if (value === undefined) return '<NA>';
  if (Array.isArray(value)) {
    let out = '';
    let bytes = 0;
    for (const [i, v] of (value as readonly FieldValue[]).entries()) {
      const text = String(v);
      bytes += Buffer.byteLength(text) + (i > 0 ? 1 : 0);
      if (bytes > LIMITS.maxListOutputBytes) break;
      out += i > 0 ? `,${text}` : text;
    }
    return `(${out})`;
  }
  if (type === 'abstime' && typeof value === 'bigint' && (token === 'evt.time' || token === 'evt.time.s')) {
    return formatClock(value);
  }
  return String(value);
}

/** A value for `output_fields`: `null` when missing, arrays for lists, numbers for times. */
function jsonValue(value: Extracted): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return (value as readonly FieldValue[]).map((v) => (typeof v === 'bigint' ? Number(v) : v));
  return value;
}

/** The output text and each field part's `output_fields` value (by part index; undefined for text parts). */
export function renderParts(output: CompiledOutput, event: EngineEvent): { text: string; values: unknown[] } {
  let text = '';
  const values: unknown[] = new Array(output.parts.length);
  const parts = output.parts;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as Part;
    if (part.kind === 'text') {
      text += part.text;
      continue;
    }
    const value = part.extract(event);
    let shown = display(value, part.type, part.token);
    if (part.width !== undefined)
      shown = shown.length > part.width ? shown.slice(0, part.width) : shown.padEnd(part.width);
    text += shown;
    values[i] = jsonValue(part.raw === part.extract ? value : part.raw(event));
  }
  return { text, values };
}

export function renderOutput(output: CompiledOutput, event: EngineEvent): RenderedOutput {
  const { text, values } = renderParts(output, event);
  const fields: Record<string, unknown> = {};
  for (const key of output.keys) fields[key] = values[output.partOf.get(key) as number];
  return { text, fields };
}
