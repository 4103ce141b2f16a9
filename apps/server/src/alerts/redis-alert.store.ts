/**
 * Alerts in plain Redis (no modules): one JSON string per alert, a lexicographic sorted set of all ids,
 * and one such set per facet value. The alert and its index entries are written in one MULTI.
 * Queries walk the smallest matching index newest-first and check the remaining facets on the alerts.
 */
import {
  FACETS,
  facetValues,
  matchesFilter,
  type Alert,
  type AlertFilter,
  type AlertQuery,
  type Facet,
} from '@harrier/alert';
import type { Redis } from 'ioredis';
import { encodeJob } from '../outputs/delivery/redis-delivery.queue.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import { countAlert, dayOf, statsFromCounters, type CounterDelta, type CounterReader } from './alert-counters.js';
import { idFloor } from './alert-id.js';
import type { AlertStats } from './alert-stats.js';
import { StoreUnavailableError, type AlertPage, type AlertStore, type StoreHealth } from './alert.store.js';

const HEALTH_TIMEOUT_MS = 1_000;

/**
 * Subtracts trimmed alerts' counts. KEYS[1] is the day directory, then one counter hash per bucket; ARGV holds per
 * bucket: its number of fields, its day number (or ''), then field/amount pairs. Fields reaching 0 are deleted, and
 * a day whose hash is gone leaves the directory, so the counters shrink with the alerts.
 */
const SUBTRACT_COUNTS = `
local a = 1
for k = 2, #KEYS do
  local n = tonumber(ARGV[a])
  local day = ARGV[a + 1]
  a = a + 2
  for i = 1, n do
    if redis.call('HINCRBY', KEYS[k], ARGV[a], -tonumber(ARGV[a + 1])) <= 0 then
      redis.call('HDEL', KEYS[k], ARGV[a])
    end
    a = a + 2
  end
  if day ~= '' and redis.call('EXISTS', KEYS[k]) == 0 then redis.call('ZREM', KEYS[1], day) end
end
return 0
`;

export class RedisAlertStore implements AlertStore {
  private readonly keys: RedisKeys;
  private pending: {
    alert: Alert;
    deliveries: readonly string[];
    resolve: () => void;
    reject: (e: unknown) => void;
  }[] = [];

  constructor(
    private readonly redis: Redis,
    keys: RedisKeys,
  ) {
    this.keys = keys;
  }

  /**
   * Alerts saved in the same turn of the event loop share one MULTI (group commit): one write and one round
   * trip for a burst instead of one each. Each caller still resolves only once its own alert is written.
   */
  save(alert: Alert, deliveries: readonly string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ alert, deliveries, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => void this.commit());
    });
  }

  private async commit(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const tx = this.redis.multi();
    const ranges: [start: number, end: number][] = [];
    let count = 0;
    for (const { alert, deliveries } of batch) {
      const start = count;
      tx.set(this.keys.alert(alert.id), JSON.stringify(alert)).zadd(this.keys.log, 0, alert.id);
      count += 2;
      for (const facet of FACETS) {
        for (const value of facetValues(alert, facet)) {
          tx.zadd(this.keys.index(facet, value), 0, alert.id);
          count++;
        }
      }
      const job = encodeJob({ alert, attempts: 0, queuedAt: Date.now() });
      for (const output of deliveries) {
        tx.xadd(this.keys.delivery(output).stream, '*', 'j', job);
        count++;
      }
      ranges.push([start, count]);
    }
    // The batch's counts, summed first: a burst in one minute costs one HINCRBY per field, not one per alert.
    const delta: CounterDelta = new Map();
    for (const { alert } of batch) countAlert(delta, alert, 1);
    for (const [bucket, changes] of delta) {
      const key = this.keys.counter(bucket);
      for (const [field, n] of changes) tx.hincrby(key, field, n);
      const day = dayOf(bucket);
      if (day !== undefined) tx.zadd(this.keys.counterDays, day, String(day));
    }
    try {
      const results = await this.run(() => tx.exec());
      if (!results) throw new StoreUnavailableError('Redis: transaction aborted; alerts not written');
      batch.forEach(({ resolve, reject }, i) => {
        const [start, end] = ranges[i]!;
        const failed = results.slice(start, end).find(([error]) => error !== null);
        if (failed) reject(new StoreUnavailableError(`Redis: alert not written (${failed[0]!.message})`));
        else resolve();
      });
    } catch (error) {
      for (const { reject } of batch) reject(error);
    }
  }

  async get(id: string): Promise<Alert | undefined> {
    const json = await this.run(() => this.redis.get(this.keys.alert(id)));
    return json === null ? undefined : (JSON.parse(json) as Alert);
  }

  async query({ filter, limit, cursor }: AlertQuery): Promise<AlertPage> {
    const driver = await this.drivingIndex(filter);
    const min = filter.since === undefined ? '-' : `[${idFloor(filter.since)}`;
    let max = upperBound(cursor, filter.until);
    const batch = Math.min(Math.max(limit * 2, 100), 1_000);
    // One match beyond the page tells whether a next page exists.
    const found: Alert[] = [];
    while (found.length <= limit) {
      const ids = await this.run(() => this.redis.zrevrangebylex(driver, max, min, 'LIMIT', 0, batch));
      if (ids.length === 0) break;
      const docs = await this.run(() => this.redis.mget(ids.map((id) => this.keys.alert(id))));
      for (const json of docs) {
        if (json === null) continue;
        const alert = JSON.parse(json) as Alert;
        if (matchesFilter(alert, filter)) found.push(alert);
        if (found.length > limit) break;
      }
      if (ids.length < batch) break;
      max = `(${ids[ids.length - 1]!}`;
    }
    const alerts = found.slice(0, limit);
    return { alerts, nextCursor: found.length > limit ? alerts[alerts.length - 1]!.id : null };
  }

  async trim(before: number, maxAlerts: number, batch: number, owner: string): Promise<number> {
    // One replica at a time: the lock expires by itself if its holder dies.
    const lock = await this.run(() => this.redis.set(this.keys.retentionLock, owner, 'PX', 30_000, 'NX'));
    if (lock === null && (await this.run(() => this.redis.get(this.keys.retentionLock))) !== owner) return 0;
    await this.run(() => this.redis.pexpire(this.keys.retentionLock, 30_000));
    const total = await this.run(() => this.redis.zcard(this.keys.log));
    const overCap = Math.max(0, total - maxAlerts);
    const oldest = await this.run(() => this.redis.zrangebylex(this.keys.log, '-', '+', 'LIMIT', 0, batch));
    const floor = idFloor(before);
    const ids = oldest.filter((id, i) => i < overCap || id < floor);
    if (ids.length === 0) return 0;
    const docs = await this.run(() => this.redis.mget(ids.map((id) => this.keys.alert(id))));
    const tx = this.redis
      .multi()
      .zrem(this.keys.log, ...ids)
      .del(...ids.map((id) => this.keys.alert(id)));
    const delta: CounterDelta = new Map();
    docs.forEach((json, i) => {
      if (json === null) return;
      const alert = JSON.parse(json) as Alert;
      for (const facet of FACETS) {
        for (const value of facetValues(alert, facet)) tx.zrem(this.keys.index(facet, value), ids[i]!);
      }
      countAlert(delta, alert, 1); // amounts to subtract
    });
    if (delta.size > 0) {
      const buckets = [...delta.entries()];
      const args = buckets.flatMap(([bucket, changes]) => [changes.size, dayOf(bucket) ?? '', ...[...changes].flat()]);
      tx.eval(
        SUBTRACT_COUNTS,
        buckets.length + 1,
        this.keys.counterDays,
        ...buckets.map(([b]) => this.keys.counter(b)),
        ...args,
      );
    }
    await this.run(() => tx.exec());
    return ids.length;
  }

  stats(filter: AlertFilter, bucketMs: number, topN: number): Promise<AlertStats | undefined> {
    return statsFromCounters(this.counterReader, filter, bucketMs, topN);
  }

  private readonly counterReader: CounterReader = {
    days: async () => (await this.run(() => this.redis.zrange(this.keys.counterDays, '0', '-1'))).map(Number),
    read: async (requests) => {
      const pipeline = this.redis.pipeline();
      for (const { bucket, fields } of requests) {
        if (fields) pipeline.hmget(this.keys.counter(bucket), ...fields);
        else pipeline.hgetall(this.keys.counter(bucket));
      }
      const results = (await this.run(() => pipeline.exec())) ?? [];
      return results.map(([error, value], i) => {
        if (error) throw new StoreUnavailableError(`Redis: ${error.message}`);
        const fields = requests[i]!.fields;
        if (fields) {
          const values = value as (string | null)[];
          return new Map(fields.flatMap((f, j) => (values[j] === null ? [] : [[f, Number(values[j])]])));
        }
        return new Map(Object.entries(value as Record<string, string>).map(([f, n]) => [f, Number(n)]));
      });
    },
  };

  async health(): Promise<StoreHealth> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.redis.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS);
        }),
      ]);
      return { kind: 'redis', ok: true, persistent: true };
    } catch (error) {
      return { kind: 'redis', ok: false, persistent: true, error: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** The single-valued facet with the fewest alerts, or the whole log. */
  private async drivingIndex(filter: AlertFilter): Promise<string> {
    const candidates = FACETS.flatMap((facet: Facet) => {
      const wanted = filter[facet];
      return wanted?.length === 1 ? [this.keys.index(facet, wanted[0]!)] : [];
    });
    if (candidates.length === 0) return this.keys.log;
    const pipeline = this.redis.pipeline();
    for (const key of candidates) pipeline.zcard(key);
    const counts = (await this.run(() => pipeline.exec())) ?? [];
    let best = candidates[0]!;
    let bestCount = Infinity;
    counts.forEach(([, count], i) => {
      if (typeof count === 'number' && count < bestCount) {
        bestCount = count;
        best = candidates[i]!;
      }
    });
    return best;
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new StoreUnavailableError(`Redis: ${(error as Error).message}`);
    }
  }
}

function upperBound(cursor: string | undefined, until: number | undefined): string {
  const bounds = [cursor, until === undefined ? undefined : idFloor(until)].filter((b): b is string => b !== undefined);
  return bounds.length === 0 ? '+' : `(${bounds.sort()[0]!}`;
}
