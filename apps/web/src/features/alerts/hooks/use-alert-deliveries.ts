import type { AlertDelivery } from '@harrier/alert';
import { useQuery } from '@tanstack/react-query';
import { alertKeys, fetchAlertDeliveries } from '../api/alerts-api';

/** While a delivery is still under way its status is read again this often. */
const PENDING_REFRESH_MS = 2_000;

const pending = (rows: readonly AlertDelivery[] | undefined) =>
  rows?.some((row) => row.state === 'queued' || row.state === 'retrying') ?? false;

/** The alert's delivery status per output, followed until every delivery has settled. */
export function useAlertDeliveries(id: string) {
  return useQuery({
    queryKey: alertKeys.deliveries(id),
    queryFn: ({ signal }) => fetchAlertDeliveries(id, signal),
    refetchInterval: (query) => (pending(query.state.data) ? PENDING_REFRESH_MS : false),
  });
}
