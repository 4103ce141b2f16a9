import type { Alert } from '@harrier/alert';
import { describe, expect, it } from 'vitest';
import { describeAlertStoreContract } from './alert-store.contract.js';
import { MemoryDeliveryQueue } from '../outputs/delivery/memory-delivery.queue.js';
import { AlertIdGenerator } from './alert-id.js';
import { MemoryAlertStore } from './memory-alert.store.js';

describeAlertStoreContract(
  'MemoryAlertStore',
  () => Promise.resolve(new MemoryAlertStore(500, new MemoryDeliveryQueue())),
  500,
);

describe('MemoryAlertStore when full for a long while', () => {
  it('keeps exactly the newest alerts, in order, with their counts, across many evictions', async () => {
    const store = new MemoryAlertStore(1_500, new MemoryDeliveryQueue());
    const ids = new AlertIdGenerator();
    const start = Date.parse('2026-03-01T00:00:00Z');
    const saved: Alert[] = [];
    for (let i = 0; i < 10_000; i++) {
      // Every tenth alert arrives late, among those already stored; a few so late that they are the oldest.
      const ms = start + i * 1_000 - (i % 10 === 9 ? 4_500 : 0) - (i % 1_000 === 999 ? 3_600_000 : 0);
      const alert: Alert = {
        id: ids.next(ms),
        time: new Date(ms).toISOString(),
        rule: `r${i % 7}`,
        priority: 'Notice',
        source: 'syscall',
        output: `alert ${i}`,
        output_fields: { 'k8s.pod.name': `web-${i % 3}` },
        tags: ['container'],
        hostname: 'node-a',
      };
      saved.push(alert);
      await store.save(alert, []);
    }
    const newest = [...saved].sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, 1_500);
    const pages: Alert[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.query({ filter: {}, limit: 400, ...(cursor ? { cursor } : {}) });
      pages.push(...page.alerts);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages.map((a) => a.id)).toEqual(newest.map((a) => a.id));
    expect((await store.stats({}, 60_000, 10))!.total).toBe(1_500);
    const kept = new Set(newest.map((a) => a.id));
    const found = await Promise.all(saved.map((a) => store.get(a.id)));
    expect(saved.filter((a, i) => (found[i] !== undefined) !== kept.has(a.id))).toEqual([]);
    const oldestKept = newest.at(-1)!;
    expect(await store.trim(Date.parse(oldestKept.time) + 1, 1_500, 10_000)).toBeGreaterThan(0);
    expect((await store.query({ filter: {}, limit: 2_000 })).alerts.every((a) => a.id > oldestKept.id)).toBe(true);
  });
});
