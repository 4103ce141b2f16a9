/** The overview's counts for the URL's filter, fetched again (at most every few seconds) while alerts arrive. */
import { matchesFilter, parseAlertQuery } from '@harrier/alert';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useAlertStream } from '../../../lib/alert-stream-context';
import type { AlertFilterParams } from '../../alerts/api/alert-filter-params';
import { fetchAlertStats, statsKeys } from '../../alerts/api/alert-stats-api';
import { bucketFor, rangeSpanMs } from '../utils/time-buckets';

/** Counts are recomputed on the hub, so a flood of alerts refreshes them at most this often. */
export const LIVE_REFRESH_MS = 3_000;
/** Values per top list. */
const TOP_VALUES = 8;

export function useAlertStats(filter: AlertFilterParams) {
  const stream = useAlertStream();
  const queryClient = useQueryClient();
  const bucket = bucketFor(rangeSpanMs(filter.since?.[0], filter.until?.[0]));
  const shape = { bucket, top: TOP_VALUES };
  const queryKey = statsKeys.stats(filter, shape);

  useEffect(() => {
    stream.subscribe(filter);
    const parsed = parseAlertQuery(filter);
    if (!parsed.ok) return;
    const key = statsKeys.stats(filter, { bucket, top: TOP_VALUES });
    let changed = false;
    const offAlert = stream.onAlert((alert) => {
      if (matchesFilter(alert, parsed.value.filter)) changed = true;
    });
    const timer = setInterval(() => {
      if (!changed) return;
      changed = false;
      void queryClient.invalidateQueries({ queryKey: key, exact: true });
    }, LIVE_REFRESH_MS);
    // Back from offline: what arrived meanwhile was not pushed, so count again once the stream is live.
    let missedSome = stream.status === 'offline';
    const offStatus = stream.onStatus((status) => {
      if (status === 'offline') missedSome = true;
      else if (status === 'live' && missedSome) {
        missedSome = false;
        changed = true;
      }
    });
    return () => {
      offAlert();
      offStatus();
      clearInterval(timer);
    };
  }, [stream, queryClient, filter, bucket]);

  return useQuery({
    queryKey,
    queryFn: ({ signal }) => fetchAlertStats(filter, shape, signal),
    placeholderData: keepPreviousData,
  });
}
