/** What a digest of several alerts says, whatever the channel renders it into. */
import { PRIORITIES, alertNamespace, alertPod, alertTimeMs, type Alert, type Priority } from '@harrier/alert';

export interface Count {
  name: string;
  count: number;
}

export interface DigestSummary {
  total: number;
  /** The earliest and latest alert `time`, as the alerts carry them. */
  firstTime: string;
  lastTime: string;
  /** Every rule, most frequent first (ties by name): a digest shows the top ones and counts the rest. */
  rules: Count[];
  /** Priorities present, most severe first. */
  priorities: Count[];
  highestPriority: Priority;
  namespaces: Count[];
  pods: Count[];
  /** Dashboard link filtered to the digest's time range (`since` inclusive, `until` exclusive), when a URL is set. */
  dashboardLink: string | undefined;
}

function countBy(values: Iterable<string | undefined>): Count[] {
  const counts = new Map<string, number>();
  for (const value of values) {
    if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `<base>/?since=…&until=…`; `until` is one millisecond past the last alert, since the dashboard excludes it. */
export function dashboardRangeLink(dashboardUrl: string, sinceMs: number, untilMs: number): string {
  const params = new URLSearchParams({
    since: new Date(sinceMs).toISOString(),
    until: new Date(untilMs + 1).toISOString(),
  });
  return `${dashboardUrl.replace(/\/+$/, '')}/?${params.toString()}`;
}

export function summarizeAlerts(alerts: readonly Alert[], dashboardUrl: string | undefined): DigestSummary {
  if (alerts.length === 0) throw new Error('a digest needs at least one alert');
  let first = alerts[0]!;
  let last = first;
  let firstMs = alertTimeMs(first);
  let lastMs = firstMs;
  for (const alert of alerts) {
    const t = alertTimeMs(alert);
    if (t < firstMs) [first, firstMs] = [alert, t];
    if (t > lastMs) [last, lastMs] = [alert, t];
  }
  const byPriority = countBy(alerts.map((a) => a.priority));
  const priorities = PRIORITIES.toReversed()
    .map((p) => byPriority.find((c) => c.name === p))
    .filter((c): c is Count => c !== undefined);
  return {
    total: alerts.length,
    firstTime: first.time,
    lastTime: last.time,
    rules: countBy(alerts.map((a) => a.rule)),
    priorities,
    highestPriority: priorities[0]!.name as Priority,
    namespaces: countBy(alerts.map(alertNamespace)),
    pods: countBy(alerts.map(alertPod)),
    dashboardLink: dashboardUrl ? dashboardRangeLink(dashboardUrl, firstMs, lastMs) : undefined,
  };
}

/** `name: n, name: n` of the first `limit` counts. */
export function formatCounts(counts: readonly Count[], limit = counts.length): string {
  return counts
    .slice(0, limit)
    .map((c) => `${c.name}: ${c.count}`)
    .join(', ');
}

/** Compact JSON for a non-string output field value (falcosidekick drops these from Slack; we show them). */
export function fieldText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? 'null';
}
