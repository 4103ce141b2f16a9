import { randomUUID } from 'node:crypto';
import type { Alert } from '@harrier/alert';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertIdGenerator } from '../../apps/server/src/alerts/alert-id.js';
import { RedisAlertStore } from '../../apps/server/src/alerts/redis-alert.store.js';
import { describeDeliveryQueueContract } from '../../apps/server/src/outputs/delivery/delivery-queue.contract.js';
import { RedisDeliveryQueue } from '../../apps/server/src/outputs/delivery/redis-delivery.queue.js';
import { createRedisConnection } from '../../apps/server/src/redis/redis-connection.js';
import { redisKeys } from '../../apps/server/src/redis/redis-keys.js';
import { startRedis, type TestRedis } from '../support/redis.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

describeDeliveryQueueContract('RedisDeliveryQueue', () => {
  const connection = createRedisConnection({ url: redis.url });
  const keys = redisKeys(`${redis.prefix}${randomUUID()}:`);
  const store = new RedisAlertStore(connection, keys);
  const queue = new RedisDeliveryQueue(connection, keys, (ids) => store.getMany(ids));
  return Promise.resolve({
    queue,
    store,
    close: async () => {
      await queue.close();
      await store.close();
    },
  });
});

describe('RedisDeliveryQueue jobs name their alert', () => {
  const ids = new AlertIdGenerator();
  function alert(rule: string): Alert {
    const ms = Date.now();
    return {
      id: ids.next(ms),
      time: new Date(ms).toISOString(),
      rule,
      priority: 'Warning',
      source: 'syscall',
      output: `${rule}: ${'x'.repeat(2_000)}`,
      output_fields: { 'proc.cmdline': 'sh -c id' },
      tags: ['container'],
      hostname: 'node-1',
    };
  }

  /** A writer (the replica that saved the alerts) and a reader replica with its own store and queue on one Redis. */
  function replicas() {
    const keys = redisKeys(`${redis.prefix}${randomUUID()}:`);
    const connections = [createRedisConnection({ url: redis.url }), createRedisConnection({ url: redis.url })];
    const [writer, reader] = connections.map((connection) => {
      const store = new RedisAlertStore(connection, keys);
      return { store, queue: new RedisDeliveryQueue(connection, keys, (ids) => store.getMany(ids)) };
    });
    const close = async () => {
      for (const { store, queue } of [writer!, reader!]) {
        await queue.close();
        await store.close();
      }
    };
    return { keys, writer: writer!, reader: reader!, close };
  }

  it('stores a job as a reference, and a replica that did not save the alert reads it from Redis', async () => {
    const { keys, writer, reader, close } = replicas();
    const saved = alert('big');
    await writer.store.save(saved, ['hook']);
    const client = new Redis(redis.url);
    const entries = (await client.xrange(keys.delivery('hook').stream, '-', '+')) as [string, string[]][];
    client.disconnect();
    const payload = entries[0]![1][1]!;
    expect(payload.length).toBeLessThan(200);
    expect(payload).toContain(saved.id);
    const [job] = await reader.queue.read('hook', 'reader', 10, 0);
    expect(job!.alert).toEqual(saved);
    await close();
  });

  it('settles as dead, without a dead letter, a job whose alert retention removed before delivery', async () => {
    const { writer, reader, close } = replicas();
    const gone = alert('gone');
    const kept = alert('kept');
    await writer.store.save(gone, ['hook']);
    await writer.store.save(kept, ['hook']);
    await writer.store.trim(Date.now() + 60_000, 1, 1, 'test');
    expect(await reader.store.get(gone.id)).toBeUndefined();
    const jobs = await reader.queue.read('hook', 'reader', 10, 0);
    expect(jobs.map((j) => j.alert.id)).toEqual([kept.id]);
    expect(await reader.queue.depth('hook')).toEqual({ queued: 1, retrying: 0, dead: 0 });
    expect(await reader.queue.counters('hook')).toMatchObject({
      dead: 1,
      lastError: expect.stringContaining('no longer stored') as string,
    });
    // Nothing of it is left pending to be claimed again.
    expect(await reader.queue.claimStale('hook', 'other', 0, 10)).toEqual([expect.objectContaining({ alert: kept })]);
    await close();
  });

  it('leaves pending, for a replica that can read it, a job whose alert is stored in a format this one cannot read', async () => {
    const { keys, writer, reader, close } = replicas();
    const newer = alert('newer');
    await writer.store.save(newer, ['hook']);
    const client = new Redis(redis.url);
    // As a later version might write it: a format byte this hub does not know.
    await client.set(keys.alert(newer.id), Buffer.from([9, 1, 2, 3]));
    expect(await reader.queue.read('hook', 'reader', 10, 0)).toEqual([]);
    expect(await reader.queue.counters('hook')).toMatchObject({ dead: 0 });
    const [pending] = (await client.xpending(keys.delivery('hook').stream, 'harrier')) as [number];
    expect(pending).toBe(1);
    client.disconnect();
    await close();
  });

  it('lists only the dead letters whose alerts are still stored', async () => {
    const { writer, close } = replicas();
    const first = alert('first');
    const second = alert('second');
    await writer.store.save(first, ['hook']);
    await writer.store.save(second, ['hook']);
    await writer.queue.bury('hook', await writer.queue.read('hook', 'w', 10, 0), 'HTTP 400');
    // Buried together, in one millisecond: their order is not defined.
    expect((await writer.queue.deadLetters('hook', 10)).map((l) => l.job.alert.id).sort()).toEqual([
      first.id,
      second.id,
    ]);
    await writer.store.trim(Date.now() + 60_000, 1, 1, 'test');
    expect((await writer.queue.deadLetters('hook', 10)).map((l) => l.job.alert.id)).toEqual([second.id]);
    await close();
  });

  it('records first-attempt deliveries compactly: a few dozen bytes of Redis memory per alert, a JSON record none', async () => {
    const { keys, writer, close } = replicas();
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const alerts = Array.from({ length: 300 }, (_, i) => ({ ...alert(`r${i}`), id: ids.next(minute + i) }));
    await Promise.all(alerts.map((a) => writer.store.save(a, ['hook'])));
    await writer.queue.ack('hook', await writer.queue.read('hook', 'w', 300, 0));
    const client = new Redis(redis.url);
    const records = await client.keys(`${keys.delivery('hook').record('')}*`);
    const compact = Number(await client.memory('USAGE', keys.delivery('hook').delivered(minute / 60_000)));
    client.disconnect();
    expect(records).toEqual([]);
    // 22 bytes an entry, plus what an appended string keeps spare for growth (~48 measured; a JSON record ~260).
    expect(compact / alerts.length).toBeLessThan(64);
    const found = await writer.queue.deliveries(alerts[123]!.id, ['hook']);
    expect(found).toEqual([expect.objectContaining({ state: 'delivered', attempts: 1 })]);
    await close();
  });
});
