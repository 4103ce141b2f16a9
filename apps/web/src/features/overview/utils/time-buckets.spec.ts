import { describe, expect, it } from 'vitest';
import { bucketFor, MAX_BARS, mergeBuckets, rangeSpanMs, timeDomain } from './time-buckets';

describe('rangeSpanMs', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');

  it('reads a relative since up to now, and an absolute pair as it is', () => {
    expect(rangeSpanMs('15m', undefined, now)).toBe(15 * 60_000);
    expect(rangeSpanMs('2026-01-01T10:00:00Z', '2026-01-01T11:00:00Z', now)).toBe(3_600_000);
  });

  it('is undefined without a since (all of history)', () => {
    expect(rangeSpanMs(undefined, undefined, now)).toBeUndefined();
  });
});

describe('bucketFor', () => {
  it('fits the span in at most MAX_BARS buckets', () => {
    expect(bucketFor(5 * 60_000)).toBe('5s');
    expect(bucketFor(3_600_000)).toBe('1m');
    expect(bucketFor(24 * 3_600_000)).toBe('30m');
    expect(bucketFor(30 * 86_400_000)).toBe('12h');
    expect(bucketFor(90 * 86_400_000)).toBe('1d');
  });
});

describe('mergeBuckets', () => {
  it('keeps fine buckets when few, summing priorities into totals', () => {
    const series = [
      { t: 60_000, counts: { Error: 2, Notice: 1 } },
      { t: 180_000, counts: { Notice: 4 } },
    ];
    const bars = mergeBuckets(series, 60_000, timeDomain(series, 60_000, undefined)!);
    expect(bars).toEqual([
      { start: 60_000, end: 120_000, counts: { Error: 2, Notice: 1 }, total: 3 },
      { start: 180_000, end: 240_000, counts: { Notice: 4 }, total: 4 },
    ]);
  });

  it('merges buckets into whole multiples when the extent needs more than MAX_BARS', () => {
    const series = Array.from({ length: 600 }, (_, i) => ({ t: i * 60_000, counts: { Warning: 1 } }));
    const bars = mergeBuckets(series, 60_000, timeDomain(series, 60_000, undefined)!);
    expect(bars.length).toBeLessThanOrEqual(MAX_BARS);
    expect(bars.reduce((sum, bar) => sum + bar.total, 0)).toBe(600);
    expect(bars[0]).toMatchObject({ start: 0, end: 600_000, total: 10 });
  });
});

describe('timeDomain', () => {
  const series = [{ t: 600_000, counts: { Notice: 1 } }];

  it('spans the data alone for all of history', () => {
    expect(timeDomain(series, 60_000, undefined)).toEqual({ start: 600_000, end: 660_000 });
  });

  it('spans the whole range of a relative since, up to now', () => {
    expect(timeDomain(series, 60_000, 3_600_000, 700_000)).toEqual({ start: 700_000 - 3_600_000, end: 700_000 });
  });

  it('is undefined without data', () => {
    expect(timeDomain([], 60_000, 3_600_000)).toBeUndefined();
  });
});
