import type { Priority } from '@harrier/alert';
import { apiGet } from '../../../lib/api-client';
import type { AlertFilterParams } from '../../alerts/api/alert-filter-params';
import { alertKeys } from '../../alerts/api/alerts-api';

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
  stats: (filter: AlertFilterParams, bucket: string) => [...statsKeys.all, filter, bucket] as const,
};

export function fetchAlertStats(filter: AlertFilterParams, bucket: string, signal?: AbortSignal): Promise<AlertStats> {
  return apiGet<AlertStats>('/api/v1/alerts/stats', {
    query: { ...filter, bucket, top: '8' },
    ...(signal ? { signal } : {}),
  });
}
