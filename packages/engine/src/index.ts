/**
 * @harrier/engine — the Falco rules language: load rules files, evaluate events, build Falco JSON alerts.
 *
 * ```ts
 * const loaded = await loadRules(['k8s_audit_rules.yaml', 'harrier_rules.yaml']);
 * if (loaded.errors.length > 0) throw new Error(loaded.errors.map((e) => formatDiagnostic(e, 'error')).join('\n'));
 * const ruleSet = new RuleSet(loaded.rules, { ruleMatching: 'first', minPriority: 'Debug', hostname });
 * const { events, problems } = auditEventsFromJson(await request.json()); // or parseAuditInput(text)
 * for (const event of events) publish(ruleSet.evaluate(event, 'k8s_audit'));   // FalcoAlert[]
 * ```
 */

// Loading rules files.
export { loadRules, loadRulesText, type LoadResult, type RulesText } from './load.js';
/** Absolute path of Harrier's default rules file (`rules/harrier_rules.yaml`). */
export { DEFAULT_RULES_FILE } from './default-rules.js';
export { watchRulesFiles, type RulesWatch, type RulesWatchOptions } from './watch-rules.js';
export { ENGINE_VERSION, BUILT_IN_PLUGINS, type PluginRequirement } from './rules/collector.js';
export type { CompiledRule } from './rules/compiler.js';
export {
  ITEM_KINDS,
  readRulesFile,
  readRulesFiles,
  type ItemKind,
  type RulesFileRead,
  type RulesItem,
  type ValueSite,
} from './rules/reader.js';

// Evaluating events.
export { RuleSet, type AppendOutput, type RuleMatching, type RuleSetOptions } from './evaluate.js';
export type { EngineEvent, Extracted, FieldDef, FieldType, FieldValue } from './fields/types.js';
export { FieldRegistry } from './fields/types.js';
export { FIELD_REGISTRIES, SOURCES } from './fields/index.js';

// Kubernetes audit input (the k8saudit plugin's acceptance rules).
export {
  auditEventsFromJson,
  describeNoAuditEvents,
  parseAuditInput,
  type AuditInput,
  type AuditInputProblem,
} from './audit-input.js';

// PodSecurityPolicy conversion.
export { convertPsp, PspConversionError, type PspConversion } from './psp/convert.js';

// Diagnostics.
export {
  ConditionError,
  createDiagnostic,
  formatDiagnostic,
  renderExcerpt,
  type LoadDiagnostic,
  type LoadError,
  type LoadErrorCode,
  type LoadWarning,
  type LoadWarningCode,
  type Severity,
  type SourcePosition,
} from './errors.js';

// The condition language itself, for tools (editors, linters).
export { parseCondition } from './parser.js';
export type * from './ast.js';
export { LIMITS } from './limits.js';
