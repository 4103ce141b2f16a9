/** `GET /api/v1/alerts/stats`: counts for the filtered alerts (the overview's charts, the rule picker's counts). */
import type { Priority } from '@harrier/alert';
import { apiGet } from '../../../lib/api-client';
import type { AlertFilterParams } from './alert-filter-params';
import { alertKeys } from './alerts-api';

export interface FacetCount {
  value: string;
  count: number;
}

export const TOP_FACETS = ['rule', 'namespace', 'pod', 'source', 'hostname', 'tag'] as const;
export type TopFacet = (typeof TOP_FACETS)[number];

export interface SeriesPoint {
  /** The bucket's start, epoch ms. */
  t: number;
  counts: Partial<Record<Priority, number>>;
}

/** `GET /api/v1/alerts/stats`, as the hub's `AlertStats` answers it. */
export interface AlertStats {
  total: number;
  byPriority: Record<Priority, number>;
  top: Record<TopFacet, FacetCount[]>;
  /** Buckets that have alerts, oldest first. */
  series: SeriesPoint[];
  bucketMs: number;
  scanned: number;
  /** The hub stopped scanning before the oldest match: the counts cover the newest `scanned` alerts. */
  truncated: boolean;
}

export const statsKeys = {
  all: [...alertKeys.all, 'stats'] as const,
  stats: (filter: AlertFilterParams, shape: StatsShape) => [...statsKeys.all, filter, shape] as const,
};

/** The time bucket (a duration such as `5m`) and how many top values per facet. */
export interface StatsShape {
  bucket: string;
  top: number;
}

export function fetchAlertStats(
  filter: AlertFilterParams,
  shape: StatsShape,
  signal?: AbortSignal,
): Promise<AlertStats> {
  return apiGet<AlertStats>('/api/v1/alerts/stats', {
    query: { ...filter, bucket: shape.bucket, top: String(shape.top) },
    ...(signal ? { signal } : {}),
  });
}
