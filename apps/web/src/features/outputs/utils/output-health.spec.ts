import { describe, expect, it } from 'vitest';
import { outputHealth, timeAgo } from './output-health';

const depth = { queued: 0, retrying: 0, dead: 0 };
const counters = { delivered: 0, failed: 0, retried: 0, dead: 0 };

describe('outputHealth', () => {
  it('is idle before any attempt, healthy after a success', () => {
    expect(outputHealth({ counters, depth })).toBe('idle');
    expect(outputHealth({ counters: { ...counters, lastSuccessAt: 5 }, depth })).toBe('healthy');
  });

  it('is failing while the last attempt failed', () => {
    expect(outputHealth({ counters: { ...counters, lastErrorAt: 5 }, depth })).toBe('failing');
    expect(outputHealth({ counters: { ...counters, lastSuccessAt: 4, lastErrorAt: 5 }, depth })).toBe('failing');
  });

  it('reports dead letters left after it recovered', () => {
    expect(
      outputHealth({ counters: { ...counters, lastErrorAt: 4, lastSuccessAt: 5 }, depth: { ...depth, dead: 2 } }),
    ).toBe('dead-letters');
  });
});

describe('timeAgo', () => {
  it('picks a unit by size', () => {
    expect(timeAgo(0, 12_400)).toBe('12 s ago');
    expect(timeAgo(0, 5 * 60_000 + 10_000)).toBe('5 min ago');
    expect(timeAgo(0, 3 * 3_600_000)).toBe('3 h ago');
    expect(timeAgo(0, 72 * 3_600_000)).toBe('3 d ago');
    expect(timeAgo(1_000, 0)).toBe('0 s ago');
  });
});
