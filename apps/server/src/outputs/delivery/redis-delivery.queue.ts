/**
 * Delivery jobs in Redis Streams: one stream per output read through the consumer group `harrier`, so each job
 * goes to one replica; XAUTOCLAIM hands jobs of a dead replica to another after the visibility timeout. Retries
 * wait in a sorted set scored by due time; dead letters sit in a hash; counters in another hash.
 * A stored job names its alert rather than holding a copy (a backlog of a million jobs is tens of megabytes, not a
 * gigabyte); jobs read are joined with their alerts through `AlertLookup`. A job whose alert is gone (removed by
 * retention while the job waited) cannot be delivered: it is settled as dead, without a dead letter.
 */
import type { Alert } from '@harrier/alert';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../../redis/redis-keys.js';
import { RedisScript } from '../../redis/redis-script.js';
import { ID_BYTES, idBytes, writeIdBytes } from '../../alerts/alert-codec.js';
import { idMinute } from '../../alerts/alert-id.js';
import {
  DELIVERY_RECORD_TTL_MS,
  type AlertDelivery,
  type DeadLetter,
  type DeliveryJob,
  type DeliveryQueue,
  type OutputCounters,
  type QueueDepth,
} from './delivery-queue.js';

const GROUP = 'harrier';

/** Moves due retries back into the stream atomically (no job both waiting and queued). */
const PROMOTE = `
local items = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, item in ipairs(items) do
  redis.call('XADD', KEYS[2], '*', 'j', item)
  redis.call('ZREM', KEYS[1], item)
end
return #items`;

/** A job as stored: its alert by id. */
export interface StoredJob {
  alertId: string;
  attempts: number;
  queuedAt: number;
  lastError?: string;
}
type StreamEntry = [id: string, fields: string[]];

/**
 * Settles delivered jobs in one call: acknowledged and deleted from the stream, counted, and each alert's outcome
 * recorded (expiring). A first-attempt delivery, nearly all of them, is recorded compactly: its alert id and time
 * (DELIVERED_ENTRY_BYTES) appended to the output's string for the alert's minute, where a JSON record would cost
 * ~260 bytes of Redis memory; a JSON record left by an earlier state goes. KEYS: the stream, the stats hash, then
 * per job its JSON record key and its minute's key; ARGV: the group, the time, the records' lifetime, the number of
 * outcome JSONs and the JSONs, then per job its entry id, its outcome's number (0: compact) and its compact entry.
 */
const ACK = new RedisScript(`#!lua
local outcomes = tonumber(ARGV[4])
local first = 5 + outcomes
local jobs = (#ARGV - first + 1) / 3
for j = 0, jobs - 1 do
  local id, outcome = ARGV[first + 3 * j], tonumber(ARGV[first + 3 * j + 1])
  redis.call('XACK', KEYS[1], ARGV[1], id)
  redis.call('XDEL', KEYS[1], id)
  if outcome == 0 then
    redis.call('APPEND', KEYS[4 + 2 * j], ARGV[first + 3 * j + 2])
    redis.call('PEXPIRE', KEYS[4 + 2 * j], ARGV[3])
    redis.call('DEL', KEYS[3 + 2 * j])
  else
    redis.call('SET', KEYS[3 + 2 * j], ARGV[4 + outcome], 'PX', ARGV[3])
  end
end
redis.call('HINCRBY', KEYS[2], 'delivered', jobs)
redis.call('HSET', KEYS[2], 'lastSuccessAt', ARGV[2])
return jobs
`);

/** A compact delivered record: the alert's 16-byte id, then the time (ms) in 6 bytes. */
const DELIVERED_ENTRY_BYTES = ID_BYTES + 6;
/** A dead letter as stored: its job's alert by id. */
type StoredLetter = Omit<DeadLetter, 'job'> & { job: StoredJob & { id: string; output: string } };

/** The alerts of these ids (undefined where one is no longer stored), in order. */
export type AlertLookup = (ids: readonly string[]) => Promise<(Alert | undefined)[]>;

export function encodeJob({ alertId, attempts, queuedAt, lastError }: StoredJob): string {
  return JSON.stringify({ alertId, attempts, queuedAt, ...(lastError === undefined ? {} : { lastError }) });
}

function storedJob({ alert, attempts, queuedAt, lastError }: DeliveryJob): StoredJob {
  return { alertId: alert.id, attempts, queuedAt, ...(lastError === undefined ? {} : { lastError }) };
}

export class RedisDeliveryQueue implements DeliveryQueue {
  /** Blocking reads need a connection each, so they do not stall other commands. */
  private readonly readers = new Map<string, Redis>();
  private readonly groups = new Set<string>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly alerts: AlertLookup,
  ) {}

  async read(output: string, consumer: string, max: number, blockMs: number): Promise<DeliveryJob[]> {
    const { stream } = this.keys.delivery(output);
    await this.ensureGroup(output);
    let reader = this.readers.get(output);
    if (!reader) {
      reader = this.redis.duplicate();
      this.readers.set(output, reader);
    }
    // BLOCK 0 would wait forever; no wait is asked for by leaving BLOCK out.
    const reply = (
      blockMs > 0
        ? await reader.xreadgroup('GROUP', GROUP, consumer, 'COUNT', max, 'BLOCK', blockMs, 'STREAMS', stream, '>')
        : await reader.xreadgroup('GROUP', GROUP, consumer, 'COUNT', max, 'STREAMS', stream, '>')
    ) as [string, StreamEntry[]][] | null;
    return this.decode(output, reply?.[0]?.[1] ?? []);
  }

  async recover(output: string, consumer: string, max: number): Promise<DeliveryJob[]> {
    await this.ensureGroup(output);
    // Id 0 instead of '>' reads this consumer's own pending entries.
    const reply = (await this.redis.xreadgroup(
      'GROUP',
      GROUP,
      consumer,
      'COUNT',
      max,
      'STREAMS',
      this.keys.delivery(output).stream,
      '0',
    )) as [string, StreamEntry[]][] | null;
    return this.decode(output, reply?.[0]?.[1] ?? []);
  }

  async claimStale(output: string, consumer: string, idleMs: number, max: number): Promise<DeliveryJob[]> {
    await this.ensureGroup(output);
    const reply = (await this.redis.xautoclaim(
      this.keys.delivery(output).stream,
      GROUP,
      consumer,
      idleMs,
      '0-0',
      'COUNT',
      max,
    )) as [string, StreamEntry[], string[]];
    return this.decode(output, reply[1]);
  }

  async ack(output: string, jobs: readonly DeliveryJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const k = this.keys.delivery(output);
    const at = Date.now();
    // Later attempts get JSON records, which differ only in their attempt counts: one JSON per count.
    const outcomes = new Map<number, number>();
    const outcomeJson: string[] = [];
    const keys: string[] = [k.stream, k.stats];
    const args: (string | number | Buffer)[] = [];
    for (const job of jobs) {
      const attempts = job.attempts + 1;
      keys.push(k.record(job.alert.id), k.delivered(idMinute(job.alert.id)));
      if (attempts === 1) {
        const entry = Buffer.allocUnsafe(DELIVERED_ENTRY_BYTES);
        writeIdBytes(job.alert.id, entry, 0);
        entry.writeUIntBE(at, ID_BYTES, 6);
        args.push(job.id, 0, entry);
        continue;
      }
      let index = outcomes.get(attempts);
      if (index === undefined) {
        outcomes.set(attempts, (index = outcomeJson.length + 1));
        outcomeJson.push(JSON.stringify({ output, state: 'delivered', attempts, updatedAt: at }));
      }
      args.push(job.id, index, '');
    }
    await ACK.run(this.redis, keys, [GROUP, at, DELIVERY_RECORD_TTL_MS, outcomeJson.length, ...outcomeJson, ...args]);
  }

  async retry(output: string, jobs: readonly DeliveryJob[], dueAt: number, error: string): Promise<void> {
    if (jobs.length === 0) return;
    const k = this.keys.delivery(output);
    const tx = this.redis.multi();
    const at = Date.now();
    for (const job of jobs) {
      tx.zadd(k.retry, dueAt, encodeJob({ ...storedJob(job), attempts: job.attempts + 1, lastError: error }));
      this.record(tx, output, job.alert.id, {
        state: 'retrying',
        attempts: job.attempts + 1,
        updatedAt: at,
        nextAttemptAt: dueAt,
        lastError: error,
      });
    }
    this.settle(tx, output, jobs, error).hincrby(k.stats, 'retried', jobs.length);
    await this.exec(tx);
  }

  async bury(output: string, jobs: readonly DeliveryJob[], error: string): Promise<void> {
    if (jobs.length === 0) return;
    const k = this.keys.delivery(output);
    const tx = this.redis.multi();
    const failedAt = Date.now();
    for (const job of jobs) {
      const { id, output: jobOutput } = job;
      const stored = { ...storedJob(job), id, output: jobOutput, attempts: job.attempts + 1, lastError: error };
      const letter: StoredLetter = { job: stored, error, failedAt };
      tx.hset(k.dead, job.id, JSON.stringify(letter));
      this.record(tx, output, job.alert.id, {
        state: 'dead',
        attempts: job.attempts + 1,
        updatedAt: failedAt,
        lastError: error,
      });
    }
    this.settle(tx, output, jobs, error).hincrby(k.stats, 'dead', jobs.length);
    await this.exec(tx);
  }

  async promoteDue(output: string, now: number): Promise<number> {
    const k = this.keys.delivery(output);
    return (await this.redis.eval(PROMOTE, 2, k.retry, k.stream, now, 500)) as number;
  }

  /** The newest dead letters whose alerts are still stored (a re-drive could not send the others). */
  async deadLetters(output: string, limit: number): Promise<DeadLetter[]> {
    const values = await this.redis.hvals(this.keys.delivery(output).dead);
    const letters = values
      .map((v) => JSON.parse(v) as StoredLetter)
      .sort((a, b) => b.failedAt - a.failedAt)
      .slice(0, limit);
    const alerts = await this.alerts(letters.map((l) => l.job.alertId));
    return letters.flatMap(({ job: { alertId: _id, ...job }, ...letter }, i) => {
      const alert = alerts[i];
      return alert ? [{ ...letter, job: { ...job, alert } }] : [];
    });
  }

  async redrive(output: string, ids?: readonly string[]): Promise<number> {
    const k = this.keys.delivery(output);
    const letters: [string, string][] = ids
      ? (await this.redis.hmget(k.dead, ...ids))
          .map((v, i): [string, string | null] => [ids[i]!, v])
          .filter((e): e is [string, string] => e[1] !== null)
      : Object.entries(await this.redis.hgetall(k.dead));
    if (letters.length === 0) return 0;
    const tx = this.redis.multi();
    for (const [id, json] of letters) {
      const { job } = JSON.parse(json) as StoredLetter;
      tx.xadd(k.stream, '*', 'j', encodeJob({ alertId: job.alertId, attempts: 0, queuedAt: Date.now() }));
      tx.hdel(k.dead, id);
      this.record(tx, output, job.alertId, { state: 'queued', attempts: 0, updatedAt: Date.now() });
    }
    await this.exec(tx);
    return letters.length;
  }

  async counters(output: string): Promise<OutputCounters> {
    const raw = await this.redis.hgetall(this.keys.delivery(output).stats);
    const num = (key: string) => Number(raw[key] ?? 0);
    return {
      delivered: num('delivered'),
      failed: num('failed'),
      retried: num('retried'),
      dead: num('dead'),
      ...(raw['lastSuccessAt'] ? { lastSuccessAt: num('lastSuccessAt') } : {}),
      ...(raw['lastErrorAt'] ? { lastErrorAt: num('lastErrorAt'), lastError: raw['lastError'] ?? '' } : {}),
    };
  }

  async deliveries(alertId: string, outputs: readonly string[]): Promise<AlertDelivery[]> {
    if (outputs.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const output of outputs) {
      const k = this.keys.delivery(output);
      pipeline.getBuffer(k.delivered(idMinute(alertId))).get(k.record(alertId));
    }
    const replies = ((await pipeline.exec()) ?? []).map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    const id = idBytes(alertId);
    return outputs.flatMap((output, i) => {
      // A compact entry is the newest outcome: writing it removed the JSON record, and nothing follows a delivery.
      const entries = replies[2 * i] as Buffer | null;
      for (let at = entries ? entries.length - DELIVERED_ENTRY_BYTES : -1; at >= 0; at -= DELIVERED_ENTRY_BYTES) {
        if (entries!.compare(id, 0, ID_BYTES, at, at + ID_BYTES) !== 0) continue;
        const updatedAt = entries!.readUIntBE(at + ID_BYTES, 6);
        return [{ output, state: 'delivered' as const, attempts: 1, updatedAt }];
      }
      const record = replies[2 * i + 1];
      return typeof record === 'string' ? [JSON.parse(record) as AlertDelivery] : [];
    });
  }

  async depth(output: string): Promise<QueueDepth> {
    const k = this.keys.delivery(output);
    const replies = await this.redis.pipeline().xlen(k.stream).zcard(k.retry).hlen(k.dead).exec();
    const [queued = 0, retrying = 0, dead = 0] = (replies ?? []).map(([, n]) => Number(n ?? 0));
    return { queued, retrying, dead };
  }

  async close(): Promise<void> {
    for (const reader of this.readers.values()) reader.disconnect();
    this.readers.clear();
    return Promise.resolve();
  }

  /** Writes a job's outcome for its alert, expiring, inside the caller's transaction (same hash slot). */
  private record(
    tx: ReturnType<Redis['multi']>,
    output: string,
    alertId: string,
    outcome: Omit<AlertDelivery, 'output'>,
  ): void {
    const key = this.keys.delivery(output).record(alertId);
    tx.set(key, JSON.stringify({ output, ...outcome }), 'PX', DELIVERY_RECORD_TTL_MS);
  }

  /** Acknowledges and removes settled jobs and counts the failure, inside the caller's transaction. */
  private settle(tx: ReturnType<Redis['multi']>, output: string, jobs: readonly DeliveryJob[], error: string) {
    const k = this.keys.delivery(output);
    const ids = jobs.map((j) => j.id);
    return tx
      .xack(k.stream, GROUP, ...ids)
      .xdel(k.stream, ...ids)
      .hincrby(k.stats, 'failed', jobs.length)
      .hset(k.stats, 'lastErrorAt', Date.now(), 'lastError', error.slice(0, 500));
  }

  private async ensureGroup(output: string): Promise<void> {
    if (this.groups.has(output)) return;
    try {
      // From id 0: jobs written before any worker existed are still delivered.
      await this.redis.xgroup('CREATE', this.keys.delivery(output).stream, GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error as Error).message.includes('BUSYGROUP')) throw error;
    }
    this.groups.add(output);
  }

  /**
   * The entries as jobs joined with their alerts. Entries whose alert is gone are settled as dead here: nothing can
   * be delivered for them. An alert still stored but unreadable here (a document format of a newer version, during
   * a rolling upgrade or after a rollback) is left pending, for a replica that can read it to claim.
   */
  private async decode(output: string, entries: StreamEntry[]): Promise<DeliveryJob[]> {
    const stored = entries.flatMap(([id, fields]) => {
      const at = fields.indexOf('j');
      return at < 0 || fields[at + 1] === undefined ? [] : [{ id, ...(JSON.parse(fields[at + 1]!) as StoredJob) }];
    });
    if (stored.length === 0) return [];
    const alerts = await this.alerts(stored.map((job) => job.alertId));
    const jobs: DeliveryJob[] = [];
    const missing = stored.filter((_, i) => alerts[i] === undefined);
    stored.forEach(({ alertId: _id, ...job }, i) => {
      const alert = alerts[i];
      if (alert) jobs.push({ ...job, output, alert });
    });
    if (missing.length === 0) return jobs;
    // One round trip for all of them: after retention removed a backlog's alerts, a read may miss hundreds.
    const pipeline = this.redis.pipeline();
    for (const { alertId } of missing) pipeline.exists(this.keys.alert(alertId));
    const present = ((await pipeline.exec()) ?? []).map(([error, count]) => {
      if (error) throw error;
      return count as number;
    });
    const orphans = missing.filter((_, i) => present[i] === 0).map((job) => job.id);
    if (orphans.length > 0) {
      const k = this.keys.delivery(output);
      const error = 'the alert is no longer stored (retention removed it before delivery)';
      await this.exec(
        this.redis
          .multi()
          .xack(k.stream, GROUP, ...orphans)
          .xdel(k.stream, ...orphans)
          .hincrby(k.stats, 'failed', orphans.length)
          .hincrby(k.stats, 'dead', orphans.length)
          .hset(k.stats, 'lastErrorAt', Date.now(), 'lastError', error),
      );
    }
    return jobs;
  }

  private async exec(tx: ReturnType<Redis['multi']>): Promise<void> {
    const results = await tx.exec();
    const failed = results?.find(([error]) => error !== null);
    if (!results || failed)
      throw new Error(`Redis: delivery bookkeeping failed (${failed?.[0]?.message ?? 'aborted'})`);
  }
}
