import { useQuery } from '@tanstack/react-query';
import type { AlertFilterParams } from '../api/alert-filter-params';
import { fetchAlertStats, statsKeys } from '../api/alert-stats-api';

/** Rules offered with their counts; one bucket per day keeps the answer small, only the top lists are read. */
const SHAPE = { bucket: '1d', top: 100 };

/** How many alerts each rule has under the rest of the filter (the rule choice itself left out), when `enabled`. */
export function useRuleCounts(filter: AlertFilterParams, enabled: boolean) {
  const { rule: _chosen, ...others } = filter;
  return useQuery({
    queryKey: statsKeys.stats(others, SHAPE),
    queryFn: ({ signal }) => fetchAlertStats(others, SHAPE, signal),
    select: (stats) => stats.top.rule,
    enabled,
    staleTime: 10_000,
  });
}
