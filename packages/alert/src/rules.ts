/** The shapes of the rules API (`/api/v1/rules`, `/api/v1/rules/test`), shared by the hub and the dashboard. */
import type { FalcoAlert } from './alert.js';

/** A load error or warning at a place in a rules file. */
export interface RuleDiagnostic {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
  /** The item it is about, as `kind 'name'` (e.g. `rule 'Terminal shell in container'`). */
  item?: string;
  /** The offending line with a caret under the column; empty when there is no position. */
  excerpt: string;
}

/** A rule as the API shows it. */
export interface RuleSummary {
  name: string;
  source: string;
  priority: string;
  tags: string[];
  description: string;
  enabled: boolean;
  /** False when the rule reads fields no Harrier source produces: loaded but never evaluated. */
  evaluable: boolean;
  file: string;
  line: number;
}

export interface RulesStatus {
  files: string[];
  /** When the rules in force were loaded. */
  loadedAt: string;
  rules: RuleSummary[];
  warnings: RuleDiagnostic[];
  /** The last reload that failed (the previous rules stay in force), if the latest attempt failed. */
  failedReload?: { at: string; errors: RuleDiagnostic[] };
}

export interface RuleTestEventResult {
  /** The event's position in the input, from 0. */
  index: number;
  auditId?: string;
  verb?: string;
  /** `resource` or `resource/subresource`. */
  resource?: string;
  /** What the rules raised for it, in rule order (one at most with `rule_matching: first`). */
  alerts: FalcoAlert[];
}

export interface RuleTestResult {
  ruleMatching: string;
  events: RuleTestEventResult[];
  /** Lines or values that are not audit events, with the reason (`line` for JSON-lines input). */
  skipped: { line?: number; message: string }[];
}
