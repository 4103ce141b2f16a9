/**
 * Overview counters, kept beside the alerts so the overview reads O(buckets) instead of O(alerts).
 *
 * Every alert adds 1 to a few fields of three counter buckets (the minute, the hour and the day of its event time);
 * trimming an alert subtracts them again, so the counters always describe exactly the stored alerts. A field is the
 * alert's priority (its index in PRIORITIES) alone, or followed by a facet code and a value, so the counters can
 * answer any time range (to the minute) combined with any set of priorities. Both stores use this module; they
 * differ only in where the buckets live.
 */
import {
  alertTimeMs,
  facetValues,
  PRIORITIES,
  type Alert,
  type AlertFilter,
  type Facet,
  type Priority,
} from '@harrier/alert';
import type { AlertStats, TopFacet } from './alert-stats.js';
import { TOP_FACETS } from './alert-stats.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Coarsest first. A bucket's name is the level letter and its start divided by the level's length. */
const LEVELS = [
  { letter: 'd', ms: DAY_MS },
  { letter: 'h', ms: HOUR_MS },
  { letter: 'm', ms: MINUTE_MS },
] as const;
type Level = (typeof LEVELS)[number];
/** Buckets `s{hour}`: fields `{minute of the hour}:{priority}`. */
const SERIES_LETTER = 's';

const FACET_CODES: Record<TopFacet, string> = {
  rule: 'r',
  namespace: 'n',
  pod: 'p',
  source: 's',
  hostname: 'h',
  tag: 't',
};
const FACET_BY_CODE = new Map(Object.entries(FACET_CODES).map(([facet, code]) => [code, facet as TopFacet]));

/** The most bucket reads one answer may take (7 days of 1-minute series points is 10,080); past it the caller scans. */
const MAX_SERIES_BUCKETS = 20_000;

/** bucket name → field → count change. */
export type CounterDelta = Map<string, Map<string, number>>;

/** Adds (sign 1) or removes (sign -1) one alert's counts to a delta. */
export function countAlert(delta: CounterDelta, alert: Alert, sign: 1 | -1): void {
  const t = alertTimeMs(alert);
  const p = String(PRIORITIES.indexOf(alert.priority));
  const fields = [p];
  for (const facet of TOP_FACETS) {
    for (const value of facetValues(alert, facet)) fields.push(p + FACET_CODES[facet] + value);
  }
  const add = (bucket: string, list: readonly string[]) => {
    let counts = delta.get(bucket);
    if (!counts) delta.set(bucket, (counts = new Map<string, number>()));
    for (const field of list) counts.set(field, (counts.get(field) ?? 0) + sign);
  };
  for (const level of LEVELS) add(level.letter + String(Math.floor(t / level.ms)), fields);
  // The hour's per-minute series by priority, so a day of 1-minute points is 24 reads, not 1,440.
  const minute = Math.floor(t / MINUTE_MS);
  add(SERIES_LETTER + String(Math.floor(t / HOUR_MS)), [`${minute % 60}:${p}`]);
}

/** One facet value among alerts of one priority: its counter field, and the key parts of its index slots. */
export interface FacetPart {
  field: string;
  value: string;
  /** The priority's index in PRIORITIES, as a string. */
  priority: string;
}

/**
 * The (value, priority) parts of a facet filter among the given priorities (indices as strings), with the counter
 * fields that count them, so their sum in a bucket is 0 exactly when no alert there can match; `priority` is counted
 * by its own fields.
 */
export function facetParts(facet: Facet, values: readonly string[], priorities: readonly string[]): FacetPart[] {
  if (facet === 'priority') {
    return values
      .map((value) => ({ value, priority: String(PRIORITIES.indexOf(value as Priority)) }))
      .filter(({ priority }) => priorities.includes(priority))
      .map((part) => ({ ...part, field: part.priority }));
  }
  return priorities.flatMap((priority) =>
    values.map((value) => ({ field: priority + FACET_CODES[facet] + value, value, priority })),
  );
}

/** The bucket holding an hour's per-minute counts by priority (fields `{minute of the hour}:{priority index}`). */
export function minutesBucket(hour: number): string {
  return SERIES_LETTER + String(hour);
}

/** The day number of a day bucket's name (the stores keep a directory of days that have counts), else undefined. */
export function dayOf(bucket: string): number | undefined {
  return bucket.startsWith('d') ? Number(bucket.slice(1)) : undefined;
}

/** Where the counters live: read several buckets' fields (all of them when `fields` is omitted). */
export interface CounterReader {
  days(): Promise<number[]>;
  read(requests: { bucket: string; fields?: readonly string[] }[]): Promise<Map<string, number>[]>;
}

/** Whether the counters can answer this filter with this series bucket: time range and priorities only. */
export function countersCanAnswer(filter: AlertFilter, bucketMs: number): boolean {
  const other = (Object.keys(filter) as (keyof AlertFilter)[]).filter(
    (k) => k !== 'since' && k !== 'until' && k !== 'priority' && filter[k] !== undefined,
  );
  return other.length === 0 && bucketMs % MINUTE_MS === 0;
}

/**
 * The overview from the counters, or undefined when they cannot answer (see `countersCanAnswer`, or a series too
 * long to read). `since` is rounded down and `until` up to whole minutes: the counters know nothing finer.
 */
export async function statsFromCounters(
  reader: CounterReader,
  filter: AlertFilter,
  bucketMs: number,
  topN: number,
): Promise<AlertStats | undefined> {
  if (!countersCanAnswer(filter, bucketMs)) return undefined;
  const from = filter.since === undefined ? -Infinity : Math.floor(filter.since / MINUTE_MS) * MINUTE_MS;
  const to = filter.until === undefined ? Infinity : Math.ceil(filter.until / MINUTE_MS) * MINUTE_MS;
  const days = (await reader.days()).filter((d) => (d + 1) * DAY_MS > from && d * DAY_MS < to).sort((a, b) => a - b);
  const seriesLevel = LEVELS.find((l) => bucketMs % l.ms === 0)!;
  const totalPieces: string[] = [];
  const seriesPieces: string[] = [];
  for (const day of days) {
    const start = Math.max(day * DAY_MS, from);
    const end = Math.min((day + 1) * DAY_MS, to);
    split(start, end, LEVELS[0], totalPieces);
    if (seriesLevel.ms === MINUTE_MS) {
      for (let h = Math.floor(start / HOUR_MS); h * HOUR_MS < end; h++) seriesPieces.push(SERIES_LETTER + String(h));
    } else {
      split(start, end, seriesLevel, seriesPieces);
    }
    if (seriesPieces.length > MAX_SERIES_BUCKETS) return undefined;
  }
  const priorityFields = PRIORITIES.map((_, i) => String(i));
  const wanted = new Set((filter.priority ?? PRIORITIES).map((p) => String(PRIORITIES.indexOf(p))));
  const results = await reader.read([
    ...totalPieces.map((bucket) => ({ bucket })),
    ...seriesPieces.map((bucket) => (bucket[0] === SERIES_LETTER ? { bucket } : { bucket, fields: priorityFields })),
  ]);

  const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
  const facets = new Map<TopFacet, Map<string, number>>(TOP_FACETS.map((f) => [f, new Map()]));
  for (const counts of results.slice(0, totalPieces.length)) {
    for (const [field, n] of counts) {
      if (!wanted.has(field[0]!) || n <= 0) continue;
      if (field.length === 1) {
        byPriority[PRIORITIES[Number(field)]!] += n;
        continue;
      }
      const facet = FACET_BY_CODE.get(field[1]!);
      if (!facet) continue;
      const values = facets.get(facet)!;
      const value = field.slice(2);
      values.set(value, (values.get(value) ?? 0) + n);
    }
  }
  const series = new Map<number, Partial<Record<Priority, number>>>();
  const addPoint = (startMs: number, priorityIndex: string, n: number) => {
    if (!wanted.has(priorityIndex) || n <= 0) return;
    const t = Math.floor(startMs / bucketMs) * bucketMs;
    const point = series.get(t) ?? {};
    const priority = PRIORITIES[Number(priorityIndex)]!;
    point[priority] = (point[priority] ?? 0) + n;
    series.set(t, point);
  };
  results.slice(totalPieces.length).forEach((counts, i) => {
    const piece = seriesPieces[i]!;
    if (piece[0] === SERIES_LETTER) {
      const hourStart = Number(piece.slice(1)) * HOUR_MS;
      for (const [field, n] of counts) {
        const [minute, priorityIndex] = field.split(':');
        const t = hourStart + Number(minute) * MINUTE_MS;
        if (t >= from && t < to) addPoint(t, priorityIndex!, n);
      }
      return;
    }
    const level = LEVELS.find((l) => l.letter === piece[0])!;
    for (const [field, n] of counts) addPoint(Number(piece.slice(1)) * level.ms, field, n);
  });

  const total = Object.values(byPriority).reduce((a, b) => a + b, 0);
  const top = Object.fromEntries(
    TOP_FACETS.map((facet) => [
      facet,
      [...facets.get(facet)!.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, topN)
        .map(([value, count]) => ({ value, count })),
    ]),
  ) as AlertStats['top'];
  return {
    total,
    byPriority,
    top,
    series: [...series.entries()].sort((a, b) => a[0] - b[0]).map(([t, counts]) => ({ t, counts })),
    bucketMs,
    scanned: 0,
    truncated: false,
    source: 'counters',
  };
}

/** Covers [start, end) (whole minutes) with the fewest buckets no coarser than `level`. */
function split(start: number, end: number, level: Level, out: string[]): void {
  if (start >= end) return;
  const first = Math.ceil(start / level.ms) * level.ms;
  const last = Math.floor(end / level.ms) * level.ms;
  const finer = LEVELS[LEVELS.indexOf(level) + 1];
  if (first >= last) {
    if (finer) split(start, end, finer, out);
    return;
  }
  if (finer) split(start, first, finer, out);
  for (let t = first; t < last; t += level.ms) out.push(level.letter + String(t / level.ms));
  if (finer) split(last, end, finer, out);
}
