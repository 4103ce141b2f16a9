/**
 * Evaluation: a `RuleSet` matches events against compiled rules and builds Falco's JSON alerts. Rules are indexed
 * per source and by the values of the source's index fields (k8s_audit: target resource and verb; syscall: event
 * type), so an event only meets the rules that can match it (Falco `evttype_index_ruleset`).
 */
import { priorityLevel, type FalcoAlert, type Priority } from '@harrier/alert';
import { FIELD_REGISTRIES } from './fields/index.js';
import { formatClock, formatIso } from './fields/time.js';
import type { EngineEvent, Extractor } from './fields/types.js';
import { renderOutput } from './output.js';
import type { CompiledRule } from './rules/compiler.js';

export type RuleMatching = 'first' | 'all';

export interface RuleSetOptions {
  /** `first` (Falco's default): only the first matching rule per event, in load order. `all`: every match. */
  ruleMatching?: RuleMatching;
  /** Rules less severe than this are never evaluated (Falco's `priority`, default `Debug`). */
  minPriority?: Priority;
  /** The alert's `hostname`; defaults to the event's `hostname`, else an empty string. */
  hostname?: string;
}

/** Candidate lists cached per combination of index values; cleared when this many combinations are held. */
const MAX_CACHED_KEYS = 4096;

class SourceIndex {
  private readonly cache = new Map<string, readonly CompiledRule[]>();
  private readonly extractors: Extractor[];

  constructor(
    private readonly rules: readonly CompiledRule[],
    private readonly fields: readonly string[],
  ) {
    const registry = FIELD_REGISTRIES.get(rules[0]?.source ?? '');
    this.extractors = fields.map((name) => {
      const def = registry?.lookup(name)?.def;
      return def ? def.bind(undefined) : () => undefined;
    });
  }

  /** The rules that can match an event with these index values, in load order. */
  candidates(event: EngineEvent): readonly CompiledRule[] {
    if (this.fields.length === 0) return this.rules;
    const values: Array<string | undefined> = [];
    let key = '';
    for (const extract of this.extractors) {
      const v = extract(event);
      const text = v === undefined || typeof v === 'object' ? undefined : String(v);
      values.push(text);
      key += text === undefined ? '\u0001' : `${text}\u0000`;
    }
    let found = this.cache.get(key);
    if (found === undefined) {
      found = this.rules.filter((rule) =>
        this.fields.every((field, i) => {
          const allowed = rule.constraint.get(field);
          const value = values[i];
          return allowed === undefined || (value !== undefined && allowed.has(value));
        }),
      );
      if (this.cache.size >= MAX_CACHED_KEYS) this.cache.clear();
      this.cache.set(key, found);
    }
    return found;
  }
}

/** A set of compiled rules, ready to evaluate events of every source they cover. */
export class RuleSet {
  readonly ruleMatching: RuleMatching;
  readonly minPriority: Priority;
  private readonly indexes = new Map<string, SourceIndex>();

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
    const { text, fields } = renderOutput(rule.output, event);
    const outputFields: Record<string, unknown> = {};
    for (const key of rule.alertFieldKeys) outputFields[key] = key === 'evt.time' ? Number(event.timeNs) : fields[key];
    return {
      hostname: this.options.hostname ?? event.hostname ?? '',
      output: `${formatClock(event.timeNs)}: ${rule.priority} ${text}`,
      output_fields: outputFields,
      priority: rule.priority,
      rule: rule.name,
      source: rule.source,
      tags: rule.tags,
      time: formatIso(event.timeNs),
    };
  }
}
