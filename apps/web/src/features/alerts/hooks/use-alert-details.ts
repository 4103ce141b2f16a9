import type { Alert } from '@harrier/alert';
import { useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { alertKeys, fetchAlert, type AlertPage } from '../api/alerts-api';

/** One alert by id: at once from any cached list that holds it, otherwise from the hub (a shared link). */
export function useAlertDetails(id: string | undefined) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: alertKeys.detail(id ?? ''),
    queryFn: ({ signal }) => fetchAlert(id!, signal),
    enabled: id !== undefined,
    // Stored alerts never change.
    staleTime: Infinity,
    initialData: () => {
      if (id === undefined) return undefined;
      for (const [, data] of queryClient.getQueriesData<InfiniteData<AlertPage>>({ queryKey: alertKeys.lists() })) {
        const found = data?.pages.flatMap((page) => page.alerts).find((alert: Alert) => alert.id === id);
        if (found) return found;
      }
      return undefined;
    },
  });
}
