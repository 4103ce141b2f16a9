/** The storage port for alerts; Redis and the embedded memory store both implement it and share one contract suite. */
import type { Alert, AlertFilter, AlertQuery } from '@harrier/alert';
import type { AlertStats } from './alert-stats.js';

export interface AlertPage {
  alerts: Alert[];
  /** Pass as `cursor` to get the next (older) page; null on the last page. */
  nextCursor: string | null;
  /**
   * Set when the search stopped after examining its bound of alerts (a rare match far back, or free text only):
   * the page may be short although older matches exist; `nextCursor` continues the search where it stopped.
   */
  partial?: true;
}

export interface StoreHealth {
  kind: 'redis' | 'memory';
  ok: boolean;
  persistent: boolean;
  error?: string;
}

export interface AlertStore {
  /**
   * Stores the alert and one delivery job per named output in one round trip; resolves only once both are
   * durable (as durable as the store is).
   */
  save(alert: Alert, deliveries: readonly string[]): Promise<void>;
  get(id: string): Promise<Alert | undefined>;
  /** Newest first (by id), honouring every filter facet, after `cursor` when given. */
  query(query: AlertQuery): Promise<AlertPage>;
  /**
   * Removes up to `batch` of the oldest alerts that are older than `before` (ms) or beyond the newest `maxAlerts`,
   * with their index entries; returns how many. Callers repeat it in small steps so no call blocks the store.
   * With several replicas only the holder of the retention lock trims (`owner` names the caller); others get 0.
   */
  trim(before: number, maxAlerts: number, batch: number, owner: string): Promise<number>;
  /**
   * The overview from the store's counters in O(buckets) (`alert-counters.ts`), or undefined when the counters
   * cannot answer this filter (facets other than priority, text, a series bucket finer than a minute): the caller
   * then counts the alerts themselves.
   */
  stats(filter: AlertFilter, bucketMs: number, topN: number): Promise<AlertStats | undefined>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}

export const ALERT_STORE = Symbol('AlertStore');

/** Raised when the store cannot take or serve alerts; the API answers 503. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}
