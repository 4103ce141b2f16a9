/**
 * Go's text/template, as falcosidekick runs it for `slack.messageformat` and `templatedfields`, over plain JSON-like
 * data: text and actions with trim markers and comments; `if`/`else if`/`else`, `with`, `range` (arrays, and maps in
 * key order, with `$i, $e :=`) ending in `end`; pipelines with `|`, parentheses and variables (`$`, `$x := …`,
 * `$x = …`); field chains (`.A.b`, on maps a key lookup); string, number, boolean and nil constants; and the builtin
 * functions `and or not eq ne lt le gt ge len index printf print println html urlquery`. Not supported (refused at
 * compile time): `define`/`template`/`block`, `break`/`continue`, character constants.
 *
 * Values print as Go's `fmt` prints decoded JSON: a missing value as `<no value>`, a list as `[a b]`, a map as
 * `map[k:v]` with sorted keys (values nested deeper as compact JSON). An error while executing ends the output
 * there, as Go's does (what was written so far is kept). Kinder than Go in two places: a field of a missing value is
 * missing too (Go: "nil pointer evaluating"), and `eq` of a missing value and another is false (Go: an error).
 */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** Go prints a missing map entry (and a nil value) like this. */
export const NO_VALUE = '<no value>';

export interface GoTemplate {
  /**
   * Runs over `data`; `escape` is applied to every value an action prints, never to the template's own text. An
   * error ends the output (`failed` says so), as Go's Execute does: what was written so far is in `text`.
   */
  run(data: unknown, escape?: (value: string) => string): { text: string; failed: boolean };
  /** The text `run` gives, also when it failed (falcosidekick keeps a templated field's partial output). */
  execute(data: unknown, escape?: (value: string) => string): string;
}

export interface CompileOptions {
  /** The fields the data has at its top level (a Go struct's): any other `.Field` of it is refused at compile time. */
  rootFields?: readonly string[];
}

// --- Syntax ---------------------------------------------------------------------------------------------------

type Operand =
  | { kind: 'dot'; chain: string[] }
  | { kind: 'var'; name: string; chain: string[] }
  | { kind: 'const'; value: unknown }
  | { kind: 'func'; name: string }
  | { kind: 'pipe'; pipe: Pipe; chain: string[] };
interface Pipe {
  decl: string[];
  /** `=` (assign to existing variables) rather than `:=`. */
  assign: boolean;
  commands: Operand[][];
}
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipe }
  | { kind: 'if' | 'with'; branches: { pipe: Pipe; body: Node[] }[]; otherwise: Node[] }
  | { kind: 'range'; pipe: Pipe; body: Node[]; otherwise: Node[] };

/** How deep parentheses, and control structures, may nest: far beyond any real template, short of the stack's end. */
const MAX_DEPTH = 100;
/** Go's limit on a printf width or precision. */
const MAX_WIDTH = 1_000_000;

type Token =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'id'; v: string }
  | { t: 'field'; v: string[] }
  | { t: 'var'; v: string; chain: string[] }
  | { t: 'dot' }
  | { t: 'op'; v: '(' | ')' | '|' | ':=' | '=' | ','; chain?: string[] };

const TOKEN =
  /\s+|("(?:[^"\\\n]|\\.)*")|(`[^`]*`)|(:=|[(|=,]|\)(?:\.[A-Za-z_][A-Za-z0-9_]*)*)|(\$[A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)|((?:\.[A-Za-z_][A-Za-z0-9_]*)+)|(\.)|([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)/y;

function tokenize(body: string, offset: number): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < body.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(body);
    if (!m) throw new TemplateError(`unexpected "${body.slice(at, at + 10)}" at offset ${offset}`);
    const [, str, raw, op, name, varChain, field, dot, num, id] = m;
    if (str !== undefined) {
      try {
        tokens.push({ t: 'str', v: JSON.parse(str) as string });
      } catch {
        throw new TemplateError(`bad string ${str} at offset ${offset}`);
      }
    } else if (raw !== undefined) tokens.push({ t: 'str', v: raw.slice(1, -1) });
    // A field chain right after ")", without a space, applies to the parenthesised value.
    else if (op?.startsWith(')')) tokens.push({ t: 'op', v: ')', chain: chainOf(op.slice(1)) });
    else if (op !== undefined) tokens.push({ t: 'op', v: op as '(' });
    else if (name !== undefined) tokens.push({ t: 'var', v: name, chain: chainOf(varChain!) });
    else if (field !== undefined) tokens.push({ t: 'field', v: chainOf(field) });
    else if (dot !== undefined) tokens.push({ t: 'dot' });
    else if (num !== undefined) tokens.push({ t: 'num', v: Number(num) });
    else if (id !== undefined) tokens.push({ t: 'id', v: id });
  }
  return tokens;
}

const chainOf = (text: string): string[] => (text === '' ? [] : text.slice(1).split('.'));

/** Parses the tokens of one action's pipeline; `rootFields` checks fields of the top-level dot (`rootDot`). */
class PipeParser {
  private pos = 0;
  private depth = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly offset: number,
    private readonly check: (chain: string[], offset: number) => void,
  ) {}

  parse(): Pipe {
    const pipe = this.pipeline();
    if (this.pos < this.tokens.length) this.fail('unexpected tokens after the pipeline');
    return pipe;
  }

  private fail(message: string): never {
    throw new TemplateError(`${message} at offset ${this.offset}`);
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isOp(v: string): boolean {
    const token = this.peek();
    return token?.t === 'op' && token.v === v;
  }

  private pipeline(): Pipe {
    const decl: string[] = [];
    let assign = false;
    // `$x :=`, `$x =` or `$i, $e :=` ahead of the commands.
    const save = this.pos;
    const names: string[] = [];
    while (this.peek()?.t === 'var' && (this.peek() as { chain: string[] }).chain.length === 0) {
      names.push((this.peek() as { v: string }).v);
      this.pos++;
      if (this.isOp(',')) this.pos++;
      else break;
    }
    if (names.length > 0 && (this.isOp(':=') || this.isOp('='))) {
      assign = this.isOp('=');
      this.pos++;
      decl.push(...names);
    } else this.pos = save;
    const commands: Operand[][] = [this.command()];
    while (this.isOp('|')) {
      this.pos++;
      commands.push(this.command());
    }
    return { decl, assign, commands };
  }

  private command(): Operand[] {
    const operands: Operand[] = [];
    while (this.pos < this.tokens.length && !this.isOp('|') && !this.isOp(')')) operands.push(this.operand());
    if (operands.length === 0) this.fail('missing value for command');
    if (operands.length > 1 && operands[0]!.kind !== 'func') this.fail("can't give arguments to a non-function");
    return operands;
  }

  private operand(): Operand {
    const token = this.tokens[this.pos++]!;
    switch (token.t) {
      case 'str':
      case 'num':
        return { kind: 'const', value: token.v };
      case 'dot':
        return { kind: 'dot', chain: [] };
      case 'field':
        this.check(token.v, this.offset);
        return { kind: 'dot', chain: token.v };
      case 'var':
        return { kind: 'var', name: token.v, chain: token.chain };
      case 'id':
        if (token.v === 'true' || token.v === 'false') return { kind: 'const', value: token.v === 'true' };
        if (token.v === 'nil') return { kind: 'const', value: undefined };
        if (!Object.hasOwn(BUILTINS, token.v)) this.fail(`function "${token.v}" not defined`);
        return { kind: 'func', name: token.v };
      case 'op': {
        if (token.v !== '(') this.fail(`unexpected "${token.v}"`);
        if (++this.depth > MAX_DEPTH) this.fail('parentheses nested too deeply');
        const pipe = this.pipeline();
        this.depth--;
        const close = this.peek();
        if (close?.t !== 'op' || close.v !== ')') this.fail('unclosed left paren');
        this.pos++;
        return { kind: 'pipe', pipe, chain: close.chain ?? [] };
      }
    }
  }
}

interface Frame {
  kind: 'root' | 'if' | 'with' | 'range';
  node?: Extract<Node, { kind: 'if' | 'with' | 'range' }>;
  /** Where nodes go now: the open branch, or the `else` part. */
  into: Node[];
  /** Whether `.Field` here is a field of the top-level data. */
  rootDot: boolean;
}

function parse(source: string, rootFields: readonly string[] | undefined): Node[] {
  const root: Node[] = [];
  const stack: Frame[] = [{ kind: 'root', into: root, rootDot: true }];
  const top = () => stack[stack.length - 1]!;
  let text = '';
  let pos = 0;
  const flushText = () => {
    if (text !== '') top().into.push({ kind: 'text', text });
    text = '';
  };
  const checker = (rootDot: boolean) => (chain: string[], offset: number) => {
    if (!rootDot || !rootFields || rootFields.includes(chain[0]!)) return;
    throw new TemplateError(
      `unknown field ".${chain[0]}" at offset ${offset}; the data has ${rootFields.map((f) => `.${f}`).join(', ')}`,
    );
  };
  const pipeOf = (tokens: Token[], offset: number, rootDot: boolean) =>
    new PipeParser(tokens, offset, checker(rootDot)).parse();

  while (pos < source.length) {
    const open = source.indexOf('{{', pos);
    if (open === -1) {
      text += source.slice(pos);
      break;
    }
    text += source.slice(pos, open);
    const close = source.indexOf('}}', open + 2);
    if (close === -1) throw new TemplateError(`unclosed action "{{" at offset ${open}`);
    let body = source.slice(open + 2, close);
    let next = close + 2;
    // Go's trim markers need a space next to the dash: "{{- " and " -}}".
    if (/^-\s/.test(body)) {
      body = body.slice(1);
      text = text.trimEnd();
    }
    if (/\s-$/.test(body)) {
      body = body.slice(0, -1);
      while (next < source.length && /\s/.test(source[next]!)) next++;
    }
    pos = next;
    body = body.trim();
    flushText();
    if (body.startsWith('/*')) {
      if (!body.endsWith('*/')) throw new TemplateError(`unclosed comment at offset ${open}`);
      continue;
    }
    const tokens = tokenize(body, open);
    const first = tokens[0];
    const keyword = first?.t === 'id' ? first.v : undefined;
    const frame = top();
    if (keyword === 'if' || keyword === 'with' || keyword === 'range') {
      // Inside with and range the dot is something else than the top-level data.
      const pipe = pipeOf(tokens.slice(1), open, frame.rootDot);
      const body: Node[] = [];
      const node: Node =
        keyword === 'range'
          ? { kind: 'range', pipe, body, otherwise: [] }
          : { kind: keyword, branches: [{ pipe, body }], otherwise: [] };
      frame.into.push(node);
      if (stack.length > MAX_DEPTH) throw new TemplateError(`{{${keyword}}} nested too deeply at offset ${open}`);
      stack.push({ kind: keyword, node, into: body, rootDot: keyword === 'if' && frame.rootDot });
    } else if (keyword === 'else') {
      if (frame.kind === 'root') throw new TemplateError(`unexpected {{else}} at offset ${open}`);
      const node = frame.node!;
      const chained = tokens[1]?.t === 'id' ? tokens[1].v : undefined;
      if ((chained === 'if' || chained === 'with') && node.kind === chained) {
        const body: Node[] = [];
        node.branches.push({ pipe: pipeOf(tokens.slice(2), open, stack[stack.length - 2]!.rootDot), body });
        frame.into = body;
      } else if (tokens.length === 1) {
        frame.into = node.otherwise;
        frame.rootDot = stack[stack.length - 2]!.rootDot;
      } else throw new TemplateError(`unexpected tokens after else at offset ${open}`);
    } else if (keyword === 'end') {
      if (frame.kind === 'root') throw new TemplateError(`unexpected {{end}} at offset ${open}`);
      stack.pop();
    } else if (keyword && ['define', 'template', 'block', 'break', 'continue'].includes(keyword)) {
      throw new TemplateError(`{{${keyword}}} is not supported here (at offset ${open})`);
    } else {
      if (tokens.length === 0) throw new TemplateError(`missing value for command at offset ${open}`);
      frame.into.push({ kind: 'action', pipe: pipeOf(tokens, open, frame.rootDot) });
    }
  }
  flushText();
  if (stack.length > 1) throw new TemplateError(`unexpected EOF: {{${top().kind}}} without {{end}}`);
  return root;
}

// --- Values -----------------------------------------------------------------------------------------------------

class ExecError extends Error {}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's truth: false, 0, nil, and empty strings, lists and maps are false. */
function truth(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

/** How `fmt` prints a value; lists and maps inside lists and maps as compact JSON. */
export function goPrint(v: unknown, nested = false): string {
  if (v === undefined || v === null) return NO_VALUE;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (nested) return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((e) => goPrint(e, true)).join(' ')}]`;
  const keys = Object.keys(v).sort();
  return `map[${keys.map((k) => `${k}:${goPrint((v as Record<string, unknown>)[k], true)}`).join(' ')}]`;
}

function field(v: unknown, chain: readonly string[]): unknown {
  let value = v;
  for (const name of chain) {
    if (value === undefined || value === null) return undefined;
    if (!isMap(value)) throw new ExecError(`can't evaluate field ${name} in a ${describe(value)}`);
    value = Object.hasOwn(value, name) ? value[name] : undefined;
  }
  return value;
}

function describe(v: unknown): string {
  return Array.isArray(v) ? 'list' : typeof v;
}

function compare(name: string, a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new ExecError(`${name}: incompatible types for comparison (${describe(a)} and ${describe(b)})`);
}

/** Go's eq, but a missing value (nil) is unequal to anything else rather than an error. */
function equal(a: unknown, b: unknown): boolean {
  const nil = (v: unknown) => v === undefined || v === null;
  if (nil(a) || nil(b)) return nil(a) && nil(b);
  if (typeof a !== typeof b) throw new ExecError('eq: incompatible types for comparison');
  if (isMap(a) || Array.isArray(a)) throw new ExecError('eq: non-comparable type');
  return a === b;
}

/**
 * Go's `fmt.Sprintf` for the verbs templates use: %s %v %d %q %t %x %f %% with a width (`-` pads on the right, `0`
 * with zeros) and a precision for %f; other verbs print as %v.
 */
function sprintf(format: unknown, args: unknown[]): string {
  if (typeof format !== 'string') throw new ExecError('printf: the format must be a string');
  let i = 0;
  const verbs = /%([-+# 0]*)(\d*)(?:\.(\d+))?([a-zA-Z%])/g;
  return format.replace(verbs, (_all, flags: string, width: string, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) return `%!${verb}(MISSING)`;
    const w = Number(width || 0);
    const arg = args[i++];
    if (w > MAX_WIDTH) return '%!(BADWIDTH)';
    if (Number(precision ?? 0) > MAX_WIDTH) return '%!(BADPREC)';
    const text = formatVerb(verb, arg, precision);
    if (text.length >= w) return text;
    if (flags.includes('-')) return text.padEnd(w);
    return flags.includes('0') && verb !== 's' && verb !== 'q' ? text.padStart(w, '0') : text.padStart(w);
  });
}

function formatVerb(verb: string, arg: unknown, precision: string | undefined): string {
  switch (verb) {
    case 'q':
      return JSON.stringify(typeof arg === 'string' ? arg : goPrint(arg));
    case 'd':
      return typeof arg === 'number' ? String(Math.trunc(arg)) : `%!d(${goPrint(arg)})`;
    case 'x':
      return typeof arg === 'number' ? Math.trunc(arg).toString(16) : Buffer.from(goPrint(arg)).toString('hex');
    case 'f':
      return typeof arg === 'number'
        ? arg.toFixed(precision === undefined ? 6 : Math.min(Number(precision), 100))
        : `%!f(${goPrint(arg)})`;
    default:
      return goPrint(arg);
  }
}

/** `fmt.Sprint`: a space between operands when neither is a string. */
function sprint(args: unknown[]): string {
  let out = '';
  args.forEach((arg, i) => {
    if (i > 0 && typeof arg !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += goPrint(arg);
  });
  return out;
}

/** Lone UTF-16 surrogates (which JSON can carry) as U+FFFD, as Go's UTF-8 would hold them. */
const wellFormed = (text: string) =>
  text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

const HTML_ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;' };

type Builtin = (args: unknown[], lazy: (() => unknown)[]) => unknown;

function arity(name: string, args: unknown[], n: number): void {
  if (args.length !== n) throw new ExecError(`wrong number of args for ${name}: want ${n} got ${args.length}`);
}

const comparison =
  (name: string, holds: (order: number) => boolean): Builtin =>
  (args) => {
    arity(name, args, 2);
    return holds(compare(name, args[0], args[1]));
  };

/** `and`/`or` evaluate their arguments only as far as needed (`lazy`); the others get all of them (`args`). */
const SHORT_CIRCUIT = new Set(['and', 'or']);

/** Go's builtin template functions (but `call`, `js`, `slice`). */
const BUILTINS: Record<string, Builtin> = {
  and: (_args, lazy) => {
    let last: unknown;
    for (const get of lazy) if (!truth((last = get()))) return last;
    return last;
  },
  or: (_args, lazy) => {
    let last: unknown;
    for (const get of lazy) if (truth((last = get()))) return last;
    return last;
  },
  not: (args) => {
    arity('not', args, 1);
    return !truth(args[0]);
  },
  eq: (args) => {
    if (args.length < 2) throw new ExecError('missing argument for comparison');
    return args.slice(1).some((b) => equal(args[0], b));
  },
  ne: (args) => {
    arity('ne', args, 2);
    return !equal(args[0], args[1]);
  },
  lt: comparison('lt', (c) => c < 0),
  le: comparison('le', (c) => c <= 0),
  gt: comparison('gt', (c) => c > 0),
  ge: comparison('ge', (c) => c >= 0),
  len: (args) => {
    arity('len', args, 1);
    const v = args[0];
    if (typeof v === 'string') return Buffer.byteLength(v);
    if (Array.isArray(v)) return v.length;
    if (isMap(v)) return Object.keys(v).length;
    throw new ExecError(`len of ${describe(v)}`);
  },
  index: (args) => {
    if (args.length === 0) throw new ExecError('index of nothing');
    let v = args[0];
    for (const key of args.slice(1)) {
      if (v === undefined || v === null) return undefined;
      if (Array.isArray(v) && typeof key === 'number') {
        if (key < 0 || key >= v.length) throw new ExecError(`index out of range: ${key}`);
        v = v[key];
      } else if (isMap(v) && typeof key === 'string') v = Object.hasOwn(v, key) ? v[key] : undefined;
      else throw new ExecError(`can't index a ${describe(v)} with a ${typeof key}`);
    }
    return v;
  },
  printf: (args) => sprintf(args[0], args.slice(1)),
  print: (args) => sprint(args),
  println: (args) => `${args.map((a) => goPrint(a)).join(' ')}\n`,
  html: (args) => sprint(args).replace(/[<>&'"]/g, (c) => HTML_ESCAPES[c]!),
  // Go's QueryEscape: every byte but letters, digits and -_.~ escaped, spaces as +.
  urlquery: (args) =>
    encodeURIComponent(wellFormed(sprint(args)))
      .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, '+'),
};

// --- Execution --------------------------------------------------------------------------------------------------

interface Scope {
  dot: unknown;
  vars: { name: string; value: unknown }[];
}

function lookupVar(scope: Scope, name: string): unknown {
  for (let i = scope.vars.length - 1; i >= 0; i--) if (scope.vars[i]!.name === name) return scope.vars[i]!.value;
  throw new ExecError(`undefined variable: ${name}`);
}

function evalOperand(op: Operand, scope: Scope): unknown {
  switch (op.kind) {
    case 'dot':
      return field(scope.dot, op.chain);
    case 'var':
      return field(lookupVar(scope, op.name), op.chain);
    case 'const':
      return op.value;
    case 'pipe':
      return field(evalPipe(op.pipe, scope), op.chain);
    case 'func':
      return BUILTINS[op.name]!([], []);
  }
}

function evalPipe(pipe: Pipe, scope: Scope): unknown {
  let value: unknown;
  let piped = false;
  for (const command of pipe.commands) {
    const [head, ...rest] = command;
    if (head!.kind === 'func') {
      const argOps = piped ? [...rest, { kind: 'const', value } as Operand] : rest;
      const lazy = argOps.map((op) => () => evalOperand(op, scope));
      value = BUILTINS[head!.name]!(SHORT_CIRCUIT.has(head!.name) ? [] : lazy.map((get) => get()), lazy);
    } else {
      if (piped) throw new ExecError("can't give a piped argument to a non-function");
      value = evalOperand(head!, scope);
    }
    piped = true;
  }
  if (pipe.decl.length === 1) {
    if (pipe.assign) {
      const slot = [...scope.vars].reverse().find((v) => v.name === pipe.decl[0]);
      if (!slot) throw new ExecError(`undefined variable: ${pipe.decl[0]}`);
      slot.value = value;
    } else scope.vars.push({ name: pipe.decl[0]!, value });
  }
  return value;
}

function run(nodes: readonly Node[], scope: Scope, out: string[], escape: (value: string) => string): void {
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out.push(node.text);
        break;
      case 'action': {
        const value = evalPipe(node.pipe, scope);
        if (node.pipe.decl.length === 0) out.push(escape(goPrint(value)));
        break;
      }
      case 'if':
      case 'with': {
        const mark = scope.vars.length;
        let inner: Scope | undefined;
        for (const { pipe, body } of node.branches) {
          const value = evalPipe(pipe, scope);
          if (!truth(value)) continue;
          inner = node.kind === 'with' ? { dot: value, vars: scope.vars } : scope;
          run(body, inner, out, escape);
          break;
        }
        if (inner === undefined) run(node.otherwise, scope, out, escape);
        scope.vars.length = mark;
        break;
      }
      case 'range': {
        const mark = scope.vars.length;
        const decl = node.pipe.decl;
        const value = evalPipe({ ...node.pipe, decl: [] }, scope);
        const entries: [unknown, unknown][] = Array.isArray(value)
          ? value.map((e, i) => [i, e])
          : isMap(value)
            ? Object.keys(value)
                .sort()
                .map((k) => [k, value[k]])
            : value === undefined || value === null
              ? []
              : (() => {
                  throw new ExecError(`range can't iterate over ${goPrint(value)}`);
                })();
        if (entries.length === 0) run(node.otherwise, scope, out, escape);
        for (const [key, element] of entries) {
          const vars = [...scope.vars.slice(0, mark)];
          if (decl.length === 1) vars.push({ name: decl[0]!, value: element });
          if (decl.length === 2) vars.push({ name: decl[0]!, value: key }, { name: decl[1]!, value: element });
          run(node.body, { dot: element, vars }, out, escape);
        }
        scope.vars.length = mark;
        break;
      }
    }
  }
}

/** Parses once; throws TemplateError naming the offset of the first problem. */
export function compileGoTemplate(source: string, { rootFields }: CompileOptions = {}): GoTemplate {
  const nodes = parse(source, rootFields);
  return {
    run(data, escape = (value) => value) {
      const out: string[] = [];
      let failed = false;
      try {
        run(nodes, { dot: data, vars: [{ name: '$', value: data }] }, out, escape);
      } catch {
        // Not only ExecError: a value from an alert must never turn into an exception of the caller.
        failed = true;
      }
      return { text: out.join(''), failed };
    },
    execute(data, escape) {
      return this.run(data, escape).text;
    },
  };
}
