/**
 * Which outputs an alert goes to: falcosidekick's `minimumpriority`, plus routes in the spirit of Alertmanager's
 * (rule globs, tags, sources, namespaces, pods; all given criteria must hold, any value within one) and excludes.
 */
import { alertNamespace, alertPod, priorityLevel, type FalcoAlert, type Priority } from '@harrier/alert';
import { globToRegExp } from '../common/glob.js';

export interface RouteSpec {
  rules?: string[];
  tags?: string[];
  sources?: string[];
  namespaces?: string[];
  pods?: string[];
}

export type AlertPredicate = (alert: FalcoAlert) => boolean;

/** falcosidekick's test event (`POST /test`) reaches every output, whatever its filters. */
export const TEST_RULE = 'Test rule';

export function compileRoute(spec: RouteSpec): AlertPredicate {
  const checks: AlertPredicate[] = [];
  if (spec.rules?.length) {
    const globs = spec.rules.map(globToRegExp);
    checks.push((a) => globs.some((g) => g.test(a.rule)));
  }
  if (spec.tags?.length) {
    const tags = new Set(spec.tags);
    checks.push((a) => a.tags.some((t) => tags.has(t)));
  }
  if (spec.sources?.length) {
    const sources = new Set(spec.sources);
    checks.push((a) => sources.has(a.source));
  }
  if (spec.namespaces?.length) {
    const globs = spec.namespaces.map(globToRegExp);
    checks.push((a) => {
      const ns = alertNamespace(a);
      return ns !== undefined && globs.some((g) => g.test(ns));
    });
  }
  if (spec.pods?.length) {
    const globs = spec.pods.map(globToRegExp);
    checks.push((a) => {
      const pod = alertPod(a);
      return pod !== undefined && globs.some((g) => g.test(pod));
    });
  }
  return (alert) => checks.every((check) => check(alert));
}

export interface OutputFilter {
  minimumPriority: Priority | undefined;
  route: AlertPredicate;
  exclude: AlertPredicate | undefined;
}

export function outputAccepts(filter: OutputFilter, alert: FalcoAlert): boolean {
  if (alert.rule === TEST_RULE) return true;
  if (filter.minimumPriority && priorityLevel(alert.priority) < priorityLevel(filter.minimumPriority)) return false;
  return filter.route(alert) && !(filter.exclude?.(alert) ?? false);
}
