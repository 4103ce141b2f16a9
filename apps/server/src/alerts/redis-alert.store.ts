/**
 * Alerts in plain Redis (no modules), compact and bounded:
 * - each alert is one compressed string (`alert-codec.ts`);
 * - the log and every facet value's index are cut into one string per minute of event time holding the ids of that
 *   minute's alerts, 16 bytes each, appended (a few bytes per entry instead of a sorted-set node's ~110);
 * - the overview counters (`alert-counters.ts`) per day, hour and minute double as the directory of those slots:
 *   a query walks the buckets newest first, skips every bucket where some filtered facet counts 0, and in the
 *   others reads the slots of the facet with the fewest alerts (the union of its values), sorts their ids and checks
 *   the alerts with `matchesFilter`. A request examines at most MAX_EXAMINED alerts and says so when it stops early.
 * An alert, its slot entries, its counts and its delivery jobs are written in one script call.
 */
import {
  FACETS,
  facetValues,
  matchesFilter,
  PRIORITIES,
  type Alert,
  type AlertFilter,
  type AlertQuery,
  type Facet,
} from '@harrier/alert';
import type { Redis } from 'ioredis';
import { encodeJob } from '../outputs/delivery/redis-delivery.queue.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import { RedisScript } from '../redis/redis-script.js';
import { decodeAlert, documentJson, ID_BYTES, idBytes, readIdBytes, readIds, writeIdBytes } from './alert-codec.js';
import {
  countAlert,
  DAY_MS,
  dayOf,
  facetParts,
  type FacetPart,
  HOUR_MS,
  MINUTE_MS,
  minutesBucket,
  statsFromCounters,
  type CounterDelta,
  type CounterReader,
} from './alert-counters.js';
import { idFloor, idTimeMs } from './alert-id.js';
import { DocumentEncoder } from './document-encoder.js';
import type { AlertStats } from './alert-stats.js';
import { StoreUnavailableError, type AlertPage, type AlertStore, type StoreHealth } from './alert.store.js';

const HEALTH_TIMEOUT_MS = 1_000;
/** The most alerts one query reads before answering with what it has (`partial`). */
export const MAX_EXAMINED = 5_000;
/** The most index entries one query reads (a rare combination of common values intersects large slots). */
export const MAX_SLOT_IDS = 500_000;
const ALL_PRIORITIES = PRIORITIES.map((_, i) => String(i));
/** Another filtered facet's slots are read and intersected when they hold at most this many times the driver's. */
const INTERSECT_FACTOR = 8;
const SLOTS_PER_MGET = 256;
/** How many of the alerts it saved last a replica keeps in memory for its output workers (a few MB). */
const RECENT_ALERTS = 5_000;

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

/**
 * One group commit as one script call: the alert documents, the slot appends, the counter increments and the
 * delivery jobs. One command instead of several per alert saves the client most of its per-command work, and the
 * shebang makes Redis refuse the whole call up front when it is out of memory, so a commit is not half written.
 * KEYS[1] is the day directory, then the documents' keys, the slots, the counter hashes and the delivery streams;
 * ARGV[1..4] count those four groups, then come the documents, each slot's bytes to append, per counter hash its
 * number of fields, its day number (or '') and field/amount pairs, then per job its stream's number and payload.
 */
const WRITE_BATCH = new RedisScript(`#!lua
local docs, slots, counters, streams = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local k, a = 2, 5
for i = 1, docs do redis.call('SET', KEYS[k], ARGV[a]); k = k + 1; a = a + 1 end
for i = 1, slots do redis.call('APPEND', KEYS[k], ARGV[a]); k = k + 1; a = a + 1 end
for c = 1, counters do
  local n, day = tonumber(ARGV[a]), ARGV[a + 1]
  a = a + 2
  for i = 1, n do
    redis.call('HINCRBY', KEYS[k], ARGV[a], ARGV[a + 1])
    a = a + 2
  end
  if day ~= '' then redis.call('ZADD', KEYS[1], day, day) end
  k = k + 1
end
while a < #ARGV do
  redis.call('XADD', KEYS[k + tonumber(ARGV[a])], '*', 'j', ARGV[a + 1])
  a = a + 2
end
return 0
`);

/** A hash as one JSON array of fields and values: parsing one string beats parsing thousands of replies (2×). */
const HGETALL_JSON = `return cjson.encode(redis.call('HGETALL', KEYS[1]))`;

/** Removes ids (ARGV[k]: concatenated 16-byte ids) from slot KEYS[k]; an emptied slot is deleted. */
const REMOVE_IDS = `
for k = 1, #KEYS do
  local s = redis.call('GET', KEYS[k])
  if s then
    local gone = {}
    local r = ARGV[k]
    for i = 1, #r, ${ID_BYTES} do gone[string.sub(r, i, i + ${ID_BYTES - 1})] = true end
    local kept = {}
    for i = 1, #s, ${ID_BYTES} do
      local id = string.sub(s, i, i + ${ID_BYTES - 1})
      if not gone[id] then kept[#kept + 1] = id end
    end
    if #kept == 0 then redis.call('DEL', KEYS[k]) else redis.call('SET', KEYS[k], table.concat(kept)) end
  end
end
return 0
`;

/** A way to read candidates for a bucket: the log, or the slots of one facet's (value, priority) parts. */
interface Driver {
  facet: Facet | undefined;
  parts: readonly FacetPart[];
}

export class RedisAlertStore implements AlertStore {
  private readonly keys: RedisKeys;
  private readonly encoder = new DocumentEncoder();
  /** The alerts this replica saved last, oldest first (`remember`). */
  private readonly recent = new Map<string, Alert>();
  private pending: {
    alert: Alert;
    deliveries: readonly string[];
    resolve: () => void;
    reject: (e: unknown) => void;
  }[] = [];

  constructor(
    private readonly redis: Redis,
    keys: RedisKeys,
    /** The most index entries one query reads before answering `partial` (MAX_SLOT_IDS; lower in tests). */
    private readonly maxSlotIds = MAX_SLOT_IDS,
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
    const jsons: string[] = [];
    const documentKeys: string[] = [];
    // Slot appends of the whole batch are gathered per key: one APPEND per slot.
    const appends = new Map<string, Buffer[]>();
    const append = (key: string, id: Buffer) => {
      const list = appends.get(key);
      if (list) list.push(id);
      else appends.set(key, [id]);
    };
    // The batch's counts are summed first, so a burst in one minute costs one increment per field, not one per alert.
    const delta: CounterDelta = new Map();
    const streams = new Map<string, number>();
    const jobs: (string | number)[] = [];
    for (const { alert, deliveries } of batch) {
      documentKeys.push(this.keys.alert(alert.id));
      jsons.push(documentJson(alert));
      const id = idBytes(alert.id);
      const minute = Math.floor(idTimeMs(alert.id) / MINUTE_MS);
      const priority = String(PRIORITIES.indexOf(alert.priority));
      append(this.keys.logSlot(minute), id);
      for (const facet of FACETS) {
        for (const value of new Set(facetValues(alert, facet))) {
          append(this.keys.indexSlot(facet, value, priority, minute), id);
        }
      }
      countAlert(delta, alert, 1);
      if (deliveries.length === 0) continue;
      const job = encodeJob({ alertId: alert.id, attempts: 0, queuedAt: Date.now() });
      for (const output of deliveries) {
        const stream = this.keys.delivery(output).stream;
        let index = streams.get(stream);
        if (index === undefined) streams.set(stream, (index = streams.size));
        jobs.push(index, job);
      }
    }
    const counters = [...delta.entries()];
    const documents = await this.encoder.encode(jsons);
    const write = () =>
      WRITE_BATCH.run(
        this.redis,
        [
          this.keys.counterDays,
          ...documentKeys,
          ...appends.keys(),
          ...counters.map(([bucket]) => this.keys.counter(bucket)),
          ...streams.keys(),
        ],
        [
          documentKeys.length,
          appends.size,
          counters.length,
          streams.size,
          ...documents,
          ...[...appends.values()].map((ids) => (ids.length === 1 ? ids[0]! : Buffer.concat(ids))),
          ...counters.flatMap(([bucket, changes]) => [changes.size, dayOf(bucket) ?? '', ...[...changes].flat()]),
          ...jobs,
        ],
      );
    try {
      await this.run(write);
      for (const { alert } of batch) this.remember(alert);
      for (const { resolve } of batch) resolve();
    } catch (error) {
      // A refused script wrote nothing (out of memory) or, rarely, part (a command failing midway): either way
      // every caller hears of the failure, and a retried alert gets a fresh id.
      for (const { reject } of batch) reject(error);
    }
  }

  async get(id: string): Promise<Alert | undefined> {
    return (await this.getMany([id]))[0];
  }

  /** The alerts of these ids, undefined where none is stored: the recently saved from memory, the others read. */
  async getMany(ids: readonly string[]): Promise<(Alert | undefined)[]> {
    const found = ids.map((id) => this.recent.get(id));
    const missing = ids.flatMap((id, i) => (found[i] ? [] : [i]));
    if (missing.length === 0) return found;
    const stored = await this.run(() => this.redis.mgetBuffer(...missing.map((i) => this.keys.alert(ids[i]!))));
    missing.forEach((i, j) => {
      const doc = stored[j];
      found[i] = doc ? decodeAlert(ids[i]!, doc) : undefined;
    });
    return found;
  }

  /**
   * Keeps a saved alert at hand for a while: this replica's output workers read most delivery jobs moments after
   * the alert was written, and need not read it back.
   */
  private remember(alert: Alert): void {
    this.recent.set(alert.id, alert);
    if (this.recent.size < RECENT_ALERTS + 1_000) return;
    // The oldest thousand go at once: one walk of the map's order instead of one per save.
    let excess = this.recent.size - RECENT_ALERTS;
    for (const id of this.recent.keys()) {
      if (excess-- <= 0) break;
      this.recent.delete(id);
    }
  }

  async query({ filter, limit, cursor }: AlertQuery): Promise<AlertPage> {
    const lower = filter.since === undefined ? undefined : idFloor(filter.since);
    const upper = [cursor, filter.until === undefined ? undefined : idFloor(filter.until)]
      .filter((b): b is string => b !== undefined)
      .sort()[0];
    const found: Alert[] = [];
    let examined = 0;
    let lastExamined: string | undefined;
    // One match beyond the page tells whether a next page exists.
    const need = () => limit + 1 - found.length;
    // Alerts are read in chunks sized by how many of those read so far matched.
    const chunkSize = () => {
      const rate = examined === 0 ? 1 : Math.max(found.length / examined, 0.02);
      return Math.min(Math.ceil(need() / rate) + 10, 1_000, MAX_EXAMINED - examined);
    };
    search: for await (const ids of this.candidates(filter, lower, upper, need)) {
      if (typeof ids === 'string') {
        // Bounded: the index entries read reached maxSlotIds; every minute from `ids` up has been searched.
        return { alerts: found, nextCursor: ids, partial: true };
      }
      for (let i = 0; i < ids.length;) {
        const chunk = ids.slice(i, i + chunkSize()).map((key) => readIdBytes(Buffer.from(key, 'latin1'), 0));
        i += chunk.length;
        const docs = await this.run(() => this.redis.mgetBuffer(...chunk.map((id) => this.keys.alert(id))));
        for (let j = 0; j < docs.length; j++) {
          examined++;
          lastExamined = chunk[j]!;
          const stored = docs[j];
          const alert = stored ? decodeAlert(chunk[j]!, stored) : undefined;
          if (alert && matchesFilter(alert, filter)) found.push(alert);
          if (need() === 0) break search;
        }
        if (examined >= MAX_EXAMINED) {
          // Bounded: answer with what was found; the cursor continues after the last alert examined.
          return { alerts: found, nextCursor: lastExamined!, partial: true };
        }
      }
    }
    const alerts = found.slice(0, limit);
    return { alerts, nextCursor: found.length > limit ? alerts[alerts.length - 1]!.id : null };
  }

  /**
   * Candidate ids, newest first, in batches: walks days, hours and minutes through the counters (skipping buckets
   * where any filtered facet counts 0) and reads the slots of the cheapest driver, intersected with other facets'
   * slots when those are small. `need()` sizes the batches.
   */
  private async *candidates(
    filter: AlertFilter,
    lower: string | undefined,
    upper: string | undefined,
    need: () => number,
  ): AsyncGenerator<string[] | string> {
    const priorities = filter.priority ? filter.priority.map((p) => String(PRIORITIES.indexOf(p))) : ALL_PRIORITIES;
    // Index slots are split by priority, so a facet's slots among the filtered priorities are exactly its matches.
    const facets = FACETS.flatMap((facet) => {
      const values = filter[facet];
      return values === undefined ? [] : [{ facet, parts: facetParts(facet, values, priorities) }];
    });
    const fields = [...new Set([...ALL_PRIORITIES, ...facets.flatMap((f) => f.parts.map((p) => p.field))])];
    const fromMs = lower === undefined ? -Infinity : idTimeMs(lower);
    const toMs = upper === undefined ? Infinity : idTimeMs(upper);

    /**
     * Per bucket: the drivers to read (the facet with the fewest candidates, then the other facets at most
     * INTERSECT_FACTOR times larger, each with only its parts present there; the log when nothing is filtered by
     * facet) and the most alerts that can match; undefined when nothing there can match.
     */
    const plan = async (buckets: string[]) => {
      const counts = await this.readCounters(buckets, fields);
      return counts.map((values) => {
        const sum = (list: readonly string[]) => list.reduce((total, f) => total + (values.get(f) ?? 0), 0);
        const matches = sum(priorities);
        if (matches === 0) return undefined;
        if (facets.length === 0) return { drivers: [{ facet: undefined, parts: [] }], count: matches };
        const costed = facets.map(({ facet, parts }) => {
          const present = parts.filter((p) => (values.get(p.field) ?? 0) > 0);
          return { driver: { facet, parts: present }, size: sum(present.map((p) => p.field)) };
        });
        if (costed.some((c) => c.size === 0)) return undefined;
        costed.sort((a, b) => a.size - b.size);
        const best = costed[0]!;
        const partners = costed.slice(1).filter((c) => c.size <= best.size * INTERSECT_FACTOR);
        return { drivers: [best.driver, ...partners.map((c) => c.driver)], count: Math.min(best.size, matches) };
      });
    };

    /** Candidates the drivers' counts promised, and how many the bounds and intersections left. */
    const kept = { expected: 0, ids: 0, read: 0 };
    const survival = () => (kept.expected === 0 ? 1 : Math.max(kept.ids / kept.expected, 0.01));
    const days = (await this.days()).filter((d) => (d + 1) * DAY_MS > fromMs && d * DAY_MS <= toMs).reverse();
    const dayPlans = await plan(days.map((d) => `d${d}`));
    for (const [i, day] of days.entries()) {
      if (!dayPlans[i]) continue;
      const hours = range(day * 24, day * 24 + 23, fromMs, toMs, HOUR_MS);
      const hourPlans = await plan(hours.map((h) => `h${h}`));
      // Read several sparse hours' minute slots at once, enough for what the page still needs.
      let pending: { hour: number; drivers: Driver[]; count: number }[] = [];
      let expected = 0;
      const flush = async function* (this: RedisAlertStore): AsyncGenerator<string[] | string> {
        // The hours' alerts per minute (of the filtered priorities) skip empty minutes and spread each hour's
        // driver count over the rest.
        const perMinute = await this.counterReader.read(pending.map(({ hour }) => ({ bucket: minutesBucket(hour) })));
        const minutes = pending.flatMap(({ hour, drivers, count }, i) => {
          const totals = new Map<number, number>();
          for (const [field, n] of perMinute[i]!) {
            const [minute, priority] = field.split(':');
            if (priorities.includes(priority!)) totals.set(Number(minute), (totals.get(Number(minute)) ?? 0) + n);
          }
          const sum = [...totals.values()].reduce((a, b) => a + b, 0);
          return range(hour * 60, hour * 60 + 59, fromMs, toMs, MINUTE_MS)
            .filter((minute) => (totals.get(minute - hour * 60) ?? 0) > 0)
            .map((minute) => ({ minute, drivers, expected: (count * totals.get(minute - hour * 60)!) / sum }));
        });
        pending = [];
        expected = 0;
        // Newest minutes first, as many at once as should hold what the page still needs (twice over), judged by
        // the driver's counts and by how many of them survived the bounds and intersections so far.
        for (let at = 0; at < minutes.length;) {
          let end = at;
          const target = Math.max(need() * 2, 20) / survival();
          let sum = 0;
          while (end < minutes.length && (end === at || sum < target)) sum += minutes[end++]!.expected;
          const { ids, read } = await this.slotIds(minutes.slice(at, end), lower, upper);
          kept.expected += sum;
          kept.ids += ids.length;
          kept.read += read;
          at = end;
          if (ids.length > 0) yield ids;
          if (need() <= 0) return;
          if (kept.read >= this.maxSlotIds) {
            yield idFloor(minutes[end - 1]!.minute * MINUTE_MS);
            return;
          }
        }
      };
      for (const [j, hour] of hours.entries()) {
        const hourPlan = hourPlans[j];
        if (!hourPlan) continue;
        pending.push({ hour, ...hourPlan });
        expected += hourPlan.count;
        // Hours are gathered until they should hold what the page needs, discounted by how many candidates the
        // bounds and intersections have let through so far.
        if (expected * survival() >= need() * 2) {
          yield* flush.call(this);
          if (need() <= 0) return;
        }
      }
      if (pending.length > 0) yield* flush.call(this);
      if (need() <= 0) return;
    }
  }

  /**
   * The ids in the given minutes' slots (a union per driver, intersected across drivers), in bounds, newest first,
   * as 16-character latin1 strings of their bytes: they sort and compare like the ids, and cost no decoding until
   * their alerts are read.
   */
  private async slotIds(
    minutes: { minute: number; drivers: Driver[] }[],
    lower: string | undefined,
    upper: string | undefined,
  ): Promise<{ ids: string[]; read: number }> {
    const keys: string[] = [];
    for (const { minute, drivers } of minutes) {
      for (const { facet, parts } of drivers) {
        if (facet === undefined) keys.push(this.keys.logSlot(minute));
        else for (const p of parts) keys.push(this.keys.indexSlot(facet, p.value, p.priority, minute));
      }
    }
    // A sparse walk reads thousands of mostly missing slots: MGETs of a few hundred, not one GET each.
    const pipeline = this.redis.pipeline();
    for (let at = 0; at < keys.length; at += SLOTS_PER_MGET)
      pipeline.mgetBuffer(...keys.slice(at, at + SLOTS_PER_MGET));
    const results = ((await this.run(() => pipeline.exec())) ?? []).flatMap(([error, value]) => {
      if (error) throw new StoreUnavailableError(`Redis: ${error.message}`);
      return value as (Buffer | null)[];
    });
    let next = 0;
    let read = 0;
    const slot = (): Buffer | null => {
      const value = results[next++] ?? null;
      if (value) read += value.length / ID_BYTES;
      return value;
    };
    const min = lower === undefined ? undefined : idBytes(lower).toString('latin1');
    const max = upper === undefined ? undefined : idBytes(upper).toString('latin1');
    const ids: string[] = [];
    for (const { drivers } of minutes) {
      let kept: Set<string> | undefined;
      for (const { facet, parts } of drivers) {
        const union = new Set<string>();
        for (let v = 0; v < (facet === undefined ? 1 : parts.length); v++) {
          const entries = slot();
          if (!entries) continue;
          for (let at = 0; at + ID_BYTES <= entries.length; at += ID_BYTES) {
            const id = entries.toString('latin1', at, at + ID_BYTES);
            if ((min === undefined || id >= min) && (max === undefined || id < max) && (!kept || kept.has(id)))
              union.add(id);
          }
        }
        kept = union;
      }
      for (const id of kept!) ids.push(id);
    }
    return { ids: ids.sort().reverse(), read };
  }

  async trim(before: number, maxAlerts: number, batch: number, owner: string): Promise<number> {
    // One replica at a time: the lock expires by itself if its holder dies.
    const lock = await this.run(() => this.redis.set(this.keys.retentionLock, owner, 'PX', 30_000, 'NX'));
    if (lock === null && (await this.run(() => this.redis.get(this.keys.retentionLock))) !== owner) return 0;
    await this.run(() => this.redis.pexpire(this.keys.retentionLock, 30_000));
    const days = await this.days();
    const dayTotals = await this.readCounters(
      days.map((d) => `d${d}`),
      ALL_PRIORITIES,
    );
    const total = dayTotals.reduce((sum, counts) => sum + [...counts.values()].reduce((a, b) => a + b, 0), 0);
    let overCap = Math.max(0, total - maxAlerts);
    const floor = idFloor(before);
    const ids: string[] = [];
    // Oldest minutes first, found through the counters, until the batch is full or an alert must stay.
    collect: for (const day of days) {
      const hours = range(day * 24, day * 24 + 23, -Infinity, Infinity, HOUR_MS).reverse();
      for (const hour of await this.nonEmpty(hours, 'h')) {
        const minutes = range(hour * 60, hour * 60 + 59, -Infinity, Infinity, MINUTE_MS).reverse();
        for (const minute of await this.nonEmpty(minutes, 'm')) {
          const slot = await this.run(() => this.redis.getBuffer(this.keys.logSlot(minute)));
          for (const id of slot ? readIds(slot).sort() : []) {
            if (overCap <= 0 && id >= floor) break collect;
            ids.push(id);
            overCap--;
            if (ids.length >= batch) break collect;
          }
        }
      }
    }
    if (ids.length === 0) return 0;
    for (const id of ids) this.recent.delete(id);
    const docs = await this.run(() => this.redis.mgetBuffer(...ids.map((id) => this.keys.alert(id))));
    const removals = new Map<string, Buffer[]>();
    const remove = (key: string, id: Buffer) => {
      const list = removals.get(key);
      if (list) list.push(id);
      else removals.set(key, [id]);
    };
    const delta: CounterDelta = new Map();
    ids.forEach((id, i) => {
      const bytes = Buffer.allocUnsafe(ID_BYTES);
      writeIdBytes(id, bytes, 0);
      const minute = Math.floor(idTimeMs(id) / MINUTE_MS);
      remove(this.keys.logSlot(minute), bytes);
      const stored = docs[i];
      const alert = stored ? decodeAlert(id, stored) : undefined;
      if (!alert) return;
      const priority = String(PRIORITIES.indexOf(alert.priority));
      for (const facet of FACETS) {
        for (const value of new Set(facetValues(alert, facet))) {
          remove(this.keys.indexSlot(facet, value, priority, minute), bytes);
        }
      }
      countAlert(delta, alert, 1); // amounts to subtract
    });
    const tx = this.redis.multi().del(...ids.map((id) => this.keys.alert(id)));
    const slots = [...removals.entries()];
    tx.eval(REMOVE_IDS, slots.length, ...slots.map(([key]) => key), ...slots.map(([, list]) => Buffer.concat(list)));
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
    await this.encoder.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private readonly counterReader: CounterReader = {
    days: () => this.days(),
    read: async (requests) => {
      const pipeline = this.redis.pipeline();
      for (const { bucket, fields } of requests) {
        if (fields) pipeline.hmget(this.keys.counter(bucket), ...fields);
        else pipeline.eval(HGETALL_JSON, 1, this.keys.counter(bucket));
      }
      const results = (await this.run(() => pipeline.exec())) ?? [];
      return results.map(([error, value], i) => {
        if (error) throw new StoreUnavailableError(`Redis: ${error.message}`);
        const fields = requests[i]!.fields;
        if (fields) {
          const values = value as (string | null)[];
          return new Map(fields.flatMap((f, j) => (values[j] === null ? [] : [[f, Number(values[j])]])));
        }
        const parsed = JSON.parse(value as string) as unknown;
        // An empty hash encodes as {} (Lua cannot tell an empty array from an empty table).
        const flat = Array.isArray(parsed) ? (parsed as string[]) : [];
        const counts = new Map<string, number>();
        for (let j = 0; j + 1 < flat.length; j += 2) counts.set(flat[j]!, Number(flat[j + 1]));
        return counts;
      });
    },
  };

  /** The days that have counters, oldest first. */
  private async days(): Promise<number[]> {
    return (await this.run(() => this.redis.zrange(this.keys.counterDays, '0', '-1'))).map(Number);
  }

  private async readCounters(buckets: string[], fields: readonly string[]): Promise<Map<string, number>[]> {
    if (buckets.length === 0 || fields.length === 0) return buckets.map(() => new Map());
    return this.counterReader.read(buckets.map((bucket) => ({ bucket, fields })));
  }

  /** Those of the buckets (hours `h` or minutes `m`) that hold alerts, in the given order. */
  private async nonEmpty(buckets: number[], letter: 'h' | 'm'): Promise<number[]> {
    const counts = await this.readCounters(
      buckets.map((b) => letter + String(b)),
      ALL_PRIORITIES,
    );
    return buckets.filter((_, i) => counts[i]!.size > 0);
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new StoreUnavailableError(`Redis: ${(error as Error).message}`);
    }
  }
}

/** Bucket numbers first..last (of `size` ms) that overlap [fromMs, toMs], newest first. */
function range(first: number, last: number, fromMs: number, toMs: number, size: number): number[] {
  const out: number[] = [];
  for (let b = last; b >= first; b--) if ((b + 1) * size > fromMs && b * size <= toMs) out.push(b);
  return out;
}
