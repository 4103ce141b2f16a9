/** The alert filter shared by the API, the stores and the live stream, and its query-string form. */
import { alertNamespace, alertPod, alertTimeMs, type FalcoAlert } from './alert.js';
import type { FieldIssue, Validated } from './validate.js';
import { isRfc3339 } from './validate.js';
import { PRIORITIES, parsePriority, prioritiesAtLeast, type Priority } from './priority.js';

/** Within a facet any value matches (OR); across facets all must match (AND). Times are epoch ms, `since` inclusive, `until` exclusive. */
export interface AlertFilter {
  priority?: Priority[];
  rule?: string[];
  namespace?: string[];
  pod?: string[];
  source?: string[];
  hostname?: string[];
  tag?: string[];
  since?: number;
  until?: number;
  /** Free text: matches alerts whose output or rule contains it, ignoring case. */
  q?: string;
}

export const FACETS = ['priority', 'rule', 'namespace', 'pod', 'source', 'hostname', 'tag'] as const;
export type Facet = (typeof FACETS)[number];

/** The values an alert has for a facet (several for tags). */
export function facetValues(alert: FalcoAlert, facet: Facet): string[] {
  switch (facet) {
    case 'priority':
      return [alert.priority];
    case 'rule':
      return [alert.rule];
    case 'namespace': {
      const ns = alertNamespace(alert);
      return ns === undefined ? [] : [ns];
    }
    case 'pod': {
      const pod = alertPod(alert);
      return pod === undefined ? [] : [pod];
    }
    case 'source':
      return [alert.source];
    case 'hostname':
      return alert.hostname ? [alert.hostname] : [];
    case 'tag':
      return alert.tags;
  }
}

export function matchesFilter(alert: FalcoAlert, filter: AlertFilter): boolean {
  for (const facet of FACETS) {
    const wanted: readonly string[] | undefined = filter[facet];
    if (wanted === undefined) continue;
    if (!facetValues(alert, facet).some((v) => wanted.includes(v))) return false;
  }
  if (filter.since !== undefined || filter.until !== undefined) {
    const t = alertTimeMs(alert);
    if (filter.since !== undefined && t < filter.since) return false;
    if (filter.until !== undefined && t >= filter.until) return false;
  }
  if (filter.q !== undefined) {
    const needle = filter.q.toLowerCase();
    if (!alert.output.toLowerCase().includes(needle) && !alert.rule.toLowerCase().includes(needle)) return false;
  }
  return true;
}

export interface AlertQuery {
  filter: AlertFilter;
  limit: number;
  cursor?: string;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** Hub alert ids: 26 characters of Crockford base32, time first (ULID layout). */
export const ALERT_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

const DURATION = /^(\d+)(s|m|h|d|w)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

function parseTime(value: string, now: number): number | undefined {
  const rel = DURATION.exec(value);
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2] as keyof typeof UNIT_MS];
  return isRfc3339(value) ? Date.parse(value) : undefined;
}

/** Rule names may hold commas, so rules are only ever repeated (`rule=a&rule=b`); other facets also split on commas. */
const SPLIT_ON_COMMA: ReadonlySet<string> = new Set(['priority', 'namespace', 'pod', 'source', 'hostname', 'tag']);

export type QueryParams = Record<string, unknown>;

function values(params: QueryParams, name: string): string[] | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  const list = (Array.isArray(raw) ? raw : [raw]).map(String);
  const split = SPLIT_ON_COMMA.has(name) ? list.flatMap((v) => v.split(',')) : list;
  const cleaned = split.map((v) => v.trim()).filter((v) => v !== '');
  return cleaned.length > 0 ? [...new Set(cleaned)] : undefined;
}

const PARAMS = new Set<string>([...FACETS, 'since', 'until', 'q', 'limit', 'cursor']);

export const MAX_TEXT_QUERY = 256;

/**
 * Parses API query parameters (also the dashboard URL and socket subscriptions).
 * `priority=warning` is a minimum level; `priority=error,critical` is an exact set.
 */
export function parseAlertQuery(params: QueryParams, now = Date.now()): Validated<AlertQuery> {
  const issues: FieldIssue[] = [];
  const filter: AlertFilter = {};
  for (const name of Object.keys(params)) {
    if (!PARAMS.has(name)) {
      issues.push({ field: name, message: `unknown parameter; expected one of ${[...PARAMS].join(', ')}` });
    }
  }

  const priorities = values(params, 'priority');
  if (priorities) {
    const parsed = priorities.map((p) => [p, parsePriority(p)] as const);
    const bad = parsed.filter(([, p]) => p === undefined).map(([raw]) => raw);
    if (bad.length > 0) {
      issues.push({
        field: 'priority',
        message: `unknown priority ${bad.map((b) => `"${b.slice(0, 64)}"`).join(', ')}; expected ${PRIORITIES.join(', ')}`,
      });
    } else {
      const set = parsed.map(([, p]) => p as Priority);
      filter.priority = set.length === 1 ? prioritiesAtLeast(set[0]!) : set;
    }
  }
  for (const facet of FACETS) {
    if (facet === 'priority') continue;
    const list = values(params, facet);
    if (list) filter[facet] = list;
  }

  for (const name of ['since', 'until'] as const) {
    const list = values(params, name);
    if (!list) continue;
    const t = list.length === 1 ? parseTime(list[0]!, now) : undefined;
    if (t === undefined) {
      issues.push({
        field: name,
        message: 'must be one RFC 3339 date-time or a duration ago such as 30s, 15m, 2h, 7d, 1w',
      });
    } else {
      filter[name] = t;
    }
  }
  if (filter.since !== undefined && filter.until !== undefined && filter.since >= filter.until) {
    issues.push({ field: 'since', message: 'must be earlier than until' });
  }

  const q = params.q === undefined ? undefined : (Array.isArray(params.q) ? params.q : [params.q]).map(String);
  if (q) {
    const text = q.length === 1 ? q[0]!.trim() : undefined;
    if (text === undefined || text.length > MAX_TEXT_QUERY) {
      issues.push({ field: 'q', message: `must be one text of at most ${MAX_TEXT_QUERY} characters` });
    } else if (text !== '') {
      filter.q = text;
    }
  }

  let limit = DEFAULT_LIMIT;
  const rawLimit = values(params, 'limit');
  if (rawLimit) {
    const n = rawLimit.length === 1 && /^\d+$/.test(rawLimit[0]!) ? Number(rawLimit[0]) : NaN;
    if (!(n >= 1 && n <= MAX_LIMIT)) {
      issues.push({ field: 'limit', message: `must be an integer from 1 to ${MAX_LIMIT}` });
    } else {
      limit = n;
    }
  }

  const cursor = values(params, 'cursor');
  if (cursor && (cursor.length !== 1 || !ALERT_ID.test(cursor[0]!))) {
    issues.push({ field: 'cursor', message: 'must be the nextCursor of a previous page' });
  }

  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { filter, limit, ...(cursor ? { cursor: cursor[0]! } : {}) } };
}
