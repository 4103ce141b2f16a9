/** The behaviour every DeliveryQueue must have; run on the memory queue (unit) and Redis (integration). */
import type { Alert } from '@harrier/alert';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertStore } from '../../alerts/alert.store.js';
import type { DeliveryQueue } from './delivery-queue.js';

export interface QueueUnderTest {
  queue: DeliveryQueue;
  /** The store whose save() enqueues jobs in the same round trip. */
  store: AlertStore;
  close(): Promise<void>;
}

let serial = 0;
function alert(rule: string): Alert {
  serial++;
  return {
    id: `01J${String(serial).padStart(23, '0')}`,
    time: new Date().toISOString(),
    rule,
    priority: 'Warning',
    source: 'syscall',
    output: rule,
    output_fields: { n: serial },
    tags: [],
    hostname: 'h',
  };
}

export function describeDeliveryQueueContract(name: string, make: () => Promise<QueueUnderTest>): void {
  describe(`${name} (DeliveryQueue contract)`, () => {
    let q: QueueUnderTest;
    beforeEach(async () => {
      q = await make();
    });
    afterEach(async () => {
      await q.close();
    });

    it('delivers each saved alert once per output it was routed to, and counts acks', async () => {
      await q.store.save(alert('a'), ['hook', 'slack']);
      await q.store.save(alert('b'), ['hook']);
      const hook = await q.queue.read('hook', 'c1', 10, 0);
      expect(hook.map((j) => j.alert.rule)).toEqual(['a', 'b']);
      expect(hook.every((j) => j.attempts === 0 && j.output === 'hook')).toBe(true);
      expect(await q.queue.read('hook', 'c2', 10, 0)).toEqual([]);
      expect((await q.queue.read('slack', 'c1', 10, 0)).map((j) => j.alert.rule)).toEqual(['a']);
      await q.queue.ack('hook', hook);
      expect(await q.queue.depth('hook')).toEqual({ queued: 0, retrying: 0, dead: 0 });
      expect((await q.queue.counters('hook')).delivered).toBe(2);
    });

    it('waits for a job when asked to block', async () => {
      const reading = q.queue.read('hook', 'c1', 10, 2_000);
      await new Promise((r) => setTimeout(r, 50));
      await q.store.save(alert('late'), ['hook']);
      expect((await reading).map((j) => j.alert.rule)).toEqual(['late']);
    });

    it('retries when due, with the attempt counted and the error kept', async () => {
      await q.store.save(alert('r'), ['hook']);
      const [job] = await q.queue.read('hook', 'c1', 1, 0);
      const now = Date.now();
      await q.queue.retry('hook', [job!], now + 60_000, 'HTTP 500');
      expect(await q.queue.depth('hook')).toEqual({ queued: 0, retrying: 1, dead: 0 });
      expect(await q.queue.promoteDue('hook', now)).toBe(0);
      expect(await q.queue.promoteDue('hook', now + 60_000)).toBe(1);
      const [again] = await q.queue.read('hook', 'c1', 1, 0);
      expect(again).toMatchObject({ attempts: 1, lastError: 'HTTP 500' });
      expect(again!.alert).toEqual(job!.alert);
      const counters = await q.queue.counters('hook');
      expect(counters).toMatchObject({ failed: 1, retried: 1, lastError: 'HTTP 500' });
    });

    it('buries for good, lists dead letters with the error, and re-drives them', async () => {
      await q.store.save(alert('d'), ['hook']);
      const jobs = await q.queue.read('hook', 'c1', 1, 0);
      await q.queue.bury('hook', jobs, 'HTTP 400 bad request');
      expect(await q.queue.depth('hook')).toEqual({ queued: 0, retrying: 0, dead: 1 });
      const [letter] = await q.queue.deadLetters('hook', 10);
      expect(letter).toMatchObject({ error: 'HTTP 400 bad request', job: { attempts: 1 } });
      expect(await q.queue.redrive('hook', [letter!.job.id])).toBe(1);
      expect(await q.queue.redrive('hook')).toBe(0);
      const [again] = await q.queue.read('hook', 'c1', 1, 0);
      expect(again).toMatchObject({ attempts: 0, alert: { rule: 'd' } });
    });

    it('records each alert’s last outcome per output: delivered, retrying, dead, queued again on re-drive', async () => {
      const sent = alert('sent');
      const failing = alert('failing');
      await q.store.save(sent, ['hook', 'slack']);
      await q.store.save(failing, ['hook']);
      expect(await q.queue.deliveries(sent.id, ['hook', 'slack'])).toEqual([]);

      const [sentJob, failingJob] = await q.queue.read('hook', 'c1', 2, 0);
      await q.queue.ack('hook', [sentJob!]);
      const dueAt = Date.now() + 60_000;
      await q.queue.retry('hook', [failingJob!], dueAt, 'HTTP 503');
      const [delivered] = await q.queue.deliveries(sent.id, ['hook', 'slack']);
      expect(delivered).toMatchObject({ output: 'hook', state: 'delivered', attempts: 1 });
      expect(delivered!.updatedAt).toBeGreaterThan(0);
      expect(await q.queue.deliveries(failing.id, ['hook'])).toEqual([
        expect.objectContaining({
          output: 'hook',
          state: 'retrying',
          attempts: 1,
          nextAttemptAt: dueAt,
          lastError: 'HTTP 503',
        }),
      ]);

      await q.queue.promoteDue('hook', dueAt);
      const [again] = await q.queue.read('hook', 'c1', 1, 0);
      await q.queue.bury('hook', [again!], 'HTTP 400 bad request');
      expect(await q.queue.deliveries(failing.id, ['hook'])).toEqual([
        expect.objectContaining({ state: 'dead', attempts: 2, lastError: 'HTTP 400 bad request' }),
      ]);

      await q.queue.redrive('hook');
      expect(await q.queue.deliveries(failing.id, ['hook'])).toEqual([
        expect.objectContaining({ output: 'hook', state: 'queued', attempts: 0 }),
      ]);
      expect(await q.queue.deliveries(failing.id, [])).toEqual([]);
      // Re-driven, it goes through at its first attempt since.
      await q.queue.ack('hook', await q.queue.read('hook', 'c1', 1, 0));
      expect(await q.queue.deliveries(failing.id, ['hook'])).toEqual([
        expect.objectContaining({ output: 'hook', state: 'delivered', attempts: 1 }),
      ]);
    });

    it('records a delivery after retries with its attempts', async () => {
      const late = alert('late');
      await q.store.save(late, ['hook']);
      const now = Date.now();
      await q.queue.retry('hook', await q.queue.read('hook', 'c1', 1, 0), now, 'HTTP 503');
      await q.queue.promoteDue('hook', now);
      await q.queue.ack('hook', await q.queue.read('hook', 'c1', 1, 0));
      expect(await q.queue.deliveries(late.id, ['hook'])).toEqual([
        expect.objectContaining({ output: 'hook', state: 'delivered', attempts: 2 }),
      ]);
    });

    it('gives a consumer back the jobs it read and never settled', async () => {
      await q.store.save(alert('interrupted'), ['hook']);
      await q.queue.read('hook', 'replica-a', 1, 0);
      expect(await q.queue.recover('hook', 'replica-b', 10)).toEqual([]);
      expect((await q.queue.recover('hook', 'replica-a', 10)).map((j) => j.alert.rule)).toEqual(['interrupted']);
    });

    it('hands jobs left unsettled by a dead consumer to another after the idle time', async () => {
      await q.store.save(alert('orphan'), ['hook']);
      await q.queue.read('hook', 'dead-replica', 1, 0);
      expect(await q.queue.claimStale('hook', 'c2', 60_000, 10)).toEqual([]);
      await new Promise((r) => setTimeout(r, 30));
      const claimed = await q.queue.claimStale('hook', 'c2', 20, 10);
      expect(claimed.map((j) => j.alert.rule)).toEqual(['orphan']);
      await q.queue.ack('hook', claimed);
      expect((await q.queue.depth('hook')).queued).toBe(0);
    });
  });
}
