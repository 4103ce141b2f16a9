/** Picks chart buckets for a time range and merges fine buckets into coarser ones for drawing. */
import type { Priority } from '@harrier/alert';
import type { SeriesPoint } from '../../alerts/api/alert-stats-api';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Bucket sizes the chart uses, as the hub's `bucket` parameter spells them. */
const BUCKETS = [
  { ms: 5 * SECOND, param: '5s' },
  { ms: 10 * SECOND, param: '10s' },
  { ms: 30 * SECOND, param: '30s' },
  { ms: MINUTE, param: '1m' },
  { ms: 5 * MINUTE, param: '5m' },
  { ms: 10 * MINUTE, param: '10m' },
  { ms: 30 * MINUTE, param: '30m' },
  { ms: HOUR, param: '1h' },
  { ms: 3 * HOUR, param: '3h' },
  { ms: 6 * HOUR, param: '6h' },
  { ms: 12 * HOUR, param: '12h' },
  { ms: DAY, param: '1d' },
] as const;

/** At most this many bars across the chart. */
export const MAX_BARS = 60;

const DURATION = /^(\d+)(s|m|h|d|w)$/;
const UNIT_MS = { s: SECOND, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY } as const;

/** The span (ms) a `since`/`until` pair covers, or undefined when `since` is absent (all of history). */
export function rangeSpanMs(
  since: string | undefined,
  until: string | undefined,
  now = Date.now(),
): number | undefined {
  const toMs = (value: string) => {
    const relative = DURATION.exec(value);
    if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS];
    const absolute = Date.parse(value);
    return Number.isNaN(absolute) ? undefined : absolute;
  };
  const from = since === undefined ? undefined : toMs(since);
  if (from === undefined) return undefined;
  const to = until === undefined ? now : (toMs(until) ?? now);
  return Math.max(to - from, SECOND);
}

/**
 * The bucket to ask the hub for: the smallest that fits the span in `MAX_BARS`. Without a span (all of history)
 * one minute, merged for drawing by `mergeBuckets` once the data's extent is known.
 */
export function bucketFor(spanMs: number | undefined): string {
  if (spanMs === undefined) return '1m';
  return (BUCKETS.find((bucket) => spanMs / bucket.ms <= MAX_BARS) ?? BUCKETS[BUCKETS.length - 1]!).param;
}

export interface Bar {
  start: number;
  end: number;
  counts: Partial<Record<Priority, number>>;
  total: number;
}

export interface TimeDomain {
  start: number;
  end: number;
}

/** The time axis: the filter's range when it has one, else from the first bucket to the end of the last. */
export function timeDomain(
  series: readonly SeriesPoint[],
  bucketMs: number,
  spanMs: number | undefined,
  now = Date.now(),
): TimeDomain | undefined {
  const first = series[0];
  const last = series[series.length - 1];
  if (first === undefined || last === undefined) return undefined;
  const dataEnd = last.t + bucketMs;
  if (spanMs === undefined) return { start: first.t, end: dataEnd };
  const end = Math.max(dataEnd, Math.min(now, first.t + spanMs + bucketMs));
  return { start: Math.min(first.t, end - spanMs), end };
}

/** `series` as bars of whole multiples of `bucketMs`, coarse enough for at most `MAX_BARS` over `domain`. */
export function mergeBuckets(series: readonly SeriesPoint[], bucketMs: number, domain: TimeDomain): Bar[] {
  const extent = domain.end - domain.start;
  const factor = Math.max(1, Math.ceil(extent / bucketMs / MAX_BARS));
  const size = bucketMs * factor;
  const bars = new Map<number, Bar>();
  for (const point of series) {
    const start = Math.floor(point.t / size) * size;
    const bar = bars.get(start) ?? { start, end: start + size, counts: {}, total: 0 };
    for (const [priority, count] of Object.entries(point.counts) as [Priority, number][]) {
      bar.counts[priority] = (bar.counts[priority] ?? 0) + count;
      bar.total += count;
    }
    bars.set(start, bar);
  }
  return [...bars.values()].sort((a, b) => a.start - b.start);
}
