import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { DeadlineSignals, SHARE_MS } from './deadlines.js';

describe('DeadlineSignals', () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  afterEach(() => {
    process.off('warning', onWarning);
    warnings.length = 0;
  });

  it('shares one signal among attempts that start within SHARE_MS, then makes a new one', () => {
    const deadlines = new DeadlineSignals(5_000);
    const first = deadlines.next(1_000);
    expect(deadlines.next(1_000 + SHARE_MS - 1)).toBe(first);
    const second = deadlines.next(1_000 + SHARE_MS);
    expect(second).not.toBe(first);
    expect(deadlines.next(1_000 + SHARE_MS + 1)).toBe(second);
    expect(first.aborted || second.aborted).toBe(false);
  });

  it('aborts with a TimeoutError, never before the full timeout of the last attempt sharing it', async () => {
    const deadlines = new DeadlineSignals(40);
    const firstAt = performance.now();
    const signal = deadlines.next(firstAt);
    const lastAt = firstAt + SHARE_MS - 1;
    expect(deadlines.next(lastAt)).toBe(signal);
    await once(signal, 'abort');
    expect(performance.now() - lastAt).toBeGreaterThanOrEqual(40 - 1);
    expect((signal.reason as Error).name).toBe('TimeoutError');
  });

  it('takes a listener from every attempt in flight without a leak warning', async () => {
    process.on('warning', onWarning);
    const signal = new DeadlineSignals(5_000).next();
    const listeners = Array.from({ length: 100 }, () => () => undefined);
    for (const listener of listeners) signal.addEventListener('abort', listener);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    for (const listener of listeners) signal.removeEventListener('abort', listener);
  });
});
