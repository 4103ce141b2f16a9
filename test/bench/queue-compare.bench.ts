/**
 * Why delivery jobs live in Redis Streams: the same jobs (one alert each) enqueued and worked off with BullMQ and
 * with Harrier's RedisDeliveryQueue (XADD / XREADGROUP / XACK+XDEL) against the same Redis. BullMQ's jobs hold the
 * alert's JSON; Harrier's name the alert, joined on reading with the alerts held in memory, as the store's recently
 * saved alerts are.
 * Prints jobs/s for enqueue and for processing with a no-op handler, and the ratio.
 */
import { randomUUID } from 'node:crypto';
import { createDemoAlert, seededRandom } from '@harrier/sensor';
import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeJob, RedisDeliveryQueue } from '../../apps/server/src/outputs/delivery/redis-delivery.queue.js';
import { createRedisConnection } from '../../apps/server/src/redis/redis-connection.js';
import { redisKeys } from '../../apps/server/src/redis/redis-keys.js';
import { startRedis, type TestRedis } from '../support/redis.js';

const JOBS = 20_000 * Number(process.env['BENCH_SCALE'] ?? 1);
const CHUNK = 1_000;
const random = seededRandom(3);
const payloads = Array.from({ length: JOBS }, (_, i) => {
  const falco = createDemoAlert(random, Date.now());
  return { alert: { id: `id-${i}`, ...falco }, attempts: 0, queuedAt: Date.now() };
});
const results: Record<string, { enqueue: number; process: number }> = {};
let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
  const streams = results['redis streams'];
  const bull = results['bullmq'];
  console.log(`\nDelivery queue comparison, ${JOBS} jobs, no-op handler`);
  console.table(
    Object.entries(results).map(([queue, r]) => ({
      queue,
      'enqueue jobs/s': Math.round(r.enqueue),
      'process jobs/s': Math.round(r.process),
    })),
  );
  if (streams && bull) {
    console.log(
      `streams / bullmq: enqueue ×${(streams.enqueue / bull.enqueue).toFixed(1)}, process ×${(streams.process / bull.process).toFixed(1)}`,
    );
  }
});

it('Redis Streams (RedisDeliveryQueue)', async () => {
  const connection = createRedisConnection({ url: redis.url });
  const keys = redisKeys(`${redis.prefix}${randomUUID()}:`);
  const alerts = new Map(payloads.map(({ alert }) => [alert.id, alert]));
  const queue = new RedisDeliveryQueue(connection, keys, (ids) => Promise.resolve(ids.map((id) => alerts.get(id))));
  const stream = keys.delivery('bench').stream;
  let t0 = performance.now();
  for (let i = 0; i < JOBS; i += CHUNK) {
    const pipeline = connection.pipeline();
    for (const job of payloads.slice(i, i + CHUNK))
      pipeline.xadd(stream, '*', 'j', encodeJob({ ...job, alertId: job.alert.id }));
    await pipeline.exec();
  }
  const enqueue = JOBS / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  let done = 0;
  while (done < JOBS) {
    const jobs = await queue.read('bench', 'c1', 500, 100);
    await queue.ack('bench', jobs);
    done += jobs.length;
  }
  results['redis streams'] = { enqueue, process: JOBS / ((performance.now() - t0) / 1000) };
  expect(await queue.depth('bench')).toEqual({ queued: 0, retrying: 0, dead: 0 });
  await queue.close();
  connection.disconnect();
}, 300_000);

it('BullMQ', async () => {
  const { port } = new URL(redis.url);
  const connection = { host: '127.0.0.1', port: Number(port) };
  const name = `bench-${randomUUID()}`;
  const queue = new Queue(name, { connection, prefix: redis.prefix });
  let t0 = performance.now();
  for (let i = 0; i < JOBS; i += CHUNK) {
    await queue.addBulk(
      payloads.slice(i, i + CHUNK).map((data) => ({ name: 'deliver', data, opts: { removeOnComplete: true } })),
    );
  }
  const enqueue = JOBS / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  let done = 0;
  await new Promise<void>((resolve) => {
    const worker = new Worker(name, () => Promise.resolve(), { connection, prefix: redis.prefix, concurrency: 50 });
    worker.on('completed', () => {
      if (++done === JOBS) void worker.close().then(resolve);
    });
  });
  results['bullmq'] = { enqueue, process: JOBS / ((performance.now() - t0) / 1000) };
  expect(done).toBe(JOBS);
  await queue.close();
}, 300_000);
