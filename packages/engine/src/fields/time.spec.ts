import { describe, expect, it } from 'vitest';
import { eventTimes, formatClock, formatIso, parseRfc3339 } from './time.js';

/** The expected value, computed independently with Date.parse and string padding. */
function expected(stamp: string): bigint {
  const match = /^(.{19})(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(stamp);
  if (!match) throw new Error(stamp);
  const [, second = '', fraction = '', zone = ''] = match;
  return BigInt(Date.parse(`${second}${zone}`)) * 1_000_000n + BigInt(fraction.slice(0, 9).padEnd(9, '0'));
}

describe('parseRfc3339', () => {
  const stamps = [
    '2024-05-01T10:00:00Z',
    '2024-05-01T10:00:00.5Z',
    '2024-05-01T10:00:00.000000001Z',
    '2024-05-01T10:00:00.123456789Z',
    '2024-05-01T10:00:00.428398Z',
    '2024-05-01T10:00:01.1Z',
    '2024-05-01T12:00:00.25+02:00',
    '2018-10-20T00:18:28.428398Z',
    '2018-10-20T00:18:28.4283981234Z',
  ];

  it.each(stamps)('parses %s to the nanosecond, on the slow and the cached path', (stamp) => {
    const first = parseRfc3339(stamp);
    const second = parseRfc3339(stamp);
    expect(first).toBe(expected(stamp));
    expect(second).toBe(first);
  });

  it.each(['2024-05-01', '2024-05-01T10:00:00', '2024-05-01T10:00:00.Z', '2024-05-01T10:00:00.1xZ', 'yesterday'])(
    'refuses %s, also right after a valid time in the same second',
    (stamp) => {
      parseRfc3339('2024-05-01T10:00:00.1Z');
      expect(parseRfc3339(stamp)).toBeUndefined();
    },
  );
});

describe('time formats', () => {
  it('prints the clock and ISO forms in UTC with nine digits', () => {
    const ns = 1_714_557_600_010_000_001n;
    expect(formatClock(ns)).toBe('10:00:00.010000001');
    expect(formatIso(ns)).toBe('2024-05-01T10:00:00.010000001Z');
    expect(eventTimes(ns)).toMatchObject({ clock: '10:00:00.010000001', iso: '2024-05-01T10:00:00.010000001Z' });
    expect(eventTimes(ns + 1n).clock).toBe('10:00:00.010000002');
  });
});
