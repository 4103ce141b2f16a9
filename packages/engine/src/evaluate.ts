/**
 * Evaluation: a `RuleSet` matches events against compiled rules and builds Falco's JSON alerts. Rules are indexed
 * per source and by the values of the source's index fields (k8s_audit: target resource and verb; syscall: event
 * type), so an event only meets the rules that can match it (Falco `evttype_index_ruleset`).
 */
import { priorityLevel, type FalcoAlert, type Priority } from '@harrier/alert';
import { lookupField } from './compile.js';
import { FIELD_REGISTRIES } from './fields/index.js';
import { eventTimes } from './fields/time.js';
import type { EngineEvent, Extractor } from './fields/types.js';
import { compileOutput, renderOutput, renderParts, type CompiledOutput } from './output.js';
import { parseCondition } from './parser.js';
import type { CompiledRule } from './rules/compiler.js';

export type RuleMatching = 'first' | 'all';

export interface RuleSetOptions {
  /** `first` (Falco's default): only the first matching rule per event, in load order. `all`: every match. */
  ruleMatching?: RuleMatching;
  /** Rules less severe than this are never evaluated (Falco's `priority`, default `Debug`). */
  minPriority?: Priority;
  /** The alert's `hostname`; defaults to the event's `hostname`, else an empty string. */
  hostname?: string;
  /**
   * Falco's `append_output`, per source: `output` is added to the end of every alert's output (write its leading
   * space), its fields and `fields` go into `output_fields`. A field the source does not have throws a
   * `ConditionError` here.
   */
  appendOutput?: Readonly<Record<string, AppendOutput>>;
}

export interface AppendOutput {
  /** E.g. ` k8s_ns=%k8s.ns.name k8s_pod=%k8s.pod.name`. */
  output?: string;
  /** Fields for `output_fields` only, e.g. `ka.target.namespace`. */
  fields?: readonly string[];
}

/** Candidate lists cached per combination of index values; cleared when this many combinations are held. */
const MAX_CACHED_KEYS = 4096;

class SourceIndex {
  /** Candidate lists per index value, one map level per index field (`undefined` keys for missing values). */
  private readonly root = new Map<string | undefined, unknown>();
  private cached = 0;
  private readonly extractors: Extractor[];

  constructor(
    private readonly rules: readonly CompiledRule[],
    private readonly fields: readonly string[],
  ) {
    const registry = FIELD_REGISTRIES.get(rules[0]?.source ?? '');
    this.extractors = fields.map((text) => {
      const expr = parseCondition(`${text} exists`);
      if (!registry || expr.kind !== 'check' || expr.left.kind !== 'field') return () => undefined;
      const { lookup, arg } = lookupField(expr.left, registry);
      return registry.extractor(lookup.def, arg);
    });
  }

  /** The rules that can match an event, given its index values, in load order. */
  candidates(event: EngineEvent): readonly CompiledRule[] {
    const last = this.extractors.length - 1;
    if (last < 0) return this.rules;
    let level = this.root;
    for (let i = 0; i < last; i++) {
      const value = this.valueAt(i, event);
      let next = level.get(value) as Map<string | undefined, unknown> | undefined;
      if (next === undefined) level.set(value, (next = new Map()));
      level = next;
    }
    const value = this.valueAt(last, event);
    let found = level.get(value) as readonly CompiledRule[] | undefined;
    if (found === undefined) {
      if (this.cached >= MAX_CACHED_KEYS) {
        // Bounded memory whatever values a hostile stream sends; `level` may be dropped with the rest.
        this.root.clear();
        this.cached = 0;
      }
      found = this.select(this.extractors.map((_, i) => this.valueAt(i, event)));
      level.set(value, found);
      this.cached++;
    }
    return found;
  }

  private valueAt(i: number, event: EngineEvent): string | undefined {
    const v = (this.extractors[i] as Extractor)(event);
    return v === undefined || typeof v === 'object' ? undefined : String(v);
  }

  /** The rules whose constraints admit these index values. */
  private select(values: ReadonlyArray<string | undefined>): readonly CompiledRule[] {
    return this.rules.filter((rule) =>
      this.fields.every((field, i) => {
        const allowed = rule.constraint.get(field);
        const value = values[i];
        return allowed === undefined || (value !== undefined && allowed.has(value));
      }),
    );
  }
}

/** A set of compiled rules, ready to evaluate events of every source they cover. */
export class RuleSet {
  readonly ruleMatching: RuleMatching;
  readonly minPriority: Priority;
  private readonly indexes = new Map<string, SourceIndex>();
  private readonly appended = new Map<string, { output: CompiledOutput; fields: CompiledOutput }>();

  constructor(
    readonly rules: readonly CompiledRule[],
    private readonly options: RuleSetOptions = {},
  ) {
    this.ruleMatching = options.ruleMatching ?? 'first';
    this.minPriority = options.minPriority ?? 'Debug';
    const minimum = priorityLevel(this.minPriority);
    const active = [...rules]
      .filter((r) => r.enabled && r.evaluable && priorityLevel(r.priority) >= minimum)
      .sort((a, b) => a.index - b.index);
    const bySource = new Map<string, CompiledRule[]>();
    for (const rule of active) {
      const list = bySource.get(rule.source) ?? [];
      list.push(rule);
      bySource.set(rule.source, list);
    }
    for (const [source, list] of bySource) {
      this.indexes.set(source, new SourceIndex(list, FIELD_REGISTRIES.get(source)?.indexFields ?? []));
    }
    for (const [source, { output = '', fields = [] }] of Object.entries(options.appendOutput ?? {})) {
      const registry = FIELD_REGISTRIES.get(source);
      if (registry === undefined || (output === '' && fields.length === 0)) continue;
      const fieldsOnly = compileOutput(fields.map((field) => `%${field}`).join(' '), registry);
      this.appended.set(source, { output: compileOutput(output, registry), fields: fieldsOnly });
    }
  }

  /** The rules an event of `source` matches: the first one, or all of them, in load order. */
  match(event: EngineEvent, source: string): CompiledRule[] {
    const index = this.indexes.get(source);
    if (!index) return [];
    const matched: CompiledRule[] = [];
    for (const rule of index.candidates(event)) {
      if (!rule.matches(event)) continue;
      matched.push(rule);
      if (this.ruleMatching === 'first') break;
    }
    return matched;
  }

  /** Falco JSON alerts for an event of `source`; an empty array when no rule matches. */
  evaluate(event: EngineEvent, source: string): FalcoAlert[] {
    const matched = this.match(event, source);
    return matched.length === 0 ? [] : matched.map((rule) => this.alert(rule, event));
  }

  /** The alert a rule raises for an event, as Falco's JSON output shapes it. */
  alert(rule: CompiledRule, event: EngineEvent): FalcoAlert {
    const { text, values } = renderParts(rule.output, event);
    const outputFields: Record<string, unknown> = {};
    for (const [key, part] of rule.alertFields) outputFields[key] = part < 0 ? Number(event.timeNs) : values[part];
    const { clock, iso } = eventTimes(event.timeNs);
    const appended = this.appended.get(rule.source);
    let extra = '';
    let fields = outputFields;
    if (appended !== undefined) {
      const rendered = renderOutput(appended.output, event);
      extra = rendered.text;
      // The rule's own fields win; Falco's JSON lists the keys in alphabetical order.
      const merged = { ...renderOutput(appended.fields, event).fields, ...rendered.fields, ...outputFields };
      fields = Object.fromEntries(
        Object.keys(merged)
          .sort()
          .map((key) => [key, merged[key]]),
      );
    }
    return {
      hostname: this.options.hostname ?? event.hostname ?? '',
      output: `${clock}: ${rule.priority} ${text}${extra}`,
      output_fields: fields,
      priority: rule.priority,
      rule: rule.name,
      source: rule.source,
      tags: [...rule.tags],
      time: iso,
    };
  }
}
