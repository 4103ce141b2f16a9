import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { AlertFilterParams } from '../api/alert-filter-params';
import { alertKeys, fetchAlertPage } from '../api/alerts-api';

/** Alert history for a filter, newest first, one cursor page at a time. */
export function useAlerts(filter: AlertFilterParams) {
  return useInfiniteQuery({
    queryKey: alertKeys.list(filter),
    queryFn: ({ pageParam, signal }) => fetchAlertPage(filter, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    // Keep the previous filter's rows on screen (dimmed) while the new filter loads.
    placeholderData: keepPreviousData,
  });
}
