/**
 * Rules loading, stage 3 (Falco `rule_loader_compiler.cpp`): the collected lists, macros and rules compiled as a
 * whole — list nesting and textual substitution, exceptions rewritten into conditions, macros parsed and resolved
 * with their visibility, rules compiled against their source's fields, outputs compiled — with Falco's diagnostics.
 */
import type { Priority } from '@harrier/alert';
import { OPERATORS, MODIFIERS, type Expr, type MacroRef } from '../ast.js';
import {
  CompileContext,
  compileCondition,
  indexConstraint,
  lookupField,
  type IndexConstraint,
  type Predicate,
} from '../compile.js';
import {
  ConditionError,
  createDiagnostic,
  renderTextExcerpt,
  type LoadError,
  type LoadErrorCode,
  type LoadWarning,
  type LoadWarningCode,
  type SourcePosition,
} from '../errors.js';
import { FIELD_REGISTRIES } from '../fields/index.js';
import type { FieldRegistry } from '../fields/types.js';
import { compileOutput, type CompiledOutput } from '../output.js';
import { LIMITS } from '../limits.js';
import { parseCondition } from '../parser.js';
import { checkExpansion, resolveMacros } from '../resolve-macros.js';
import type { CollectedMacro, CollectedRule, Origin, RuleCollection, RuleException } from './collector.js';
import type { ValueSite } from './reader.js';

/** A rule ready to evaluate. */
export interface CompiledRule {
  name: string;
  /** Load order (a redefined rule keeps its first position). */
  index: number;
  source: string;
  priority: Priority;
  /** Sorted, as in Falco's JSON alerts. */
  tags: string[];
  desc: string;
  enabled: boolean;
  /** False when the condition reads fields no Harrier sensor produces: the rule is never evaluated. */
  evaluable: boolean;
  /** The condition as compiled: exceptions appended, lists substituted. */
  condition: string;
  matches: Predicate;
  output: CompiledOutput;
  /** The alert's `output_fields` keys, sorted, each with the output part giving its value (-1: `evt.time`). */
  alertFields: ReadonlyArray<readonly [key: string, part: number]>;
  /** What the rule requires of its source's index fields (see `evaluate.ts`). */
  constraint: IndexConstraint;
  position: SourcePosition;
}

export interface CompileResult {
  rules: CompiledRule[];
  errors: LoadError[];
  warnings: LoadWarning[];
}

/** A macro or rule that cannot compile because a macro it uses is broken (that macro's error is reported). */
class BrokenDependency extends Error {}

const BLANKS = ' \t\n\r';
const DELIMITERS = `${BLANKS}(),=`;
const SET_COMPS = new Set(['in', 'intersects', 'pmatch']);
const MODIFIER_NAMES: ReadonlySet<string> = new Set(MODIFIERS);
const OPERATOR_NAMES: ReadonlySet<string> = new Set(OPERATORS);

/** `startswith oneof`: an operator followed by a modifier. */
function isModifierComp(comp: string): boolean {
  const [op, modifier, ...rest] = comp.split(/\s+/);
  return (
    rest.length === 0 &&
    op !== undefined &&
    OPERATOR_NAMES.has(op) &&
    modifier !== undefined &&
    MODIFIER_NAMES.has(modifier)
  );
}

/** A list item or exception value as condition text: wrapped in quotes when it holds a space. */
function quoteItem(item: string): string {
  return item.includes(' ') && !item.startsWith('"') && !item.startsWith("'") ? `"${item}"` : item;
}

/** Falco's textual list substitution for one list (rules-language.md §2); undefined when the name does not occur. */
export function substituteList(condition: string, name: string, items: readonly string[]): string | undefined {
  let text = condition;
  let pos = text.indexOf(name);
  let changed = false;
  while (pos >= 0) {
    const end = pos + name.length;
    const bounded =
      (pos === 0 || DELIMITERS.includes(text.charAt(pos - 1))) &&
      (end >= text.length || DELIMITERS.includes(text.charAt(end)));
    if (!bounded) {
      pos = text.indexOf(name, end);
      continue;
    }
    let start = pos;
    let stop = end;
    while (start > 0 && BLANKS.includes(text.charAt(start - 1))) start--;
    while (stop < text.length && BLANKS.includes(text.charAt(stop))) stop++;
    let before = text.slice(0, start);
    let after = text.slice(stop);
    if (items.length === 0) {
      if (before.endsWith(',')) before = before.slice(0, -1);
      else if (after.startsWith(',')) after = after.slice(1);
    }
    const replacement = ` ${items.map(quoteItem).join(', ')} `;
    text = before + replacement + after;
    changed = true;
    pos = text.indexOf(name, before.length + replacement.length);
  }
  return changed ? text : undefined;
}

export function compileCollection(collection: RuleCollection): CompileResult {
  return new CollectionCompiler(collection).compile();
}

class CollectionCompiler {
  private readonly errors: LoadError[] = [];
  private readonly warnings: LoadWarning[] = [];
  /** Lists in index order with their nested lists expanded one level. */
  private readonly lists: Array<{ name: string; items: string[]; mark: () => void }>;
  private readonly parsedMacros = new Map<string, Expr | undefined>();
  private readonly resolvedMacros = new Map<string, Expr | undefined>();
  private readonly resolving = new Set<string>();
  private readonly contexts = new Map<string, CompileContext>();

  constructor(private readonly collection: RuleCollection) {
    for (const list of collection.lists.values()) list.used = false;
    for (const macro of collection.macros.values()) macro.used = false;
    const all = [...collection.lists.values()].sort((a, b) => a.index - b.index);
    this.lists = all.map((list) => ({
      name: list.name,
      items: list.items.flatMap((item) => {
        const nested = collection.lists.get(item);
        if (nested === undefined || nested.index >= list.visibility) return [item];
        nested.used = true;
        return nested.items;
      }),
      mark: () => {
        list.used = true;
      },
    }));
  }

  compile(): CompileResult {
    const macros = [...this.collection.macros.values()].sort((a, b) => a.index - b.index);
    for (const macro of macros) this.parseMacro(macro);
    for (const macro of macros) {
      try {
        this.resolveMacro(macro);
      } catch (error) {
        if (!(error instanceof BrokenDependency)) throw error;
      }
    }
    const rules: CompiledRule[] = [];
    for (const rule of this.collection.rules.values()) {
      const compiled = this.compileRule(rule);
      if (compiled) rules.push(compiled);
    }
    for (const macro of macros) {
      if (!macro.used)
        this.warn('LOAD_UNUSED_MACRO', 'Macro not referred to by any other rule/macro', macro.origin, 'macro');
    }
    for (const list of this.collection.lists.values()) {
      if (!list.used)
        this.warn('LOAD_UNUSED_LIST', 'List not referred to by any other rule/macro', list.origin, 'list');
    }
    return { rules, errors: this.errors, warnings: this.warnings };
  }

  // -- text -------------------------------------------------------------------------------------------------

  /** Substitutes every list into a condition, one list at a time in index order. */
  private substitute(condition: string): string {
    let text = condition;
    for (const list of this.lists) {
      if (!text.includes(list.name)) continue;
      const replaced = substituteList(text, list.name, list.items);
      if (replaced !== undefined) {
        text = replaced;
        list.mark();
      }
    }
    return text;
  }

  // -- macros -----------------------------------------------------------------------------------------------

  private parseMacro(macro: CollectedMacro): void {
    const text = this.substitute(macro.condition);
    try {
      this.parsedMacros.set(macro.name, parseCondition(text));
    } catch (error) {
      if (!(error instanceof ConditionError)) throw error;
      this.parsedMacros.set(macro.name, undefined);
      this.conditionError(error, macro.origin, 'macro', macro.conditionSite, text, macro.condition);
    }
  }

  private resolveMacro(macro: CollectedMacro): Expr {
    if (this.resolvedMacros.has(macro.name)) {
      const known = this.resolvedMacros.get(macro.name);
      if (known === undefined) throw new BrokenDependency();
      return known;
    }
    const parsed = this.parsedMacros.get(macro.name);
    if (parsed === undefined) {
      this.resolvedMacros.set(macro.name, undefined);
      throw new BrokenDependency();
    }
    if (this.resolving.has(macro.name)) {
      throw new ConditionError(`Macro '${macro.name}' refers to itself`, 0, 0, 'LOAD_ERR_VALIDATE');
    }
    if (this.resolving.size >= LIMITS.maxMacroNesting) {
      throw new ConditionError(
        `macros are nested more than ${LIMITS.maxMacroNesting} deep (through '${macro.name}')`,
        0,
        0,
        'LOAD_ERR_VALIDATE',
      );
    }
    this.resolving.add(macro.name);
    try {
      const resolved = resolveMacros(parsed, (ref) => this.lookupMacro(ref, macro.visibility));
      // Checked bottom-up, macro by macro, so sizes are computed incrementally and never recurse deeply.
      checkExpansion(resolved);
      this.resolvedMacros.set(macro.name, resolved);
      return resolved;
    } catch (error) {
      this.resolvedMacros.set(macro.name, undefined);
      if (error instanceof ConditionError) {
        const text = this.substitute(macro.condition);
        this.conditionError(error, macro.origin, 'macro', macro.conditionSite, text, macro.condition);
        throw new BrokenDependency();
      }
      if (error instanceof RangeError) {
        this.error('LOAD_ERR_COMPILE_CONDITION', 'condition is too deeply nested', macro.origin, 'macro', 'condition');
        throw new BrokenDependency();
      }
      throw error;
    } finally {
      this.resolving.delete(macro.name);
    }
  }

  /** The macro a reference names, if it was defined before `visibility` (rules see every macro). */
  private lookupMacro(ref: MacroRef, visibility: number): Expr | undefined {
    const target = this.collection.macros.get(ref.name);
    if (target === undefined || target.index >= visibility) return undefined;
    target.used = true;
    return this.resolveMacro(target);
  }

  // -- rules ------------------------------------------------------------------------------------------------

  private context(registry: FieldRegistry): CompileContext {
    let ctx = this.contexts.get(registry.source);
    if (!ctx) this.contexts.set(registry.source, (ctx = new CompileContext(registry)));
    return ctx;
  }

  private compileRule(rule: CollectedRule): CompiledRule | undefined {
    const source = rule.source ?? 'syscall';
    const registry = FIELD_REGISTRIES.get(source);
    let text = rule.condition;
    let expr: Expr;
    try {
      text = this.substitute(this.withExceptions(rule, registry));
      expr = resolveMacros(parseCondition(text), (ref) => this.lookupMacro(ref, Infinity));
      checkExpansion(expr);
    } catch (error) {
      if (error instanceof BrokenDependency) return undefined;
      if (error instanceof RangeError) {
        this.error('LOAD_ERR_COMPILE_CONDITION', 'condition is too deeply nested', rule.origin, 'rule', 'condition');
        return undefined;
      }
      if (error instanceof ExceptionError) {
        this.error(error.code, error.message, rule.origin, 'rule', 'exceptions');
        return undefined;
      }
      if (error instanceof ConditionError) {
        this.conditionError(error, rule.origin, 'rule', rule.conditionSite, text, rule.condition);
        return undefined;
      }
      throw error;
    }
    if (!registry) {
      this.warn('LOAD_UNKNOWN_SOURCE', `Unknown source ${source}, skipping`, rule.origin, 'rule', 'source');
      return undefined;
    }
    const ctx = this.context(registry);
    ctx.reset();
    let matches: Predicate;
    let output: CompiledOutput;
    try {
      matches = compileCondition(expr, ctx);
    } catch (error) {
      if (error instanceof RangeError) {
        this.error('LOAD_ERR_COMPILE_CONDITION', 'condition is too deeply nested', rule.origin, 'rule', 'condition');
        return undefined;
      }
      if (!(error instanceof ConditionError)) throw error;
      if (error.unknownField !== undefined && rule.skipIfUnknownFilter) {
        this.warn('LOAD_UNKNOWN_FILTER', `Rule skipped: ${error.message}`, rule.origin, 'rule', 'condition');
        return undefined;
      }
      this.conditionError(error, rule.origin, 'rule', rule.conditionSite, text, rule.condition);
      return undefined;
    }
    try {
      output = compileOutput(rule.output, registry);
    } catch (error) {
      if (!(error instanceof ConditionError)) throw error;
      if (error.unknownField !== undefined && rule.skipIfUnknownFilter) {
        this.warn('LOAD_UNKNOWN_FILTER', `Rule skipped: ${error.message}`, rule.origin, 'rule', 'output');
        return undefined;
      }
      this.textError(error, rule.origin, 'rule', 'output', rule.output);
      return undefined;
    }
    const seen = new Set<string>();
    for (const w of ctx.warnings) {
      if (seen.has(w.message)) continue;
      seen.add(w.message);
      this.warn(w.code, w.message, rule.origin, 'rule', 'condition');
    }
    for (const w of output.warnings) this.warn(w.code, w.message, rule.origin, 'rule', 'output');
    const evaluable = ctx.unproduced.size === 0;
    if (!evaluable) {
      this.warn(
        'LOAD_UNSUPPORTED_FIELD',
        `Rule reads fields no Harrier sensor produces (${[...ctx.unproduced].sort().join(', ')}); it is loaded but never evaluated`,
        rule.origin,
        'rule',
        'condition',
      );
    }
    const constraint = indexConstraint(expr, registry.indexFields);
    if (source === 'syscall' && rule.warnEvttypes && !constraint.has('evt.type')) {
      this.warn(
        'LOAD_NO_EVTTYPE',
        'Rule matches too many evt.type values. This has a significant performance penalty.',
        rule.origin,
        'rule',
        'condition',
      );
    }
    return {
      name: rule.name,
      index: rule.index,
      source,
      priority: rule.priority,
      tags: [...rule.tags].sort(),
      desc: rule.desc,
      enabled: rule.enabled,
      evaluable,
      condition: text,
      matches,
      output,
      alertFields: [...new Set([...output.keys, 'evt.time'])]
        .sort()
        .map((key) => [key, output.partOf.get(key) ?? -1] as const),
      constraint,
      position: rule.origin.item.position,
    };
  }

  // -- exceptions -------------------------------------------------------------------------------------------

  /** The condition with each exception appended as `and not (…)` (rules-language.md §5). */
  private withExceptions(rule: CollectedRule, registry: FieldRegistry | undefined): string {
    const clauses = rule.exceptions.map((e) => this.exceptionClause(e, registry)).filter((c) => c !== undefined);
    if (rule.exceptions.length === 0) return rule.condition;
    return `(${rule.condition})${clauses.map((c) => ` and not ${c}`).join('')}`;
  }

  private exceptionClause(exception: RuleException, registry: FieldRegistry | undefined): string | undefined {
    const { fields, values } = exception;
    if (!Array.isArray(fields)) {
      const comp = (typeof exception.comps === 'string' ? exception.comps : 'in').trim();
      if (!SET_COMPS.has(comp) && !isModifierComp(comp)) {
        throw new ExceptionError(
          'When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier operator (e.g. startswith oneof)',
        );
      }
      this.checkExceptionField(fields, registry);
      if (values.length === 0) return undefined;
      const items = values.map((v) => {
        if (Array.isArray(v) || (typeof v === 'object' && v !== null)) {
          throw new ExceptionError('Expected values array to contain a list of strings');
        }
        return quoteItem(String(v));
      });
      return `(${fields} ${comp} (${items.join(', ')}))`;
    }
    const comps = Array.isArray(exception.comps) ? exception.comps.map((c) => c.trim()) : fields.map(() => '=');
    comps.forEach((comp) => {
      if (!OPERATOR_NAMES.has(comp) && !isModifierComp(comp)) {
        throw new ExceptionError(`'${comp}' is not a supported comparison operator`);
      }
    });
    for (const field of fields) this.checkExceptionField(field, registry);
    if (values.length === 0) return undefined;
    const groups = values.map((tuple) => {
      if (!Array.isArray(tuple) || tuple.length !== fields.length) {
        throw new ExceptionError('Fields and values lists must have equal length');
      }
      const checks = fields.map((field, i) => {
        const comp = comps[i] as string;
        const value = tuple[i] as unknown;
        const rhs = Array.isArray(value)
          ? `(${value.map((v) => quoteItem(String(v))).join(', ')})`
          : SET_COMPS.has(comp) || isModifierComp(comp)
            ? `(${quoteItem(String(value))})`
            : quoteItem(String(value));
        return `${field} ${comp} ${rhs}`;
      });
      return `( ${checks.join(' and ')})`;
    });
    return `(${groups.join(' or ')})`;
  }

  private checkExceptionField(field: string, registry: FieldRegistry | undefined): void {
    if (!registry) return;
    try {
      const expr = parseCondition(`${field} exists`);
      if (expr.kind !== 'check' || expr.left.kind !== 'field') throw new ConditionError('not a field', 0);
      lookupField(expr.left, registry);
    } catch (error) {
      if (error instanceof ConditionError) throw new ExceptionError(`'${field}' is not a supported filter field`);
      throw error;
    }
  }

  // -- diagnostics ------------------------------------------------------------------------------------------

  private label(origin: Origin, kind: string): string {
    return `${kind} '${origin.item.name ?? ''}'`;
  }

  private position(origin: Origin, key?: string): SourcePosition {
    return (key === undefined ? undefined : origin.item.values[key]?.position) ?? origin.item.position;
  }

  private error(code: LoadErrorCode, message: string, origin: Origin, kind: string, key?: string): void {
    this.errors.push(
      createDiagnostic(code, message, this.position(origin, key), origin.text, this.label(origin, kind)),
    );
  }

  private warn(code: LoadWarningCode, message: string, origin: Origin, kind: string, key?: string): void {
    this.warnings.push(
      createDiagnostic(code, message, this.position(origin, key), origin.text, this.label(origin, kind)),
    );
  }

  /**
   * An error at an offset of a condition. When the condition is exactly the one-line scalar in the file, the
   * diagnostic points at the character in the file; otherwise at the condition's value, with an excerpt of the
   * condition as compiled (exceptions and lists included) and a caret at the offending character.
   */
  private conditionError(
    error: ConditionError,
    origin: Origin,
    kind: string,
    site: ValueSite | undefined,
    compiled: string,
    original: string,
  ): void {
    this.diagnoseText(error, origin, kind, site ?? origin.item.values['condition'], compiled, compiled === original);
  }

  private textError(error: ConditionError, origin: Origin, kind: string, key: string, text: string): void {
    const site = origin.item.values[key];
    this.diagnoseText(error, origin, kind, site, text, true);
  }

  private diagnoseText(
    error: ConditionError,
    origin: Origin,
    kind: string,
    site: ValueSite | undefined,
    text: string,
    unchanged: boolean,
  ): void {
    const label = this.label(origin, kind);
    if (site && unchanged && !site.source.includes('\n')) {
      const shift =
        site.style === 'PLAIN' ? 0 : site.style === 'QUOTE_DOUBLE' || site.style === 'QUOTE_SINGLE' ? 1 : -1;
      const exact = shift >= 0 && site.source.slice(shift, shift + text.length) === text;
      if (exact) {
        const position = { ...site.position, column: site.position.column + shift + error.start };
        this.errors.push(createDiagnostic(error.code, error.message, position, origin.text, label));
        return;
      }
    }
    const position = site?.position ?? origin.item.position;
    this.errors.push({
      code: error.code,
      message: error.message,
      ...position,
      item: label,
      excerpt: renderTextExcerpt(text, error.start),
    });
  }
}

class ExceptionError extends Error {
  readonly code: LoadErrorCode = 'LOAD_ERR_VALIDATE';
}
