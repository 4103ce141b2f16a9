import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery, type QueryClient } from '@tanstack/react-query';
import { filterParamsFromSearch, type AlertFilterParams } from '../api/alert-filter-params';
import { alertKeys, fetchAlertPage } from '../api/alerts-api';

function alertsQuery(filter: AlertFilterParams) {
  return infiniteQueryOptions({
    queryKey: alertKeys.list(filter),
    queryFn: ({ pageParam, signal }) => fetchAlertPage(filter, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

/** Alert history for a filter, newest first, one cursor page at a time. */
export function useAlerts(filter: AlertFilterParams) {
  return useInfiniteQuery({
    ...alertsQuery(filter),
    // Keep the previous filter's rows on screen (dimmed) while the new filter loads.
    placeholderData: keepPreviousData,
  });
}

/** Starts loading the first page for the URL's filter before React has rendered anything (the home view). */
export function prefetchAlerts(queryClient: QueryClient, search: string): void {
  void queryClient.prefetchInfiniteQuery(alertsQuery(filterParamsFromSearch(new URLSearchParams(search))));
}
