/** The hub's rules: what is loaded (`/api/v1/rules`), reloading, and the rule tester. */
import type { FalcoAlert } from '@harrier/alert';
import { apiGet, apiPost } from '../../../lib/api-client';

/** A load error or warning at a place in a rules file. */
export interface LoadDiagnostic {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
  item?: string;
  /** The offending line with a caret under the column. */
  excerpt: string;
}

export interface RuleSummary {
  name: string;
  source: string;
  priority: string;
  tags: string[];
  description: string;
  enabled: boolean;
  /** False when the rule reads fields no Harrier source produces. */
  evaluable: boolean;
  file: string;
  line: number;
}

export interface RulesStatus {
  files: string[];
  loadedAt: string;
  rules: RuleSummary[];
  warnings: LoadDiagnostic[];
  failedReload?: { at: string; errors: LoadDiagnostic[] };
}

export interface RuleTestEventResult {
  index: number;
  auditId?: string;
  verb?: string;
  resource?: string;
  alerts: FalcoAlert[];
}

export interface RuleTestResult {
  ruleMatching: string;
  events: RuleTestEventResult[];
  skipped: { line?: number; message: string }[];
}

export const ruleKeys = {
  all: ['rules'] as const,
  status: () => [...ruleKeys.all, 'status'] as const,
};

export function fetchRules(signal?: AbortSignal): Promise<RulesStatus> {
  return apiGet<RulesStatus>('/api/v1/rules', signal ? { signal } : {});
}

export function reloadRules(): Promise<RulesStatus> {
  return apiPost<RulesStatus>('/api/v1/rules/reload');
}

/** Runs pasted audit JSON through the rules in force; nothing is stored. */
export function testRules(event: string): Promise<RuleTestResult> {
  return apiPost<RuleTestResult>('/api/v1/rules/test', { event });
}
