/** The shape of `GET /api/v1/alerts/stats`, shared by the hub and the dashboard. */
import type { Facet } from './filter.js';
import type { Priority } from './priority.js';

export interface FacetCount {
  value: string;
  count: number;
}

/** The facets the overview ranks (priority has its own totals). */
export const TOP_FACETS = ['rule', 'namespace', 'pod', 'source', 'hostname', 'tag'] as const satisfies readonly Facet[];
export type TopFacet = (typeof TOP_FACETS)[number];

export interface StatsSeriesPoint {
  /** The bucket's start, epoch ms. */
  t: number;
  counts: Partial<Record<Priority, number>>;
}

export interface AlertStats {
  total: number;
  byPriority: Record<Priority, number>;
  /** The most frequent values of each facet, most frequent first. */
  top: Record<TopFacet, FacetCount[]>;
  /** One point per bucket that has alerts, oldest first. */
  series: StatsSeriesPoint[];
  bucketMs: number;
  /** Alerts read to compute this (0 from counters); `truncated` when the scan cap stopped it before the oldest match. */
  scanned: number;
  truncated: boolean;
  /**
   * `counters`: read from the per-minute/hour/day counters in O(buckets), exact, with `since`/`until` widened to
   * whole minutes; `scan`: counted from the alerts themselves (filters the counters cannot answer), bounded.
   */
  source: 'counters' | 'scan';
}
