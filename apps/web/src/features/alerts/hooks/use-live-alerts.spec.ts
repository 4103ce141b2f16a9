import type { Alert } from '@harrier/alert';
import { describe, expect, it } from 'vitest';
import { prependAlerts } from './use-live-alerts';

function alert(id: string): Alert {
  return {
    id,
    time: '2026-01-01T00:00:00Z',
    rule: 'Terminal shell in container',
    priority: 'Notice',
    source: 'syscalls',
    output: 'A shell was spawned',
    output_fields: { 'k8s.pod.name': 'web-1' },
    tags: [],
    hostname: 'node-1',
  };
}

const ids = (data: ReturnType<typeof prependAlerts>) => data.pages.map((page) => page.alerts.map((a) => a.id));

describe('prependAlerts', () => {
  const data = {
    pages: [
      { alerts: [alert('C'), alert('B')], nextCursor: 'B' },
      { alerts: [alert('A')], nextCursor: null },
    ],
    pageParams: [null, 'B'],
  };

  it('puts pushed alerts on top of the first page, newest first', () => {
    expect(ids(prependAlerts(data, [alert('D'), alert('E')]))).toEqual([['E', 'D', 'C', 'B'], ['A']]);
  });

  it('skips alerts already listed on any page or pushed twice', () => {
    expect(ids(prependAlerts(data, [alert('A'), alert('C'), alert('D'), alert('D')]))).toEqual([
      ['D', 'C', 'B'],
      ['A'],
    ]);
  });

  it('returns the same object when nothing is new, so observers are not notified', () => {
    expect(prependAlerts(data, [alert('B')])).toBe(data);
  });

  it('leaves page parameters alone', () => {
    expect(prependAlerts(data, [alert('D')]).pageParams).toBe(data.pageParams);
  });

  it('keeps only the newest alerts past the cap, continuing the list from the last one kept', () => {
    const capped = prependAlerts(data, [alert('D'), alert('E')], 3);
    expect(ids(capped)).toEqual([['E', 'D', 'C']]);
    expect(capped.pages[0]!.nextCursor).toBe('C');
    expect(capped.pageParams).toEqual([null]);
  });
});
