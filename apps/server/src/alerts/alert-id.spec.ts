import { ALERT_ID } from '@harrier/alert';
import { describe, expect, it } from 'vitest';
import { AlertIdGenerator, idFloor } from './alert-id.js';

describe('AlertIdGenerator', () => {
  it('makes ULID-shaped ids that sort by event time', () => {
    const ids = new AlertIdGenerator();
    const late = ids.next(Date.parse('2026-01-02T00:00:00Z'));
    const early = ids.next(Date.parse('2026-01-01T00:00:00Z'));
    expect(late).toMatch(ALERT_ID);
    expect(early < late).toBe(true);
  });

  it('keeps arrival order within one millisecond', () => {
    const ids = new AlertIdGenerator();
    const t = Date.now();
    const burst = Array.from({ length: 1000 }, () => ids.next(t));
    expect([...burst].sort()).toEqual(burst);
    expect(new Set(burst).size).toBe(1000);
  });

  it('bounds time ranges with idFloor', () => {
    const ids = new AlertIdGenerator();
    const t = Date.parse('2026-03-04T05:06:07.089Z');
    const id = ids.next(t);
    expect(idFloor(t) <= id).toBe(true);
    expect(id < idFloor(t + 1)).toBe(true);
  });
});
