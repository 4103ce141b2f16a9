/** The hub's rules: what is loaded (`/api/v1/rules`), reloading, and the rule tester. */
import type { RulesStatus, RuleTestResult } from '@harrier/alert';
import { apiGet, apiPost } from '../../../lib/api-client';

export type { RuleDiagnostic, RuleSummary, RulesStatus, RuleTestEventResult, RuleTestResult } from '@harrier/alert';

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
