/**
 * Alerts in plain Redis (no modules), compact and bounded:
 * - each alert is one compressed string (`alert-codec.ts`);
 * - the log and every facet value's index are cut into one string per minute of event time holding the ids of that
 *   minute's alerts, 16 bytes each, appended (a few bytes per entry instead of a sorted-set node's ~110);
 * - the overview counters (`alert-counters.ts`) per day, hour and minute double as the directory of those slots:
 *   a query walks the buckets newest first and plans each filtered priority from them (`alert-query-plan.ts`):
 *   nothing where some filtered facet counts 0, else the slots of the facet with the fewest alerts (the union of
 *   its values), intersected with other facets' when those are small; it reads those, sorts their ids and checks
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
} from '@harrier/alert';
import type { Redis } from 'ioredis';
import { encodeJob } from '../outputs/delivery/redis-delivery.queue.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import { RedisScript } from '../redis/redis-script.js';
import {
  decodeAlert,
  encodeAlert,
  ID_BYTES,
  idBytes,
  readIdBytes,
  readIds,
  type DocumentFormat,
} from './alert-codec.js';
import {
  countAlert,
  DAY_MS,
  dayOf,
  HOUR_MS,
  MINUTE_MS,
  minutesBucket,
  statsFromCounters,
  type CounterDelta,
  type CounterReader,
} from './alert-counters.js';
import { planBucket, planMinutes, queryShape, type BucketPlan, type QueryShape } from './alert-query-plan.js';
import { idFloor, idMinute, idTimeMs } from './alert-id.js';
import type { AlertStats } from './alert-stats.js';
import { StoreUnavailableError, type AlertPage, type AlertStore, type StoreHealth } from './alert.store.js';

const HEALTH_TIMEOUT_MS = 1_000;
/** The most alerts one query reads before answering with what it has (`partial`). */
export const MAX_EXAMINED = 5_000;
/** The most index entries one query reads (a rare combination of common values intersects large slots). */
export const MAX_SLOT_IDS = 500_000;
const ALL_PRIORITIES = PRIORITIES.map((_, i) => String(i));
const SLOTS_PER_MGET = 256;
/** How many of the alerts it saved last a replica keeps in memory (a few MB; `remember`). */
const RECENT_ALERTS = 5_000;
/**
 * An hour holding at most this many index entries to read is read whole: cheaper than a round trip for its
 * per-minute counts to read only some of its minutes.
 */
const WHOLE_HOUR_ENTRIES = 2_000;

/**
 * Subtracts trimmed alerts' counts. KEYS[1] is the day directory, KEYS[2] the counter versions, then one counter
 * hash per bucket; ARGV holds per bucket: its number of fields, its day number (or ''), then field/amount pairs.
 * Fields reaching 0 are deleted, and a bucket whose hash is gone loses its version and, for a day, its place in the
 * directory, so the counters shrink with the alerts.
 */
const SUBTRACT_COUNTS = `
local a = 1
for k = 3, #KEYS do
  local n = tonumber(ARGV[a])
  local day = ARGV[a + 1]
  a = a + 2
  for i = 1, n do
    if redis.call('HINCRBY', KEYS[k], ARGV[a], -tonumber(ARGV[a + 1])) <= 0 then
      redis.call('HDEL', KEYS[k], ARGV[a])
    end
    a = a + 2
  end
  if redis.call('EXISTS', KEYS[k]) == 0 then
    redis.call('HDEL', KEYS[2], KEYS[k])
    if day ~= '' then redis.call('ZREM', KEYS[1], day) end
  else
    redis.call('HINCRBY', KEYS[2], KEYS[k], 1)
  end
end
return 0
`;

/**
 * One group commit as one script call: the alert documents, the slot appends, the counter increments and the
 * delivery jobs. One command instead of several per alert saves the client most of its per-command work, and the
 * shebang makes Redis refuse the whole call up front when it is out of memory, so a commit is not half written.
 * KEYS[1] is the day directory, KEYS[2] the counter versions, then the documents' keys, the slots, the counter
 * hashes and the delivery streams; ARGV[1..4] count those four groups, then come the documents, each slot's bytes to
 * append, per counter hash its number of fields, its day number (or '') and field/amount pairs, then per job its
 * stream's number and payload. Each counter hash written moves its version (`COUNTERS_IF_CHANGED`).
 */
const WRITE_BATCH = new RedisScript(`#!lua
local docs, slots, counters, streams = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local k, a = 3, 5
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
  redis.call('HINCRBY', KEYS[2], KEYS[k], 1)
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

/**
 * Whole counter hashes, except those the caller holds at their current version. KEYS[1] is the counter versions,
 * then the hashes; ARGV the version held of each ('' for none). Answers per hash `[version]` when the one held is
 * current, else `[version or '', its fields and values]`, all as one JSON string.
 */
const COUNTERS_IF_CHANGED = new RedisScript(`#!lua flags=no-writes
local out = {}
for i = 2, #KEYS do
  local version = redis.call('HGET', KEYS[1], KEYS[i]) or ''
  if version ~= '' and version == ARGV[i - 1] then
    out[i - 1] = { version }
  else
    out[i - 1] = { version, redis.call('HGETALL', KEYS[i]) }
  end
end
return cjson.encode(out)
`);
/** How many counter fields a replica keeps from the whole hashes it read (~20 MB: a day of hours of a busy cluster). */
const COUNTER_CACHE_FIELDS = 250_000;

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

export class RedisAlertStore implements AlertStore {
  private readonly keys: RedisKeys;
  private readonly maxSlotIds: number;
  private readonly documentFormat: DocumentFormat;
  /** The alerts this replica saved last, oldest first (`remember`). */
  private readonly lastSaved = new Map<string, Alert>();
  /** Whole counter hashes read lately, by key, with their version when read, oldest first (`wholeCounters`). */
  private readonly counterCache = new Map<string, { version: string; counts: Map<string, number> }>();
  private counterCacheFields = 0;
  /** The days with counters at the last query (a guess: each query reads the directory again). */
  private recentDays: number[] = [];
  /** The newest hour with alerts the last query saw (a guess, as recentDays). */
  private recentHour: number | undefined;
  private pending: {
    alert: Alert;
    deliveries: readonly string[];
    resolve: () => void;
    reject: (e: unknown) => void;
  }[] = [];

  constructor(
    private readonly redis: Redis,
    keys: RedisKeys,
    {
      maxSlotIds = MAX_SLOT_IDS,
      documentFormat = 'zstd',
    }: {
      /** The most index entries one query reads before answering `partial` (MAX_SLOT_IDS; lower in tests). */
      maxSlotIds?: number;
      /** How new alert documents are written (ALERT_DOCUMENT_FORMAT). */
      documentFormat?: DocumentFormat;
    } = {},
  ) {
    this.keys = keys;
    this.maxSlotIds = maxSlotIds;
    this.documentFormat = documentFormat;
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
    const documents: Buffer[] = [];
    const documentKeys: string[] = [];
    // Slot appends of the whole batch are gathered per key: one APPEND per slot.
    const appends = new Map<string, Buffer[]>();
    // The batch's counts are summed first, so a burst in one minute costs one increment per field, not one per alert.
    const delta: CounterDelta = new Map();
    const streams = new Map<string, number>();
    const jobs: (string | number)[] = [];
    for (const { alert, deliveries } of batch) {
      documentKeys.push(this.keys.alert(alert.id));
      documents.push(encodeAlert(alert, this.documentFormat));
      const id = idBytes(alert.id);
      for (const slot of this.slotsOf(alert)) addTo(appends, slot, id);
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
    const write = () =>
      WRITE_BATCH.run(
        this.redis,
        [
          this.keys.counterDays,
          this.keys.counterVersions,
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
          ...counterArgs(counters),
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

  /** The slots an alert's id goes in: the log's and each of its facet values', for its minute and priority. */
  private slotsOf(alert: Alert): string[] {
    const minute = idMinute(alert.id);
    const priority = String(PRIORITIES.indexOf(alert.priority));
    const slots = [this.keys.logSlot(minute)];
    for (const facet of FACETS) {
      for (const value of new Set(facetValues(alert, facet)))
        slots.push(this.keys.indexSlot(facet, value, priority, minute));
    }
    return slots;
  }

  async get(id: string): Promise<Alert | undefined> {
    return (await this.getMany([id]))[0];
  }

  /** The alerts of these ids, undefined where none is stored: the recently saved from memory, the others read. */
  async getMany(ids: readonly string[]): Promise<(Alert | undefined)[]> {
    const found = ids.map((id) => this.lastSaved.get(id));
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
   * the alert was written, and the dashboards' first pages are the newest alerts; neither need read them back.
   */
  private remember(alert: Alert): void {
    this.lastSaved.set(alert.id, alert);
    if (this.lastSaved.size < RECENT_ALERTS + 1_000) return;
    // The oldest thousand go at once: one walk of the map's order instead of one per save.
    let excess = this.lastSaved.size - RECENT_ALERTS;
    for (const id of this.lastSaved.keys()) {
      if (excess-- <= 0) break;
      this.lastSaved.delete(id);
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
    const shape = queryShape(filter);
    // Alerts are read in chunks sized by how many of those read so far matched, with a few extra unless every
    // candidate matches.
    const extra = shape.exact ? 0 : 10;
    const chunkSize = () => {
      const rate = examined === 0 ? 1 : Math.max(found.length / examined, 0.02);
      return Math.min(Math.ceil(need() / rate) + extra, 1_000, MAX_EXAMINED - examined);
    };
    const batches = this.candidates(shape, lower, upper, need);
    let ids: string[] = [];
    /** Where the index walk stopped early (the bound on index entries), else undefined. */
    let stoppedAt: string | undefined;
    let exhausted = false;
    try {
      while (need() > 0) {
        // Candidate batches are gathered until they fill a chunk: one MGET, not one per batch of slots.
        while (!exhausted && stoppedAt === undefined && ids.length < chunkSize()) {
          const next = await batches.next();
          if (next.done) exhausted = true;
          else if (typeof next.value === 'string') stoppedAt = next.value;
          else ids = ids.length === 0 ? next.value : ids.concat(next.value);
        }
        if (ids.length === 0) break;
        const keys = ids.slice(0, chunkSize());
        const bytes = Buffer.from(keys.join(''), 'latin1');
        const chunk = keys.map((_, i) => readIdBytes(bytes, i * ID_BYTES));
        ids = ids.slice(chunk.length);
        const alerts = await this.getMany(chunk);
        for (let j = 0; j < alerts.length && need() > 0; j++) {
          examined++;
          lastExamined = chunk[j]!;
          const alert = alerts[j];
          if (alert && matchesFilter(alert, filter)) found.push(alert);
        }
        if (need() > 0 && examined >= MAX_EXAMINED) {
          // Bounded: answer with what was found; the cursor continues after the last alert examined.
          return { alerts: found, nextCursor: lastExamined!, partial: true };
        }
      }
    } finally {
      await batches.return(undefined);
    }
    if (need() > 0 && stoppedAt !== undefined) {
      // Bounded: the index entries read reached maxSlotIds; every minute from `stoppedAt` up has been searched.
      return { alerts: found, nextCursor: stoppedAt, partial: true };
    }
    const alerts = found.slice(0, limit);
    return { alerts, nextCursor: found.length > limit ? alerts[alerts.length - 1]!.id : null };
  }

  /**
   * Candidate ids, newest first, in batches (or, when the index entries read reach maxSlotIds, the cursor below the
   * last minute read). Walks days and hours through their counters, planning each (`alert-query-plan.ts`) and
   * skipping those where nothing can match, and gathers hours until they should hold what the page still needs
   * (`need()`), judged by the plans' estimates and by how many of the estimated candidates the intersections and
   * bounds have let through so far.
   */
  private async *candidates(
    shape: QueryShape,
    lower: string | undefined,
    upper: string | undefined,
    need: () => number,
  ): AsyncGenerator<string[] | string> {
    const fromMs = lower === undefined ? -Infinity : idTimeMs(lower);
    const toMs = upper === undefined ? Infinity : idTimeMs(upper);
    const kept = { estimated: 0, ids: 0, read: 0 };
    const survival = () => (kept.estimated === 0 ? 1 : Math.max(kept.ids / kept.estimated, 0.01));
    // Exact counts need a tenth more than the page needs; estimates of intersections are guesses: twice over.
    const margin = shape.exact ? 1.1 : 2;
    /** The estimated matches the next read should cover: what the page still needs, with margin, by the survival. */
    const target = () => Math.max(need() * margin, 20) / survival();
    const hoursOf = (day: number) => range(day * 24, day * 24 + 23, fromMs, toMs, HOUR_MS);
    const minutesOf = (hour: number) => range(hour * 60, hour * 60 + 59, fromMs, toMs, MINUTE_MS);
    const plans = (buckets: number[], counts: Map<string, number>[]) =>
      buckets
        .map((n, i) => ({ n, plan: planBucket(shape, counts[i]!), counts: counts[i]! }))
        .filter((b) => b.plan !== undefined);

    const fields = [...shape.priorities, ...shape.partFields];
    const inRange = (d: number) => (d + 1) * DAY_MS > fromMs && d * DAY_MS <= toMs;
    // The counts of the days the last query saw, and the newest one's hours, are read with the day directory: a
    // first page usually ends there, two round trips sooner. A day not guessed costs one more. So are the per-minute
    // counts of the newest hour it saw with alerts: a first page of common values reads only some of its minutes.
    const guess = this.recentDays.filter(inRange);
    const newest = guess.at(-1);
    const recent = this.recentHour;
    // Of a day wholly in range, the hours after the next to the newest the last query saw with alerts are usually
    // still to come: they are left out, and the day's counts tell whether they hold any alerts after all.
    const wholeDay = newest !== undefined && newest * DAY_MS >= fromMs && (newest + 1) * DAY_MS <= toMs;
    const guessedHours =
      newest === undefined ? [] : hoursOf(newest).filter((h) => !wholeDay || recent === undefined || h <= recent + 1);
    const guessedSeries =
      recent !== undefined && (recent + 1) * HOUR_MS > fromMs && recent * HOUR_MS <= toMs ? [recent] : [];
    const directory = await this.directory(
      [...guess.map((d) => `d${d}`), ...guessedHours.map((h) => `h${h}`)],
      fields,
      guessedSeries,
    );
    this.recentDays = directory.days;
    const days = directory.days.filter(inRange).reverse();
    const unguessed = days.filter((d) => !directory.counts.has(`d${d}`));
    const unguessedCounts = await this.readCounters(
      unguessed.map((d) => `d${d}`),
      fields,
    );
    unguessed.forEach((d, i) => directory.counts.set(`d${d}`, unguessedCounts[i]!));
    const dayPlans = plans(
      days,
      days.map((d) => directory.counts.get(`d${d}`)!),
    );
    const hourPlans = new Map<number, BucketPlan>();
    const loaded = new Set<number>();
    if (newest !== undefined && days.includes(newest)) {
      const counts = guessedHours.map((h) => directory.counts.get(`h${h}`)!);
      const total = (c: Map<string, number>) => shape.priorities.reduce((sum, p) => sum + (c.get(p) ?? 0), 0);
      const complete =
        guessedHours.length === hoursOf(newest).length ||
        counts.reduce((sum, c) => sum + total(c), 0) === total(directory.counts.get(`d${newest}`)!);
      // Otherwise the day's hours are all read when the walk gets there.
      if (complete) {
        for (const h of plans(guessedHours, counts)) hourPlans.set(h.n, h.plan!);
        loaded.add(newest);
      }
      if (complete) this.noteNewestHour(guessedHours, counts);
    }

    const budget = () => this.maxSlotIds - kept.read;
    /**
     * Reads the minutes' planned slots (and `seriesOf`'s per-minute counts) and yields their ids, then the cursor below
     * them when the reads reached their bound; `over` when the page needs no more or the bound was reached.
     */
    const read = async function* (
      this: RedisAlertStore,
      minutes: { minute: number; plan: BucketPlan }[],
      estimated: number,
      seriesOf?: number,
    ): AsyncGenerator<string[] | string, { over: boolean; series?: Map<string, number> }> {
      if (minutes.length === 0 && seriesOf === undefined) return { over: false };
      const { ids, read, series } = await this.slotIds(minutes, lower, upper, seriesOf);
      kept.estimated += estimated;
      kept.ids += ids.length;
      kept.read += read;
      if (ids.length > 0) yield ids;
      if (need() <= 0) return { over: true };
      if (budget() <= 0 && minutes.length > 0) {
        yield idFloor(minutes.at(-1)!.minute * MINUTE_MS);
        return { over: true };
      }
      return { over: false, ...(series ? { series } : {}) };
    };

    /** Hours to read, newest first, with the share of each hour inside the bounds. */
    let pending: { hour: number; plan: BucketPlan; share: number }[] = [];
    let pendingEstimate = 0;
    let pendingEntries = 0;
    /** Reads the pending hours' slots; true when the search is over. */
    const flush = async function* (this: RedisAlertStore): AsyncGenerator<string[] | string, boolean> {
      const whole = pending;
      const last = whole.pop()!;
      pending = [];
      pendingEstimate = 0;
      pendingEntries = 0;
      // All but the oldest pending hour are needed whole, and so is the oldest when it holds few entries. Otherwise
      // its per-minute counts, read with the others' slots, tell how many of its minutes to read.
      const wholeEntries = whole.reduce((sum, { plan, share }) => sum + plan.entries * share, 0);
      const split = last.plan.entries * last.share > Math.min(WHOLE_HOUR_ENTRIES, budget() - wholeEntries);
      if (!split) whole.push(last);
      const prefetched = split ? directory.series.get(last.hour) : undefined;
      const first = yield* read.call(
        this,
        whole.flatMap(({ hour, plan }) => minutesOf(hour).map((minute) => ({ minute, plan }))),
        whole.reduce((sum, { plan, share }) => sum + plan.estimate * share, 0),
        split && !prefetched ? last.hour : undefined,
      );
      if (first.over || !split) return first.over;
      const inRange = minutesOf(last.hour);
      const minutePlans = planMinutes(
        shape,
        last.plan,
        prefetched ?? first.series!,
        inRange.map((m) => m - last.hour * 60),
      );
      const minutes = inRange.flatMap((minute, i) => (minutePlans[i] ? [{ minute, plan: minutePlans[i] }] : []));
      // Newest minutes first, as many at once as should hold what the page still needs, within the bound.
      for (let at = 0; at < minutes.length;) {
        let end = at;
        let estimated = 0;
        let entries = 0;
        const goal = target();
        const room = budget();
        while (
          end < minutes.length &&
          (end === at || (estimated < goal && entries + minutes[end]!.plan.entries <= room))
        ) {
          estimated += minutes[end]!.plan.estimate;
          entries += minutes[end++]!.plan.entries;
        }
        if ((yield* read.call(this, minutes.slice(at, end), estimated)).over) return true;
        at = end;
      }
      return false;
    };

    for (const [i, { n: day }] of dayPlans.entries()) {
      if (!loaded.has(day)) {
        // The hours of this and the next days, as many days as should hold what the page still needs.
        const next: number[] = [];
        let estimated = 0;
        for (let j = i; j < dayPlans.length && (j === i || estimated < target()); j++) {
          next.push(dayPlans[j]!.n);
          estimated += dayPlans[j]!.plan!.estimate;
        }
        const hours = next.flatMap(hoursOf);
        // Only the parts present in those days can be present in their hours.
        const parts = shape.partFields.filter((f) => dayPlans.some((d) => next.includes(d.n) && d.counts.has(f)));
        const counts = await this.readCounters(
          hours.map((h) => `h${h}`),
          [...shape.priorities, ...parts],
        );
        for (const h of plans(hours, counts)) hourPlans.set(h.n, h.plan!);
        for (const d of next) loaded.add(d);
        if (i === 0) this.noteNewestHour(hours, counts);
      }
      for (const hour of hoursOf(day)) {
        const plan = hourPlans.get(hour);
        if (!plan) continue;
        const share = (Math.min(toMs, (hour + 1) * HOUR_MS) - Math.max(fromMs, hour * HOUR_MS)) / HOUR_MS;
        pending.push({ hour, plan, share });
        pendingEstimate += plan.estimate * share;
        pendingEntries += plan.entries * share;
        // Hours are gathered until they should hold what the page still needs, or reach the bound on entries read.
        if ((pendingEstimate >= target() || pendingEntries >= budget()) && (yield* flush.call(this))) return;
      }
    }
    if (pending.length > 0) yield* flush.call(this);
  }

  /**
   * The ids in the planned slots of the given minutes (per group, the first source's union intersected with the
   * others'), in bounds, newest first, as 16-character latin1 strings of their bytes: they sort and compare like the
   * ids, and cost no decoding until their alerts are read. With `seriesOf`, that hour's per-minute counts by
   * priority come in the same round trip.
   */
  private async slotIds(
    minutes: readonly { minute: number; plan: BucketPlan }[],
    lower: string | undefined,
    upper: string | undefined,
    seriesOf?: number,
  ): Promise<{ ids: string[]; read: number; series?: Map<string, number> }> {
    const keys: string[] = [];
    for (const { minute, plan } of minutes) {
      for (const { sources } of plan.groups) {
        for (const { facet, parts } of sources) {
          if (facet === undefined) keys.push(this.keys.logSlot(minute));
          else for (const p of parts) keys.push(this.keys.indexSlot(facet, p.value, p.priority, minute));
        }
      }
    }
    // A sparse walk reads thousands of mostly missing slots: MGETs of a few hundred, not one GET each.
    const pipeline = this.redis.pipeline();
    for (let at = 0; at < keys.length; at += SLOTS_PER_MGET)
      pipeline.mgetBuffer(...keys.slice(at, at + SLOTS_PER_MGET));
    if (seriesOf !== undefined) pipeline.eval(HGETALL_JSON, 1, this.keys.counter(minutesBucket(seriesOf)));
    const replies = ((await this.run(() => pipeline.exec())) ?? []).map(([error, value]) => {
      if (error) throw new StoreUnavailableError(`Redis: ${error.message}`);
      return value;
    });
    const series = seriesOf === undefined ? undefined : hashCounts(replies.pop() as string);
    const slots = replies as (Buffer | null)[][];
    let reply = 0;
    let next = 0;
    const slot = (): Buffer | null => {
      if (next === slots[reply]!.length) {
        reply++;
        next = 0;
      }
      return slots[reply]![next++] ?? null;
    };
    let read = 0;
    const min = lower === undefined ? undefined : idBytes(lower).toString('latin1');
    const max = upper === undefined ? undefined : idBytes(upper).toString('latin1');
    const inBounds = (id: string) => (min === undefined || id >= min) && (max === undefined || id < max);
    const ids: string[] = [];
    const present: Buffer[] = [];
    for (const { plan } of minutes) {
      for (const { sources } of plan.groups) {
        // The first source's union, intersected with each other's; once settled, the rest is only counted.
        let kept: Set<string> | undefined;
        let settled = false;
        for (const { facet, parts } of sources) {
          present.length = 0;
          for (let v = 0; v < (facet === undefined ? 1 : parts.length); v++) {
            const entries = slot();
            if (!entries) continue;
            read += entries.length / ID_BYTES;
            present.push(entries);
          }
          if (settled) continue;
          if (present.length === 0) {
            kept = undefined;
            settled = true;
            continue;
          }
          if (sources.length === 1 && present.length === 1) {
            // One slot alone holds distinct ids: no set needed.
            const entries = present[0]!;
            for (let at = 0; at + ID_BYTES <= entries.length; at += ID_BYTES) {
              const id = entries.toString('latin1', at, at + ID_BYTES);
              if (inBounds(id)) ids.push(id);
            }
            settled = true;
            continue;
          }
          const union = new Set<string>();
          for (const entries of present) {
            for (let at = 0; at + ID_BYTES <= entries.length; at += ID_BYTES) {
              const id = entries.toString('latin1', at, at + ID_BYTES);
              if (inBounds(id) && (!kept || kept.has(id))) union.add(id);
            }
          }
          kept = union;
          settled = union.size === 0;
        }
        if (kept) for (const id of kept) ids.push(id);
      }
    }
    return { ids: ids.sort().reverse(), read, ...(series ? { series } : {}) };
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
    const alerts = await this.getMany(ids);
    for (const id of ids) this.lastSaved.delete(id);
    const removals = new Map<string, Buffer[]>();
    const delta: CounterDelta = new Map();
    ids.forEach((id, i) => {
      const bytes = idBytes(id);
      const alert = alerts[i];
      // Without its document only the log's entry can be found.
      if (!alert) return addTo(removals, this.keys.logSlot(idMinute(id)), bytes);
      for (const slot of this.slotsOf(alert)) addTo(removals, slot, bytes);
      countAlert(delta, alert, 1); // amounts to subtract
    });
    const tx = this.redis.multi().del(...ids.map((id) => this.keys.alert(id)));
    const slots = [...removals.entries()];
    tx.eval(REMOVE_IDS, slots.length, ...slots.map(([key]) => key), ...slots.map(([, list]) => Buffer.concat(list)));
    if (delta.size > 0) {
      const buckets = [...delta.entries()];
      tx.eval(
        SUBTRACT_COUNTS,
        buckets.length + 2,
        this.keys.counterDays,
        this.keys.counterVersions,
        ...buckets.map(([b]) => this.keys.counter(b)),
        ...counterArgs(buckets),
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
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private readonly counterReader: CounterReader = {
    days: () => this.days(),
    read: async (requests) => {
      const pipeline = this.redis.pipeline();
      const whole = requests.flatMap(({ bucket, fields }) => (fields ? [] : [this.keys.counter(bucket)]));
      for (const { bucket, fields } of requests) if (fields) pipeline.hmget(this.keys.counter(bucket), ...fields);
      const [replies, hashes] = await this.run(() => Promise.all([pipeline.exec(), this.wholeCounters(whole)]));
      let field = 0;
      let hash = 0;
      return requests.map(({ fields }) => {
        if (!fields) return hashes[hash++]!;
        const [error, value] = replies![field++]!;
        if (error) throw new StoreUnavailableError(`Redis: ${error.message}`);
        return fieldCounts(fields, value as (string | null)[]);
      });
    },
  };

  /**
   * Whole counter hashes: those read before and unchanged since (their version in Redis has not moved) from memory,
   * the others from Redis. The overview reads the same day of hour hashes on every refresh; only the newest change.
   */
  private async wholeCounters(keys: string[]): Promise<Map<string, number>[]> {
    if (keys.length === 0) return [];
    const held = keys.map((key) => this.counterCache.get(key));
    const reply = (await COUNTERS_IF_CHANGED.run(
      this.redis,
      [this.keys.counterVersions, ...keys],
      held.map((h) => h?.version ?? ''),
    )) as string;
    const answers = JSON.parse(reply) as [version: string, flat?: string[] | Record<string, never>][];
    return keys.map((key, i) => {
      const [version, flat] = answers[i]!;
      if (flat === undefined) return held[i]!.counts;
      const counts = flatCounts(flat);
      this.cacheCounters(key, version, counts);
      return counts;
    });
  }

  private cacheCounters(key: string, version: string, counts: Map<string, number>): void {
    const old = this.counterCache.get(key);
    if (old) {
      this.counterCache.delete(key);
      this.counterCacheFields -= old.counts.size;
    }
    // Without a version (written by an older hub) a hash cannot be checked, so it is not kept.
    if (version === '') return;
    this.counterCache.set(key, { version, counts });
    this.counterCacheFields += counts.size;
    for (const [oldest, { counts: evicted }] of this.counterCache) {
      if (this.counterCacheFields <= COUNTER_CACHE_FIELDS) break;
      this.counterCache.delete(oldest);
      this.counterCacheFields -= evicted.size;
    }
  }

  /**
   * The days that have counters, oldest first, and in the same round trip the given fields of the counter buckets
   * guessed to be among them and the per-minute counts of the hours guessed to be needed.
   */
  private async directory(
    guessed: string[],
    fields: readonly string[],
    seriesOf: number[],
  ): Promise<{ days: number[]; counts: Map<string, Map<string, number>>; series: Map<number, Map<string, number>> }> {
    const pipeline = this.redis.pipeline().zrange(this.keys.counterDays, '0', '-1');
    for (const bucket of guessed) pipeline.hmget(this.keys.counter(bucket), ...fields);
    for (const hour of seriesOf) pipeline.eval(HGETALL_JSON, 1, this.keys.counter(minutesBucket(hour)));
    const [days, ...replies] = ((await this.run(() => pipeline.exec())) ?? []).map(([error, value]) => {
      if (error) throw new StoreUnavailableError(`Redis: ${error.message}`);
      return value;
    });
    return {
      days: (days as string[]).map(Number),
      counts: new Map(guessed.map((bucket, i) => [bucket, fieldCounts(fields, replies[i] as (string | null)[])])),
      series: new Map(seriesOf.map((hour, i) => [hour, hashCounts(replies[guessed.length + i] as string)])),
    };
  }

  /** Remembers the newest of these hours (newest first) with alerts, for the next query to guess. */
  private noteNewestHour(hours: readonly number[], counts: readonly Map<string, number>[]): void {
    const i = counts.findIndex((c) => c.size > 0);
    if (i >= 0) this.recentHour = hours[i];
  }

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

/** Adds `value` to the list under `key`. */
function addTo<V>(lists: Map<string, V[]>, key: string, value: V): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}

/** Counter changes as the scripts take them: per bucket its number of fields, its day number (or ''), the pairs. */
function counterArgs(buckets: [bucket: string, changes: Map<string, number>][]): (string | number)[] {
  return buckets.flatMap(([bucket, changes]) => [changes.size, dayOf(bucket) ?? '', ...[...changes].flat()]);
}

/** Bucket numbers first..last (of `size` ms) that overlap [fromMs, toMs], newest first. */
function range(first: number, last: number, fromMs: number, toMs: number, size: number): number[] {
  const out: number[] = [];
  for (let b = last; b >= first; b--) if ((b + 1) * size > fromMs && b * size <= toMs) out.push(b);
  return out;
}

/** The fields present among an HMGET's values. */
function fieldCounts(fields: readonly string[], values: readonly (string | null)[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < fields.length; i++) if (values[i] !== null) counts.set(fields[i]!, Number(values[i]));
  return counts;
}

/** A counter hash read with HGETALL_JSON. */
function hashCounts(json: string): Map<string, number> {
  return flatCounts(JSON.parse(json) as unknown);
}

/** A hash's counts from its fields and values in turn, as cjson encodes them. */
function flatCounts(flat: unknown): Map<string, number> {
  const counts = new Map<string, number>();
  // An empty hash encodes as {} (Lua cannot tell an empty array from an empty table).
  if (!Array.isArray(flat)) return counts;
  const pairs = flat as string[];
  for (let j = 0; j + 1 < pairs.length; j += 2) counts.set(pairs[j]!, Number(pairs[j + 1]));
  return counts;
}
