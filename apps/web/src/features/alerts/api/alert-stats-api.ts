/** `GET /api/v1/alerts/stats`: counts for the filtered alerts (the overview's charts, the rule picker's counts). */
import type { AlertStats } from '@harrier/alert';
import { apiGet } from '../../../lib/api-client';
import type { AlertFilterParams } from './alert-filter-params';
import { alertKeys } from './alerts-api';

export type { AlertStats, FacetCount, StatsSeriesPoint as SeriesPoint, TopFacet } from '@harrier/alert';
export { TOP_FACETS } from '@harrier/alert';

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
