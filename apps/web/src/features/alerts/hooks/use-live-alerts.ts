/** Turns alerts pushed by the hub into updates of the cached alert list the page is showing. */
import { matchesFilter, parseAlertQuery, type Alert } from '@harrier/alert';
import { hashKey, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useAlertStream } from '../../../lib/alert-stream-context';
import type { AlertFilterParams } from '../api/alert-filter-params';
import { alertKeys, type AlertPage } from '../api/alerts-api';

type AlertPages = InfiniteData<AlertPage, string | null>;

/** `data` with `pushed` (oldest first, as they arrived) on top of the first page, skipping ids already listed. */
export function prependAlerts(data: AlertPages, pushed: readonly Alert[]): AlertPages {
  const [first, ...rest] = data.pages;
  if (first === undefined) return data;
  const listed = new Set(data.pages.flatMap((page) => page.alerts.map((alert) => alert.id)));
  const fresh: Alert[] = [];
  for (const alert of pushed) {
    if (listed.has(alert.id)) continue;
    listed.add(alert.id);
    fresh.unshift(alert);
  }
  if (fresh.length === 0) return data;
  return { ...data, pages: [{ ...first, alerts: [...fresh, ...first.alerts] }, ...rest] };
}

/**
 * Subscribes the stream to `filter` and adds every matching pushed alert to `alertKeys.list(filter)`.
 * After the stream comes back from offline, alert lists are refetched to cover what was missed.
 */
export function useLiveAlerts(filter: AlertFilterParams): void {
  const stream = useAlertStream();
  const queryClient = useQueryClient();

  useEffect(() => {
    stream.subscribe(filter);
    const parsed = parseAlertQuery(filter);
    // The history query reports an invalid filter; the hub pushes nothing for it.
    if (!parsed.ok) return;

    const queryKey = alertKeys.list(filter);
    const queryHash = hashKey(queryKey);
    const add = (alerts: readonly Alert[]) =>
      queryClient.setQueryData<AlertPages>(queryKey, (data) => data && prependAlerts(data, alerts));
    // A fetch in flight may have read the store before these were written; they are added again when it lands.
    let duringFetch: Alert[] = [];

    const offAlert = stream.onAlert((alert) => {
      // Alerts for the previous filter can still arrive until the hub has taken the new one.
      if (!matchesFilter(alert, parsed.value.filter)) return;
      if (queryClient.getQueryState(queryKey)?.fetchStatus === 'fetching') duringFetch.push(alert);
      add([alert]);
    });
    const offCache = queryClient.getQueryCache().subscribe((event) => {
      if (event.type !== 'updated' || event.query.queryHash !== queryHash) return;
      const settled = (event.action.type === 'success' && !event.action.manual) || event.action.type === 'error';
      if (!settled || duringFetch.length === 0) return;
      const missed = duringFetch;
      duringFetch = [];
      add(missed);
    });
    return () => {
      offAlert();
      offCache();
    };
  }, [stream, queryClient, filter]);

  useEffect(() => {
    let missedSome = stream.status === 'offline';
    return stream.onStatus((status) => {
      if (status === 'offline') {
        missedSome = true;
      } else if (status === 'live' && missedSome) {
        missedSome = false;
        void queryClient.invalidateQueries({ queryKey: alertKeys.lists() });
      }
    });
  }, [stream, queryClient]);
}
