import type { Alert, AlertDelivery } from '@harrier/alert';
import { apiGet, apiUrl } from '../../../lib/api-client';
import type { AlertFilterParams } from './alert-filter-params';

/** One page of `GET /api/v1/alerts`, newest first; `nextCursor` asks for the page after it. */
export interface AlertPage {
  alerts: Alert[];
  nextCursor: string | null;
}

export const alertKeys = {
  all: ['alerts'] as const,
  lists: () => [...alertKeys.all, 'list'] as const,
  list: (filter: AlertFilterParams) => [...alertKeys.lists(), filter] as const,
  detail: (id: string) => [...alertKeys.all, 'detail', id] as const,
  deliveries: (id: string) => [...alertKeys.all, 'deliveries', id] as const,
};

export function fetchAlertPage(
  filter: AlertFilterParams,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<AlertPage> {
  return apiGet<AlertPage>('/api/v1/alerts', {
    query: { ...filter, cursor: cursor ?? undefined },
    ...(signal ? { signal } : {}),
  });
}

export function fetchAlert(id: string, signal?: AbortSignal): Promise<Alert> {
  return apiGet<Alert>(`/api/v1/alerts/${encodeURIComponent(id)}`, signal ? { signal } : {});
}

export function fetchAlertDeliveries(id: string, signal?: AbortSignal): Promise<AlertDelivery[]> {
  return apiGet<AlertDelivery[]>(`/api/v1/alerts/${encodeURIComponent(id)}/deliveries`, signal ? { signal } : {});
}

export type ExportFormat = 'csv' | 'json' | 'ndjson';

/** Where the browser downloads every alert matching `filter`, streamed by the hub. */
export function alertExportUrl(filter: AlertFilterParams, format: ExportFormat): string {
  return apiUrl('/api/v1/alerts/export', { ...filter, format });
}
