/** Turns alerts pushed by the hub into updates of the cached alert list the page is showing. */
import { matchesFilter, parseAlertQuery, type Alert } from '@harrier/alert';
import { hashKey, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useAlertStream } from '../../../lib/alert-stream-context';
import type { AlertFilterParams } from '../api/alert-filter-params';
import { alertKeys, type AlertPage } from '../api/alerts-api';

type AlertPages = InfiniteData<AlertPage, string | null>;

/**
 * Most alerts the list keeps in memory. Past it the oldest are dropped and the list continues from the last kept
 * one (its id is the cursor), so scrolling back still reaches them from the hub.
 */
export const MAX_LISTED = 5_000;

/**
 * `data` with `pushed` (oldest first, as they arrived) on top of the first page, skipping ids already listed,
 * and cut to the newest `max` alerts.
 */
export function prependAlerts(data: AlertPages, pushed: readonly Alert[], max = MAX_LISTED): AlertPages {
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
  if (listed.size <= max) {
    return { ...data, pages: [{ ...first, alerts: [...fresh, ...first.alerts] }, ...rest] };
  }
  const kept = [...fresh, ...data.pages.flatMap((page) => page.alerts)].slice(0, max);
  return { pages: [{ alerts: kept, nextCursor: kept[kept.length - 1]?.id ?? null }], pageParams: [null] };
}

/** How far back the rate looks, how often it and the held count are shown, and how many alerts a pause holds. */
const RATE_WINDOW_MS = 60_000;
const TICK_MS = 1_000;
/** Pushed alerts are added to the list together at most this often, so a flood renders a few times a second. */
export const FLUSH_MS = 250;
export const MAX_HELD = 1_000;

export interface LiveAlertsState {
  /** Matching alerts pushed in the last minute (fewer minutes since the filter was set count as one). */
  perMinute: number;
  /** Matching alerts that arrived while paused, not yet on screen. */
  heldCount: number;
}

/**
 * Subscribes the stream to `filter` and adds every matching pushed alert to `alertKeys.list(filter)`, unless
 * `paused`: then they are held and added on resume. After the stream comes back from offline, alert lists are
 * refetched to cover what was missed.
 */
export function useLiveAlerts(filter: AlertFilterParams, paused = false): LiveAlertsState {
  const stream = useAlertStream();
  const queryClient = useQueryClient();
  const [perMinute, setPerMinute] = useState(0);
  const [heldCount, setHeldCount] = useState(0);
  const pausedRef = useRef(paused);
  /** Adds what the pause held; replaced with each filter. */
  const releaseRef = useRef<() => void>(() => undefined);

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
    const show = (alerts: readonly Alert[]) => {
      if (queryClient.getQueryState(queryKey)?.fetchStatus === 'fetching') duringFetch.push(...alerts);
      add(alerts);
    };
    let arrivals: number[] = [];
    let held: Alert[] = [];
    let overflowed = false;
    let batch: Alert[] = [];
    const flushTimer = setInterval(() => {
      if (batch.length === 0) return;
      const ready = batch;
      batch = [];
      show(ready);
    }, FLUSH_MS);

    releaseRef.current = () => {
      const release = held;
      held = [];
      setHeldCount(0);
      // A long pause under a flood holds too many to keep: the list is loaded again instead.
      if (overflowed) {
        overflowed = false;
        void queryClient.invalidateQueries({ queryKey });
      } else if (release.length > 0) {
        show(release);
      }
    };

    const offAlert = stream.onAlert((alert) => {
      // Alerts for the previous filter can still arrive until the hub has taken the new one.
      if (!matchesFilter(alert, parsed.value.filter)) return;
      arrivals.push(Date.now());
      if (!pausedRef.current) {
        batch.push(alert);
      } else if (held.length < MAX_HELD) {
        held.push(alert);
      } else {
        overflowed = true;
      }
    });
    const offCache = queryClient.getQueryCache().subscribe((event) => {
      if (event.type !== 'updated' || event.query.queryHash !== queryHash) return;
      const settled = (event.action.type === 'success' && !event.action.manual) || event.action.type === 'error';
      if (!settled || duringFetch.length === 0) return;
      const missed = duringFetch;
      duringFetch = [];
      add(missed);
    });
    // Counts are shown once a second rather than per alert, so a flood does not re-render the page per alert.
    const tick = () => {
      const cutoff = Date.now() - RATE_WINDOW_MS;
      arrivals = arrivals.filter((at) => at >= cutoff);
      setPerMinute(arrivals.length);
      setHeldCount(overflowed ? MAX_HELD : held.length);
    };
    // A new filter starts from zero at once rather than showing the previous filter's counts for a second.
    tick();
    const timer = setInterval(tick, TICK_MS);
    return () => {
      offAlert();
      offCache();
      clearInterval(timer);
      clearInterval(flushTimer);
      releaseRef.current = () => undefined;
    };
  }, [stream, queryClient, filter]);

  useEffect(() => {
    pausedRef.current = paused;
    if (!paused) releaseRef.current();
  }, [paused]);

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

  return { perMinute, heldCount };
}
