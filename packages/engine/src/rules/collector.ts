/**
 * Rules loading, stage 2 (Falco `rule_loader_collector.cpp`): items of each file, in order, into one state shared by
 * all files and sources — definitions, redefinitions (in place), `append`, `override` and standalone `enabled` —
 * with every list, macro and rule's index (first definition) and visibility (latest change) drawn from one counter.
 */
import { parsePriority, type Priority } from '@harrier/alert';
import {
  createDiagnostic,
  type LoadError,
  type LoadErrorCode,
  type LoadWarning,
  type LoadWarningCode,
  type SourcePosition,
} from '../errors.js';
import type { RulesFileRead, RulesItem, ValueSite } from './reader.js';

/** The engine version Harrier implements (Falco's rule engine version, rules-language.md §1.3). */
export const ENGINE_VERSION = '0.63.0';

/** Plugins whose fields Harrier provides built in, with the version whose field set it implements. */
export const BUILT_IN_PLUGINS: Readonly<Record<string, string>> = {
  k8saudit: '0.18.0',
  'k8saudit-aks': '0.6.0',
  'k8saudit-eks': '0.12.0',
  'k8saudit-gke': '0.9.0',
  'k8saudit-ovh': '0.6.0',
  json: '0.7.0',
  /** The container plugin's fields (container.*) come from Harrier's sensors. */
  container: '0.4.0',
};

/** Where an item came from: its file's text renders excerpts. */
export interface Origin {
  item: RulesItem;
  text: string;
}

interface Entry {
  name: string;
  index: number;
  visibility: number;
  origin: Origin;
  used: boolean;
}

export interface CollectedList extends Entry {
  items: string[];
}

export interface CollectedMacro extends Entry {
  condition: string;
  /** Where the condition text came from; absent after an append (positions no longer map). */
  conditionSite?: ValueSite;
}

export interface RuleException {
  name: string;
  fields: string | string[];
  comps?: string | string[];
  values: unknown[];
}

export interface CollectedRule extends Entry {
  condition: string;
  conditionSite?: ValueSite;
  output: string;
  desc: string;
  priority: Priority;
  /** Undefined when never given: the rule is a syscall rule. */
  source?: string;
  tags: string[];
  enabled: boolean;
  exceptions: RuleException[];
  warnEvttypes: boolean;
  skipIfUnknownFilter: boolean;
}

export interface PluginRequirement {
  name: string;
  version: string;
  alternatives: Array<{ name: string; version: string }>;
}

/** Everything collected so far, across files. */
export class RuleCollection {
  readonly lists = new Map<string, CollectedList>();
  readonly macros = new Map<string, CollectedMacro>();
  /** In index order: a redefined rule keeps its entry, and so its place. */
  readonly rules = new Map<string, CollectedRule>();
  requiredEngineVersion = '0.0.0';
  readonly pluginRequirements: PluginRequirement[] = [];
  private counter = 0;

  next(): number {
    return ++this.counter;
  }
}

export interface CollectResult {
  errors: LoadError[];
  warnings: LoadWarning[];
}

/** Thrown to stop the file at its first error, as Falco does. */
class StopFile extends Error {
  constructor(readonly diagnostic: LoadError) {
    super(diagnostic.message);
  }
}

const LIST_NAME = /^[^()"'\s=,]+$/;
const MACRO_NAME = /^[a-zA-Z]+[a-zA-Z0-9_]*$/;
const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

const RULE_APPEND_KEYS = new Set(['condition', 'output', 'desc', 'tags', 'exceptions']);
const RULE_REPLACE_KEYS = new Set([
  'condition',
  'output',
  'desc',
  'priority',
  'tags',
  'exceptions',
  'enabled',
  'warn_evttypes',
  'skip-if-unknown-filter',
  'capture',
  'capture_duration',
]);
const RULE_DEFINITION_KEYS = ['condition', 'output', 'desc', 'priority'] as const;

/** Adds one file's items to the collection; stops the file at its first error. */
export function collectFile(collection: RuleCollection, read: RulesFileRead): CollectResult {
  const collector = new FileCollector(collection, read.text);
  const result: CollectResult = { errors: [], warnings: collector.warnings };
  try {
    for (const item of read.items) collector.collect(item);
  } catch (error) {
    if (!(error instanceof StopFile)) throw error;
    result.errors.push(error.diagnostic);
  }
  return result;
}

class FileCollector {
  readonly warnings: LoadWarning[] = [];

  constructor(
    private readonly state: RuleCollection,
    private readonly text: string,
  ) {}

  collect(item: RulesItem): void {
    switch (item.kind) {
      case 'required_engine_version':
        return this.engineVersion(item);
      case 'required_plugin_versions':
        return this.pluginVersions(item);
      case 'list':
        return this.list(item);
      case 'macro':
        return this.macro(item);
      case 'rule':
        return this.rule(item);
    }
  }

  // -- diagnostics ------------------------------------------------------------------------------------------

  private label(item: RulesItem): string {
    return item.name === undefined ? item.kind : `${item.kind} '${item.name}'`;
  }

  private where(item: RulesItem, key?: string): SourcePosition {
    return (key === undefined ? undefined : item.values[key]?.position) ?? item.position;
  }

  private fail(item: RulesItem, message: string, key?: string, code: LoadErrorCode = 'LOAD_ERR_VALIDATE'): StopFile {
    return new StopFile(createDiagnostic(code, message, this.where(item, key), this.text, this.label(item)));
  }

  private warn(item: RulesItem, code: LoadWarningCode, message: string, key?: string): void {
    this.warnings.push(createDiagnostic(code, message, this.where(item, key), this.text, this.label(item)));
  }

  // -- value shapes -----------------------------------------------------------------------------------------

  private required(item: RulesItem, key: string): unknown {
    if (!(key in item.body))
      throw this.fail(item, `Item has no mapping for key '${key}'`, undefined, 'LOAD_ERR_YAML_VALIDATE');
    const value = item.body[key];
    if (value === null || value === undefined) {
      throw this.fail(item, `Mapping for key '${key}' is empty`, key, 'LOAD_ERR_YAML_VALIDATE');
    }
    return value;
  }

  private scalar(item: RulesItem, key: string, value: unknown = this.required(item, key)): string {
    if (typeof value === 'object' && value !== null) {
      throw this.fail(item, 'Value is not a scalar value', key, 'LOAD_ERR_YAML_VALIDATE');
    }
    return String(value);
  }

  private nonEmpty(item: RulesItem, key: string): string {
    const text = this.scalar(item, key);
    if (text.trim() === '') throw this.fail(item, 'Value must be non-empty', key, 'LOAD_ERR_YAML_VALIDATE');
    return text;
  }

  private sequence(item: RulesItem, key: string, value: unknown = this.required(item, key)): unknown[] {
    if (!Array.isArray(value)) throw this.fail(item, 'Value is not a sequence', key, 'LOAD_ERR_YAML_VALIDATE');
    return value as unknown[];
  }

  private scalars(item: RulesItem, key: string, value?: unknown): string[] {
    return this.sequence(item, key, value ?? this.required(item, key)).map((v) => {
      if (v === null || typeof v === 'object') {
        throw this.fail(item, `Value in '${key}' is not a scalar value`, key, 'LOAD_ERR_YAML_VALIDATE');
      }
      return scalarText(v);
    });
  }

  private bool(item: RulesItem, key: string): boolean {
    const value = item.body[key];
    if (typeof value !== 'boolean')
      throw this.fail(item, `Value of '${key}' must be true or false`, key, 'LOAD_ERR_YAML_VALIDATE');
    return value;
  }

  private priority(item: RulesItem): Priority {
    const priority = parsePriority(this.scalar(item, 'priority'));
    if (priority === undefined) throw this.fail(item, 'Invalid priority', 'priority');
    return priority;
  }

  // -- versions ---------------------------------------------------------------------------------------------

  private engineVersion(item: RulesItem): void {
    const value = item.body['required_engine_version'];
    let version: string;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) version = `0.${value}.0`;
    else if (typeof value === 'string' && SEMVER.test(value)) version = value;
    else {
      throw this.fail(
        item,
        `Unable to parse engine version '${String(value)}' as a semver string. Expected "x.y.z" semver format.`,
        'required_engine_version',
      );
    }
    if (compareVersions(version, ENGINE_VERSION) > 0) {
      throw this.fail(
        item,
        `Rules require engine version ${version}, but engine version is ${ENGINE_VERSION}`,
        'required_engine_version',
      );
    }
    if (compareVersions(version, this.state.requiredEngineVersion) > 0) this.state.requiredEngineVersion = version;
  }

  private pluginVersions(item: RulesItem): void {
    for (const entry of this.sequence(item, 'required_plugin_versions')) {
      if (typeof entry !== 'object' || entry === null) {
        throw this.fail(
          item,
          'Unexpected element type. Each element should be a yaml associative array.',
          'required_plugin_versions',
          'LOAD_ERR_YAML_VALIDATE',
        );
      }
      const requirement = this.pluginRequirement(item, entry as Record<string, unknown>);
      this.state.pluginRequirements.push(requirement);
      const candidates = [requirement, ...requirement.alternatives];
      const names = new Set<string>();
      for (const { name, version } of candidates) {
        if (names.has(name))
          throw this.fail(
            item,
            `Defined multiple alternative version requirements for plugin '${name}'`,
            'required_plugin_versions',
          );
        names.add(name);
        if (!SEMVER.test(version))
          throw this.fail(
            item,
            `Invalid required version '${version}' for plugin '${name}'`,
            'required_plugin_versions',
          );
      }
      const met = candidates.some(({ name, version }) => {
        const provided = BUILT_IN_PLUGINS[name];
        return provided !== undefined && sameMajor(provided, version) && compareVersions(provided, version) >= 0;
      });
      if (!met) {
        const wanted = candidates.map((c) => `${c.name} ${c.version}`).join(' or ');
        this.warn(
          item,
          'LOAD_WARNING_EXTENSION',
          `Plugin requirement not provided by Harrier: ${wanted}; rules needing its fields will not load`,
          'required_plugin_versions',
        );
      }
    }
  }

  private pluginRequirement(item: RulesItem, entry: Record<string, unknown>): PluginRequirement {
    const field = (e: Record<string, unknown>, key: string): string => {
      const value = e[key];
      if (value === undefined || value === null || typeof value === 'object') {
        throw this.fail(
          item,
          `Item has no mapping for key '${key}'`,
          'required_plugin_versions',
          'LOAD_ERR_YAML_VALIDATE',
        );
      }
      return scalarText(value);
    };
    const alternatives = entry['alternatives'] ?? [];
    if (!Array.isArray(alternatives))
      throw this.fail(item, 'Value is not a sequence', 'required_plugin_versions', 'LOAD_ERR_YAML_VALIDATE');
    return {
      name: field(entry, 'name'),
      version: field(entry, 'version'),
      alternatives: alternatives.map((a: unknown) => {
        if (typeof a !== 'object' || a === null)
          throw this.fail(item, 'Value is not a map', 'required_plugin_versions', 'LOAD_ERR_YAML_VALIDATE');
        return {
          name: field(a as Record<string, unknown>, 'name'),
          version: field(a as Record<string, unknown>, 'version'),
        };
      }),
    };
  }

  // -- append / override ------------------------------------------------------------------------------------

  /** The `override` map validated against the keys a kind allows; empty when absent. */
  private overrides(
    item: RulesItem,
    appendable: ReadonlySet<string>,
    replaceable: ReadonlySet<string>,
  ): Map<string, 'append' | 'replace'> {
    const raw = item.body['override'];
    const result = new Map<string, 'append' | 'replace'>();
    if (raw === undefined) return result;
    if (item.body['append'] === true) {
      throw this.fail(
        item,
        "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.",
        'override',
      );
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw this.fail(item, 'Value is not a map', 'override', 'LOAD_ERR_YAML_VALIDATE');
    for (const [key, op] of Object.entries(raw as Record<string, unknown>)) {
      if (op === 'append') {
        if (!appendable.has(key))
          throw this.fail(item, `Key '${key}' cannot be appended to, use 'replace' instead`, 'override');
      } else if (op === 'replace') {
        if (!replaceable.has(key)) throw this.fail(item, `Key '${key}' cannot be replaced`, 'override');
      } else {
        const allowed = [
          appendable.has(key) ? 'append' : undefined,
          replaceable.has(key) ? 'replace' : undefined,
        ].filter(Boolean);
        throw this.fail(
          item,
          `Invalid override operation for key '${key}': '${String(op)}'. Allowed values are: ${allowed.join(', ')}`,
          'override',
        );
      }
      if (!(key in item.body))
        throw this.fail(item, `An ${op} override for '${key}' was specified but '${key}' is not defined`, 'override');
      result.set(key, op);
    }
    if (result.size === 0)
      throw this.fail(item, 'The rule must have at least one field that can be replaced', 'override');
    const own = new Set([item.kind, 'override']);
    for (const key of Object.keys(item.body)) {
      if (!own.has(key) && !result.has(key) && (appendable.has(key) || replaceable.has(key))) {
        throw this.fail(item, `Unexpected key '${key}': no corresponding entry under 'override' is defined.`, key);
      }
    }
    return result;
  }

  private deprecatedAppend(item: RulesItem): boolean {
    const append = item.body['append'];
    if (append === undefined) return false;
    const value = this.bool(item, 'append');
    if (value) {
      this.warn(
        item,
        'LOAD_DEPRECATED_ITEM',
        "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.",
        'append',
      );
    }
    return value;
  }

  // -- lists ------------------------------------------------------------------------------------------------

  private list(item: RulesItem): void {
    const name = item.name as string;
    if (!LIST_NAME.test(name)) {
      this.warn(
        item,
        'LOAD_INVALID_LIST_NAME',
        `List has an invalid name. List names should match a regular expression: ${LIST_NAME.source}`,
      );
    }
    const overrides = this.overrides(item, new Set(['items']), new Set(['items']));
    const append = this.deprecatedAppend(item) || overrides.get('items') === 'append';
    const items = this.scalars(item, 'items');
    const existing = this.state.lists.get(name);
    if (append || overrides.get('items') === 'replace') {
      if (!existing) {
        throw this.fail(
          item,
          append
            ? "List uses 'append' or 'override.items: append' but no list by that name already exists"
            : "An 'override.items: replace' to a list was requested but no list by that name already exists",
        );
      }
      existing.items = append ? [...existing.items, ...items] : items;
      existing.visibility = this.state.next();
      return;
    }
    if (existing) {
      existing.items = items;
      existing.visibility = this.state.next();
      existing.origin = { item, text: this.text };
      return;
    }
    const index = this.state.next();
    this.state.lists.set(name, {
      name,
      items,
      index,
      visibility: index,
      origin: { item, text: this.text },
      used: false,
    });
  }

  // -- macros -----------------------------------------------------------------------------------------------

  private macro(item: RulesItem): void {
    const name = item.name as string;
    if (!MACRO_NAME.test(name)) {
      this.warn(
        item,
        'LOAD_INVALID_MACRO_NAME',
        `Macro has an invalid name. Macro names should match a regular expression: ${MACRO_NAME.source}`,
      );
    }
    const overrides = this.overrides(item, new Set(['condition']), new Set(['condition']));
    const append = this.deprecatedAppend(item) || overrides.get('condition') === 'append';
    const condition = this.nonEmpty(item, 'condition');
    const site = item.values['condition'];
    const existing = this.state.macros.get(name);
    if (append || overrides.get('condition') === 'replace') {
      if (!existing) {
        throw this.fail(
          item,
          append
            ? "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists"
            : "An 'override.condition: replace' to a macro was requested but no macro by that name already exists",
        );
      }
      if (append) {
        existing.condition = `${existing.condition} ${condition}`;
        delete existing.conditionSite;
      } else {
        existing.condition = condition;
        if (site) existing.conditionSite = site;
      }
      existing.visibility = this.state.next();
      return;
    }
    const origin = { item, text: this.text };
    if (existing) {
      existing.condition = condition;
      existing.visibility = this.state.next();
      existing.origin = origin;
      if (site) existing.conditionSite = site;
      else delete existing.conditionSite;
      return;
    }
    const index = this.state.next();
    this.state.macros.set(name, {
      name,
      condition,
      index,
      visibility: index,
      origin,
      used: false,
      ...(site ? { conditionSite: site } : {}),
    });
  }

  // -- rules ------------------------------------------------------------------------------------------------

  private rule(item: RulesItem): void {
    const body = item.body;
    const overrides = this.overrides(item, RULE_APPEND_KEYS, RULE_REPLACE_KEYS);
    if (overrides.size > 0) return this.overrideRule(item, overrides);
    if (this.deprecatedAppend(item)) return this.appendRule(item);
    if (RULE_DEFINITION_KEYS.every((key) => !(key in body)) && 'enabled' in body) return this.toggleRule(item);
    this.defineRule(item);
  }

  private existingRule(item: RulesItem, message: string): CollectedRule {
    const existing = this.state.rules.get(item.name as string);
    if (!existing) throw this.fail(item, message);
    return existing;
  }

  private defineRule(item: RulesItem): void {
    const name = item.name as string;
    const body = item.body;
    for (const key of RULE_DEFINITION_KEYS) this.required(item, key);
    const source = 'source' in body ? this.nonEmpty(item, 'source') : undefined;
    const rule: CollectedRule = {
      name,
      index: 0,
      visibility: this.state.next(),
      origin: { item, text: this.text },
      used: true,
      condition: this.nonEmpty(item, 'condition'),
      output: this.scalar(item, 'output').trim(),
      desc: this.scalar(item, 'desc'),
      priority: this.priority(item),
      ...(source === undefined ? {} : { source }),
      tags: 'tags' in body ? this.scalars(item, 'tags') : [],
      enabled: 'enabled' in body ? this.bool(item, 'enabled') : true,
      exceptions: 'exceptions' in body ? this.exceptions(item, false) : [],
      warnEvttypes: 'warn_evttypes' in body ? this.bool(item, 'warn_evttypes') : true,
      skipIfUnknownFilter: 'skip-if-unknown-filter' in body ? this.bool(item, 'skip-if-unknown-filter') : false,
    };
    const site = item.values['condition'];
    if (site) rule.conditionSite = site;
    const existing = this.state.rules.get(name);
    if (existing) {
      if (existing.source !== undefined && source !== undefined && existing.source !== source) {
        throw this.fail(item, 'Rule has been re-defined with a different source', 'source');
      }
      rule.index = existing.index;
    } else {
      rule.index = rule.visibility;
    }
    this.state.rules.set(name, rule);
  }

  private toggleRule(item: RulesItem): void {
    this.warn(
      item,
      'LOAD_DEPRECATED_ITEM',
      "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').",
      'enabled',
    );
    const existing = this.existingRule(item, "Rule has 'enabled' key but no rule by that name already exists");
    existing.enabled = this.bool(item, 'enabled');
    existing.visibility = this.state.next();
  }

  /** Deprecated `append: true`: appends the condition and merges exceptions, nothing else. */
  private appendRule(item: RulesItem): void {
    const body = item.body;
    const existing = this.existingRule(
      item,
      "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists",
    );
    if (!('condition' in body) && !('exceptions' in body))
      throw this.fail(item, 'Appended rule must have exceptions or condition property');
    if ('condition' in body) this.appendCondition(existing, this.scalar(item, 'condition'));
    if ('exceptions' in body) this.appendExceptions(item, existing);
    existing.visibility = this.state.next();
  }

  private overrideRule(item: RulesItem, overrides: Map<string, 'append' | 'replace'>): void {
    const [firstKey, firstOp] = [...overrides][0] as [string, 'append' | 'replace'];
    const existing = this.existingRule(
      item,
      firstOp === 'append'
        ? `Rule uses 'append' or 'override.${firstKey}: append' but no rule by that name already exists`
        : `An 'override.${firstKey}: replace' to a rule was requested but no rule by that name already exists`,
    );
    for (const [key, op] of overrides) {
      if (op === 'append') {
        switch (key) {
          case 'condition':
            this.appendCondition(existing, this.scalar(item, key));
            break;
          case 'output':
            existing.output = joinText(existing.output, this.scalar(item, key).trim());
            break;
          case 'desc':
            existing.desc = joinText(existing.desc, this.scalar(item, key));
            break;
          case 'tags':
            existing.tags = [...new Set([...existing.tags, ...this.scalars(item, key)])];
            break;
          case 'exceptions':
            this.appendExceptions(item, existing);
            break;
        }
        continue;
      }
      switch (key) {
        case 'condition':
          existing.condition = this.nonEmpty(item, key);
          if (item.values[key]) existing.conditionSite = item.values[key];
          break;
        case 'output':
          existing.output = this.scalar(item, key).trim();
          break;
        case 'desc':
          existing.desc = this.scalar(item, key);
          break;
        case 'priority':
          existing.priority = this.priority(item);
          break;
        case 'tags':
          existing.tags = this.scalars(item, key);
          break;
        case 'exceptions':
          existing.exceptions = this.exceptions(item, false);
          break;
        case 'enabled':
          existing.enabled = this.bool(item, key);
          break;
        case 'warn_evttypes':
          existing.warnEvttypes = this.bool(item, key);
          break;
        case 'skip-if-unknown-filter':
          existing.skipIfUnknownFilter = this.bool(item, key);
          break;
        default:
          break;
      }
    }
    existing.visibility = this.state.next();
  }

  private appendCondition(rule: CollectedRule, addition: string): void {
    rule.condition = joinText(rule.condition, addition);
    delete rule.conditionSite;
  }

  /** Exceptions of an append: values added to existing exceptions by name, new ones complete. */
  private appendExceptions(item: RulesItem, rule: CollectedRule): void {
    for (const exception of this.exceptions(item, true)) {
      const existing = rule.exceptions.find((e) => e.name === exception.name);
      if (existing) {
        const raw =
          (item.body['exceptions'] as Array<Record<string, unknown>>).find((e) => e['name'] === exception.name) ?? {};
        for (const key of ['fields', 'comps'] as const) {
          if (key in raw)
            throw this.fail(item, `Can not append exception ${key} to existing exception, only values`, 'exceptions');
        }
        if (exception.values.length === 0)
          this.warn(
            item,
            'LOAD_APPEND_NO_VALUES',
            `Overriding/appending exception '${exception.name}' with no values`,
            'exceptions',
          );
        existing.values = [...existing.values, ...exception.values];
      } else {
        if (!exception.hasFields)
          throw this.fail(item, 'Rule exception must have fields property with a list of fields', 'exceptions');
        if (!exception.hasValues)
          throw this.fail(item, 'Rule exception must have values property with a list of values', 'exceptions');
        rule.exceptions.push(stripFlags(exception));
      }
    }
  }

  private exceptions(
    item: RulesItem,
    appending: boolean,
  ): Array<RuleException & { hasFields: boolean; hasValues: boolean }> {
    const entries = this.sequence(item, 'exceptions');
    const seen = new Set<string>();
    return entries.map((entry) => {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        throw this.fail(item, 'Rule exception must be a map', 'exceptions', 'LOAD_ERR_YAML_VALIDATE');
      }
      const e = entry as Record<string, unknown>;
      const nameValue = e['name'];
      if (nameValue === undefined || nameValue === null || typeof nameValue === 'object') {
        throw this.fail(item, "Item has no mapping for key 'name'", 'exceptions', 'LOAD_ERR_YAML_VALIDATE');
      }
      const name = scalarText(nameValue);
      if (seen.has(name))
        this.warn(
          item,
          'LOAD_EXCEPTION_NAME_NOT_UNIQUE',
          `Multiple definitions of exception '${name}' in the same rule`,
          'exceptions',
        );
      seen.add(name);
      const hasFields = 'fields' in e && e['fields'] !== null;
      if (!hasFields && !appending)
        throw this.fail(item, "Item has no mapping for key 'fields'", 'exceptions', 'LOAD_ERR_YAML_VALIDATE');
      const fields = e['fields'];
      const comps = e['comps'];
      const values = e['values'] ?? [];
      if (!Array.isArray(values))
        throw this.fail(item, `Rule exception '${name}': values must be a sequence`, 'exceptions');
      const shape = (value: unknown, key: string): string | string[] | undefined => {
        if (value === undefined || value === null) return undefined;
        if (Array.isArray(value)) return value.map(String);
        if (typeof value === 'object')
          throw this.fail(item, `Rule exception '${name}': ${key} must be a string or a list`, 'exceptions');
        return scalarText(value);
      };
      const fieldsShape = shape(fields, 'fields') ?? [];
      const compsShape = shape(comps, 'comps');
      if (Array.isArray(fieldsShape)) {
        if (compsShape !== undefined && (!Array.isArray(compsShape) || compsShape.length !== fieldsShape.length)) {
          throw this.fail(item, 'Fields and comps lists must have equal length', 'exceptions');
        }
      } else if (compsShape !== undefined && Array.isArray(compsShape)) {
        throw this.fail(item, 'Fields and comps must both be strings', 'exceptions');
      }
      return {
        name,
        fields: fieldsShape,
        ...(compsShape === undefined ? {} : { comps: compsShape }),
        values: values as unknown[],
        hasFields,
        hasValues: 'values' in e,
      };
    });
  }
}

function stripFlags({
  name,
  fields,
  comps,
  values,
}: RuleException & { hasFields: boolean; hasValues: boolean }): RuleException {
  return { name, fields, ...(comps === undefined ? {} : { comps }), values };
}

/** A YAML scalar as text (callers have ruled out maps and sequences). */
function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Joins appended text with one space; an empty addition changes nothing. */
function joinText(old: string, addition: string): string {
  return addition.trim() === '' ? old : `${old} ${addition}`;
}

function parseVersion(version: string): number[] {
  return (SEMVER.exec(version) ?? []).slice(1, 4).map(Number);
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function sameMajor(a: string, b: string): boolean {
  return parseVersion(a)[0] === parseVersion(b)[0];
}
