import { mkdtempSync, rmSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchRulesFiles, type RulesWatch } from './watch-rules.js';

let dir: string;
let watch: RulesWatch | undefined;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'harrier-watch-'));
});
afterEach(() => {
  watch?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function watched(debounceMs = 50) {
  const file = path.join(dir, 'rules.yaml');
  await writeFile(file, '- list: a\n  items: []\n');
  let calls = 0;
  watch = watchRulesFiles([file], () => calls++, { debounceMs });
  return { file, calls: () => calls };
}

describe('watchRulesFiles', () => {
  it('calls once for a burst of writes to a watched file', async () => {
    const { file, calls } = await watched();
    for (let i = 0; i < 5; i++) await writeFile(file, `- list: a\n  items: [${i}]\n`);
    await expect.poll(calls).toBe(1);
    await delay(150);
    expect(calls()).toBe(1);
  });

  it('sees a file replaced by a rename, as editors and atomic writers do', async () => {
    const { file, calls } = await watched();
    await writeFile(path.join(dir, 'rules.yaml.tmp'), '- list: b\n  items: []\n');
    await rename(path.join(dir, 'rules.yaml.tmp'), file);
    await expect.poll(calls).toBeGreaterThanOrEqual(1);
  });

  it('ignores other files in the same directory', async () => {
    const { calls } = await watched();
    await writeFile(path.join(dir, 'notes.txt'), 'hello');
    await delay(200);
    expect(calls()).toBe(0);
  });

  it('reports a directory it cannot watch, and calls nothing after close', async () => {
    const errors: string[] = [];
    watch = watchRulesFiles([path.join(dir, 'missing', 'rules.yaml')], () => undefined, {
      onError: (directory) => errors.push(directory),
    });
    expect(errors).toEqual([path.join(dir, 'missing')]);
    const { file, calls } = await watched();
    watch.close();
    await writeFile(file, 'changed');
    await delay(150);
    expect(calls()).toBe(0);
  });
});
