import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SensorEvent, SourceProblem } from '../source.js';
import { AuditLogSource, type AuditLogSourceOptions } from './audit-log-source.js';

const line = (id: string) =>
  `${JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    auditID: id,
    stage: 'ResponseComplete',
    verb: 'get',
    stageTimestamp: '2024-05-01T10:00:00.000000Z',
  })}\n`;
const lines = (...ids: string[]) => ids.map(line).join('');

/** A running source and the audit IDs it has yielded so far. */
async function tail(options: AuditLogSourceOptions) {
  const source = new AuditLogSource({ pollIntervalMs: 5, ...options });
  const ids: string[] = [];
  await source.start();
  const done = (async () => {
    for await (const { source: kind, event } of source.events() as AsyncIterable<SensorEvent>) {
      expect(kind).toBe('k8s_audit');
      ids.push((event.payload as { auditID: string }).auditID);
    }
  })();
  const stop = async () => {
    await source.stop();
    await done;
  };
  return { ids, stop };
}

/** Waits until `ids` has `count` entries, then a few more polls, so that duplicates would show. */
async function settle(ids: readonly string[], count: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (ids.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 50));
}

let dir: string;
let log: string;
let offsets: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'harrier-audit-'));
  log = path.join(dir, 'audit.log');
  offsets = path.join(tmpdir(), `${path.basename(dir)}.offsets.json`);
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(offsets, { force: true });
});

describe('AuditLogSource on one file', () => {
  it('yields the lines there at start, then each appended line once it is complete', async () => {
    writeFileSync(log, lines('a', 'b'));
    const { ids, stop } = await tail({ path: log });
    await settle(ids, 2);
    appendFileSync(log, line('c') + line('d').slice(0, 20));
    await settle(ids, 3);
    expect(ids).toEqual(['a', 'b', 'c']);
    appendFileSync(log, line('d').slice(20));
    await settle(ids, 4);
    await stop();
    expect(ids).toEqual(['a', 'b', 'c', 'd']);
  });

  it('follows a rotation (rename, then a new file) without losing or repeating a line', async () => {
    writeFileSync(log, lines('a', 'b'));
    const { ids, stop } = await tail({ path: log });
    await settle(ids, 2);
    appendFileSync(log, line('c'));
    renameSync(log, path.join(dir, 'audit-2024-05-01T10-00-00.000.log'));
    writeFileSync(log, lines('d'));
    await settle(ids, 4);
    appendFileSync(log, line('e'));
    await settle(ids, 5);
    await stop();
    expect(ids).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('reads a truncated file again from its start', async () => {
    writeFileSync(log, lines('a', 'b', 'c'));
    const { ids, stop } = await tail({ path: log });
    await settle(ids, 3);
    truncateSync(log, 0);
    appendFileSync(log, line('d'));
    await settle(ids, 4);
    await stop();
    expect(ids).toEqual(['a', 'b', 'c', 'd']);
  });

  it('resumes after a restart from the saved offset', async () => {
    writeFileSync(log, lines('a', 'b'));
    const first = await tail({ path: log, offsetFile: offsets });
    await settle(first.ids, 2);
    await first.stop();
    expect(JSON.parse(readFileSync(offsets, 'utf8')) as unknown).toMatchObject({
      version: 1,
      files: [{ path: log, offset: Buffer.byteLength(lines('a', 'b')) }],
    });
    appendFileSync(log, lines('c', 'd'));
    const second = await tail({ path: log, offsetFile: offsets });
    await settle(second.ids, 2);
    await second.stop();
    expect([first.ids, second.ids]).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('after a rotation while it was down, finishes the renamed file before reading the new one', async () => {
    writeFileSync(log, lines('a'));
    const first = await tail({ path: log, offsetFile: offsets });
    await settle(first.ids, 1);
    await first.stop();
    appendFileSync(log, line('b'));
    renameSync(log, path.join(dir, 'audit-1.log'));
    writeFileSync(log, lines('c'));
    const second = await tail({ path: log, offsetFile: offsets, fromEnd: true });
    await settle(second.ids, 2);
    await second.stop();
    expect(second.ids).toEqual(['b', 'c']);
  });

  it('skips what is there at a first start with fromEnd, and reads what comes after', async () => {
    writeFileSync(log, lines('old'));
    const { ids, stop } = await tail({ path: log, fromEnd: true });
    await settle(ids, 0);
    appendFileSync(log, line('new'));
    await settle(ids, 1);
    await stop();
    expect(ids).toEqual(['new']);
  });

  it('reports malformed and non-audit lines and goes on', async () => {
    writeFileSync(log, `${line('a')}{not json\n{"kind":"Pod"}\n${line('b')}`);
    const problems: SourceProblem[] = [];
    const { ids, stop } = await tail({ path: log, onProblem: (p) => problems.push(p) });
    await settle(ids, 2);
    await stop();
    expect(ids).toEqual(['a', 'b']);
    expect(problems.map((p) => p.where)).toEqual([
      `${log} at byte ${line('a').length}`,
      `${log} at byte ${line('a').length + 10}`,
    ]);
    expect(problems[0]?.message).toMatch(/^malformed JSON/);
    expect(problems[1]?.message).toBe('data not recognized as a k8s audit event');
  });
});

describe('AuditLogSource on a directory', () => {
  it('reads every file, older first, and files that appear later, resuming each after a restart', async () => {
    writeFileSync(path.join(dir, 'audit-1.log'), lines('a'), { flag: 'w' });
    await new Promise((r) => setTimeout(r, 20));
    writeFileSync(log, lines('b'));
    const first = await tail({ path: dir, offsetFile: offsets });
    await settle(first.ids, 2);
    writeFileSync(path.join(dir, 'audit-2.log'), lines('c'));
    await settle(first.ids, 3);
    await first.stop();
    expect(first.ids).toEqual(['a', 'b', 'c']);

    appendFileSync(log, line('d'));
    const second = await tail({ path: dir, offsetFile: offsets });
    await settle(second.ids, 1);
    await second.stop();
    expect(second.ids).toEqual(['d']);
  });
});
