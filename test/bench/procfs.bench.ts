/**
 * The procfs sensor's cost: its CPU share (of one core) while it polls this machine's real /proc at 10 ms, 100 ms
 * and 1 s (known processes read again every 1 s), with 500 extra sleeping processes started for the run, and the
 * CPU time of one poll with and without reading every known process again. The sensor runs in this process, so
 * process.cpuUsage() over the window is its cost. Prints figures; asserts only that it polled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { ProcfsSource } from '@harrier/sensor';
import { afterAll, beforeAll, expect, it } from 'vitest';

const SLEEPERS = 500;
const WINDOWS: Array<[intervalMs: number, windowMs: number]> = [
  [10, 5_000],
  [100, 10_000],
  [1_000, 20_000],
];

const processCount = () => readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
const sleepers: ChildProcess[] = [];
const rows: Record<string, string | number>[] = [];

beforeAll(async () => {
  for (let i = 0; i < SLEEPERS; i++) sleepers.push(spawn('sleep', ['3600'], { stdio: 'ignore' }));
  await Promise.all(sleepers.map((child) => new Promise((resolve) => child.once('spawn', resolve))));
});
afterAll(() => {
  for (const child of sleepers) child.kill();
  console.log(`\nprocfs sensor on this machine's /proc, with ${SLEEPERS} sleeping processes added`);
  console.table(rows);
});

it.each([
  ['every process read (a rescan)', 100],
  ['new processes only', 1e9],
])('CPU time of one poll: %s', async (measure, rescanEveryMs) => {
  const source = new ProcfsSource({ intervalMs: 100, rescanEveryMs });
  await source.start();
  const runs = 20;
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < runs; i++) await source.poll();
  const cpu = process.cpuUsage(cpuBefore);
  rows.push({
    measure: `one poll, ${measure}`,
    processes: processCount(),
    'CPU ms per poll': ((cpu.user + cpu.system) / 1000 / runs).toFixed(1),
  });
  await source.stop();
});

it.each(WINDOWS)('CPU share at a %i ms interval', async (intervalMs, windowMs) => {
  const source = new ProcfsSource({ intervalMs });
  await source.start();
  let events = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const reading = (async () => {
    for await (const _event of source.events()) events++;
  })();
  await delay(windowMs);
  await source.stop();
  await reading;
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  expect(cpuMs).toBeGreaterThan(0);
  rows.push({
    measure: `poll every ${intervalMs} ms for ${windowMs / 1000} s`,
    processes: processCount(),
    'CPU % of one core': ((100 * cpuMs) / elapsedMs).toFixed(1),
    'events seen': events,
  });
});
