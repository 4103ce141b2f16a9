import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listDirectory, readBytes, readLine, readLink, readText } from './proc-read.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'harrier-proc-read-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('proc reads', () => {
  it('reads a file larger than the shared buffer whole, and a later small one without leftovers', () => {
    const big = Array.from({ length: 30_000 }, (_, i) => `line ${i}`).join('\n');
    writeFileSync(path.join(dir, 'big'), big);
    writeFileSync(path.join(dir, 'small'), 'one');
    expect(readText(path.join(dir, 'big'))).toBe(big);
    expect(readText(path.join(dir, 'small'))).toBe('one');
    expect(readLine(path.join(dir, 'small'))).toBe('one');
    expect(readBytes(path.join(dir, 'small'))).toEqual(Buffer.from('one'));
  });

  it("reads this process's /proc files", () => {
    expect(readLine('/proc/self/stat')).toMatch(/^\d+ \(.+\) [A-Z] /);
    expect(readText('/proc/self/status')).toContain(`Pid:\t${process.pid}\n`);
    expect(readLink('/proc/self/exe')).toBe(process.execPath);
    expect(listDirectory('/proc/self/fd').length).toBeGreaterThan(0);
  });

  it('answers undefined (or nothing) for what is gone', () => {
    const gone = path.join(dir, 'gone');
    expect([readBytes(gone), readText(gone), readLine(gone), readLink(gone), listDirectory(gone)]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      [],
    ]);
  });
});
