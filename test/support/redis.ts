/**
 * A Redis server for tests: a fresh `redis-server` on a free loopback port (nothing persisted), or, when
 * REDIS_URL is set, that server under a unique key prefix whose keys are deleted afterwards.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './ports.js';

export interface TestRedis {
  url: string;
  /** Key prefix reserved for this test run. */
  prefix: string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const prefix = `harrier-test:${randomUUID()}:`;
  const given = process.env['REDIS_URL'];
  if (given) {
    return { url: given, prefix, stop: () => deleteKeys(given, prefix) };
  }
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', '/tmp'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  await waitForRedis(url, child);
  return {
    url,
    prefix,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function waitForRedis(url: string, child: ReturnType<typeof spawn>): Promise<void> {
  const deadline = Date.now() + 10_000;
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`cannot start redis-server (is it installed?): ${spawnError.message}`);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      client.disconnect();
    }
  }
  throw new Error(`redis-server did not answer at ${url} within 10 s`);
}

async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** A Redis Sentinel on a free port watching `master` as "mymaster" (config in a fresh temp folder). */
export async function startSentinel(master: TestRedis): Promise<{ port: number; stop(): Promise<void> }> {
  const { hostname, port: masterPort } = new URL(master.url);
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'harrier-sentinel-'));
  const conf = path.join(dir, 'sentinel.conf');
  await writeFile(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor mymaster ${hostname} ${masterPort || 6379} 1`,
      '',
    ].join('\n'),
  );
  const child = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
  await waitForRedis(`redis://127.0.0.1:${port}`, child);
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A Redis the test can take down and bring back on the same port, its data kept (append-only file, fsync always). */
export interface StoppableRedis extends TestRedis {
  /** Stops the server (SIGTERM): clients get connection refused until `up`. */
  down(): Promise<void>;
  up(): Promise<void>;
}

/** Always a fresh `redis-server` of its own, even when REDIS_URL is set: a shared server cannot be stopped. */
export async function startStoppableRedis(): Promise<StoppableRedis> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'harrier-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ReturnType<typeof spawn> | undefined;
  const up = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'],
      { stdio: 'ignore', cwd: dir },
    );
    await waitForRedis(url, child);
  };
  const down = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  await up();
  return { url, prefix: `harrier-test:${randomUUID()}:`, up, down, stop: down };
}
