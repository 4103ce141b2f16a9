/** The embedded zero-config store: bounded, newest kept, nothing survives a restart. */
import { matchesFilter, type Alert, type AlertFilter, type AlertQuery } from '@harrier/alert';
import type { MemoryDeliveryQueue } from '../outputs/delivery/memory-delivery.queue.js';
import { countAlert, dayOf, statsFromCounters, type CounterDelta, type CounterReader } from './alert-counters.js';
import { idFloor } from './alert-id.js';
import type { AlertStats } from './alert-stats.js';
import type { AlertPage, AlertStore, StoreHealth } from './alert.store.js';

export class MemoryAlertStore implements AlertStore {
  /**
   * Sorted by id ascending; most writes append at the end. The alerts stored are those from `head` on: the oldest
   * leave by moving `head`, and the array sheds its dead front only now and then, so a full store does not move
   * every alert it holds on each save.
   */
  private alerts: Alert[] = [];
  private head = 0;
  private readonly byId = new Map<string, Alert>();
  private readonly counters = new MemoryCounters();

  constructor(
    private readonly maxAlerts: number,
    private readonly deliveries: MemoryDeliveryQueue,
  ) {}

  save(alert: Alert, deliveries: readonly string[]): Promise<void> {
    if (this.byId.has(alert.id)) return Promise.resolve();
    this.deliveries.enqueue(alert, deliveries);
    const at = this.insertionIndex(alert.id);
    if (at === this.alerts.length) this.alerts.push(alert);
    else this.alerts.splice(at, 0, alert);
    this.byId.set(alert.id, alert);
    this.counters.apply([alert], 1);
    if (this.alerts.length - this.head > this.maxAlerts)
      this.removeOldest(this.alerts.length - this.head - this.maxAlerts);
    return Promise.resolve();
  }

  get(id: string): Promise<Alert | undefined> {
    return Promise.resolve(this.byId.get(id));
  }

  query({ filter, limit, cursor }: AlertQuery): Promise<AlertPage> {
    // One match beyond the page tells whether a next page exists.
    const found: Alert[] = [];
    const start = Math.min(
      cursor === undefined ? this.alerts.length : this.insertionIndex(cursor),
      filter.until === undefined ? this.alerts.length : this.insertionIndex(idFloor(filter.until)),
    );
    const stop = filter.since === undefined ? this.head : this.insertionIndex(idFloor(filter.since));
    for (let i = start - 1; i >= stop && found.length <= limit; i--) {
      const alert = this.alerts[i]!;
      if (matchesFilter(alert, filter)) found.push(alert);
    }
    const alerts = found.slice(0, limit);
    return Promise.resolve({
      alerts,
      nextCursor: found.length > limit ? alerts[alerts.length - 1]!.id : null,
    });
  }

  trim(before: number, maxAlerts: number, batch: number): Promise<number> {
    const tooOld = this.insertionIndex(idFloor(before)) - this.head;
    const tooMany = Math.max(0, this.alerts.length - this.head - maxAlerts);
    return Promise.resolve(this.removeOldest(Math.min(batch, Math.max(tooOld, tooMany))));
  }

  stats(filter: AlertFilter, bucketMs: number, topN: number): Promise<AlertStats | undefined> {
    return statsFromCounters(this.counters, filter, bucketMs, topN);
  }

  health(): Promise<StoreHealth> {
    return Promise.resolve({ kind: 'memory', ok: true, persistent: false });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Removes the `count` oldest alerts; returns how many. */
  private removeOldest(count: number): number {
    if (count <= 0) return 0;
    const removed = this.alerts.slice(this.head, this.head + count);
    this.head += removed.length;
    // The dead front (which still holds its alerts) goes once it is an eighth of what is stored: a save moves eight
    // alerts on average instead of all of them, and the removed alerts are held a little longer.
    if (this.head >= 1_024 && this.head * 8 >= this.alerts.length - this.head) {
      this.alerts = this.alerts.slice(this.head);
      this.head = 0;
    }
    for (const alert of removed) this.byId.delete(alert.id);
    this.counters.apply(removed, -1);
    return removed.length;
  }

  /** First index (from `head`) whose id is >= `id`. */
  private insertionIndex(id: string): number {
    let lo = this.head;
    let hi = this.alerts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.alerts[mid]!.id < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The counters in a map of buckets, each a map of field → count; empty fields and buckets are dropped. */
class MemoryCounters implements CounterReader {
  private readonly buckets = new Map<string, Map<string, number>>();

  apply(alerts: readonly Alert[], sign: 1 | -1): void {
    const delta: CounterDelta = new Map();
    for (const alert of alerts) countAlert(delta, alert, sign);
    for (const [bucket, changes] of delta) {
      let counts = this.buckets.get(bucket);
      if (!counts) this.buckets.set(bucket, (counts = new Map<string, number>()));
      for (const [field, n] of changes) {
        const next = (counts.get(field) ?? 0) + n;
        if (next > 0) counts.set(field, next);
        else counts.delete(field);
      }
      if (counts.size === 0) this.buckets.delete(bucket);
    }
  }

  days(): Promise<number[]> {
    return Promise.resolve([...this.buckets.keys()].flatMap((b) => dayOf(b) ?? []));
  }

  read(requests: { bucket: string; fields?: readonly string[] }[]): Promise<Map<string, number>[]> {
    return Promise.resolve(
      requests.map(({ bucket, fields }) => {
        const counts = this.buckets.get(bucket) ?? new Map<string, number>();
        return fields ? new Map(fields.flatMap((f) => (counts.has(f) ? [[f, counts.get(f)!]] : []))) : counts;
      }),
    );
  }
}
