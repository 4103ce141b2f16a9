import type { Alert } from '@harrier/alert';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryAlertStore } from '../../alerts/memory-alert.store.js';
import { DeliveryFailure, type OutputChannel } from '../channels/output-channel.js';
import type { OutputDefinition } from '../outputs.config.js';
import type { DeliveryJob } from './delivery-queue.js';
import { MemoryDeliveryQueue } from './memory-delivery.queue.js';
import { OutputWorker, type DeliveryOutcome } from './output-worker.js';

/** A channel that records each send and answers as scripted (the worker is the subject here, not the transport). */
class ScriptedChannel implements OutputChannel {
  readonly type = 'webhook';
  readonly sends: { rules: string[]; at: number }[] = [];
  inFlight = 0;
  peak = 0;
  constructor(
    readonly supportsDigest: boolean,
    private readonly answer: (sendNumber: number) => Promise<void> = () => Promise.resolve(),
  ) {}
  async send(alerts: readonly Alert[]): Promise<void> {
    this.sends.push({ rules: alerts.map((a) => a.rule), at: Date.now() });
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    try {
      await this.answer(this.sends.length);
    } finally {
      this.inFlight--;
    }
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function definition(overrides: Partial<OutputDefinition> = {}): OutputDefinition {
  return {
    name: 'out',
    type: 'webhook',
    config: {},
    filter: { minimumPriority: undefined, route: () => true, exclude: undefined },
    delivery: {
      timeoutMs: 1_000,
      attempts: 3,
      initialBackoffMs: 20,
      maxBackoffMs: 50,
      maxAgeMs: 60_000,
      concurrency: 4,
    },
    grouping: { windowMs: 0, maxAlerts: 1 },
    ...overrides,
  };
}

let n = 0;
const alert = (rule: string): Alert => ({
  id: `01J${String(++n).padStart(23, '0')}`,
  time: new Date().toISOString(),
  rule,
  priority: 'Warning',
  source: 'syscall',
  output: rule,
  output_fields: { n },
  tags: [],
  hostname: 'h',
});

const workers: OutputWorker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

function run(def: OutputDefinition, channel: ScriptedChannel) {
  const queue = new MemoryDeliveryQueue();
  const store = new MemoryAlertStore(1_000, queue);
  const outcomes: DeliveryOutcome[] = [];
  const worker = new OutputWorker(def, channel, queue, 'me', { warn: () => {}, error: () => {} }, (o) =>
    outcomes.push(o),
  );
  workers.push(worker);
  worker.start();
  const save = (...rules: string[]) => Promise.all(rules.map((r) => store.save(alert(r), [def.name])));
  return { queue, save, outcomes };
}

describe('OutputWorker', () => {
  it('delivers each alert once, never more at once than the concurrency', async () => {
    const channel = new ScriptedChannel(false, () => new Promise((r) => setTimeout(r, 20)));
    const { save, queue } = run(definition(), channel);
    await save(...Array.from({ length: 20 }, (_, i) => `r${i}`));
    await expect.poll(() => channel.sends.length).toBe(20);
    expect(new Set(channel.sends.flatMap((s) => s.rules)).size).toBe(20);
    expect(channel.peak).toBeLessThanOrEqual(4);
    await expect.poll(async () => (await queue.counters('out')).delivered).toBe(20);
  });

  it('retries a failed send and buries one that cannot succeed', async () => {
    const channel = new ScriptedChannel(false, (i) =>
      i === 1 ? Promise.reject(new DeliveryFailure('HTTP 500', true)) : Promise.resolve(),
    );
    const { save, queue } = run(definition(), channel);
    await save('flaky');
    await expect.poll(async () => (await queue.counters('out')).delivered).toBe(1);
    expect(channel.sends.map((s) => s.rules[0])).toEqual(['flaky', 'flaky']);

    const refusing = new ScriptedChannel(false, () => Promise.reject(new DeliveryFailure('HTTP 400', false)));
    const second = run(definition(), refusing);
    await second.save('rejected');
    await expect.poll(async () => (await second.queue.depth('out')).dead).toBe(1);
    expect(refusing.sends).toHaveLength(1);
  });

  it('sends the first alert of a burst at once and the rest as one digest after the window', async () => {
    const channel = new ScriptedChannel(true);
    const { save } = run(definition({ grouping: { windowMs: 300, maxAlerts: 100 } }), channel);
    await save('first');
    await expect.poll(() => channel.sends.length).toBe(1);
    await save(...Array.from({ length: 30 }, (_, i) => `burst ${i}`));
    await expect.poll(() => channel.sends.length).toBe(2);
    expect(channel.sends[1]!.rules).toHaveLength(30);
    expect(channel.sends[1]!.at - channel.sends[0]!.at).toBeGreaterThanOrEqual(290);
  });

  it('stops only once the acks of finished sends are written, also those a gathered batch already started', async () => {
    const queue = new (class extends MemoryDeliveryQueue {
      override async ack(output: string, jobs: readonly DeliveryJob[]): Promise<void> {
        // Longer than the worker's blocking read, which stop() waits out first.
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        return super.ack(output, jobs);
      }
    })();
    const store = new MemoryAlertStore(1_000, queue);
    const channel = new ScriptedChannel(false);
    const outcomes: DeliveryOutcome[] = [];
    const worker = new OutputWorker(definition(), channel, queue, 'me', { warn: () => {}, error: () => {} }, (o) =>
      outcomes.push(o),
    );
    worker.start();
    await Promise.all(['a', 'b', 'c'].map((r) => store.save(alert(r), ['out'])));
    await expect.poll(() => channel.sends.length).toBe(3);
    // Past the gathering window: the batch's write is under way when stop() is called.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await worker.stop();
    expect((await queue.counters('out')).delivered).toBe(3);
    expect(outcomes.map((o) => o.status)).toEqual(['delivered', 'delivered', 'delivered']);
  });

  it('keeps delivering when an outcome listener throws', async () => {
    const queue = new MemoryDeliveryQueue();
    const store = new MemoryAlertStore(1_000, queue);
    const channel = new ScriptedChannel(false);
    const errors: string[] = [];
    const worker = new OutputWorker(
      definition(),
      channel,
      queue,
      'me',
      { warn: () => {}, error: (m) => errors.push(m) },
      () => {
        throw new Error('listener broke');
      },
    );
    workers.push(worker);
    worker.start();
    await store.save(alert('one'), ['out']);
    await store.save(alert('two'), ['out']);
    await expect.poll(async () => (await queue.counters('out')).delivered).toBe(2);
    await expect.poll(() => errors).toContain('out: outcome listener failed: listener broke');
  });

  it('reports each outcome', async () => {
    const channel = new ScriptedChannel(false);
    const { save, outcomes } = run(definition(), channel);
    await save('observed');
    await expect.poll(() => outcomes.map((o) => o.status)).toEqual(['delivered']);
    expect(outcomes[0]!.jobs[0]!.alert.rule).toBe('observed');
  });
});
