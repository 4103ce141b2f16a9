import type { FalcoAlert } from '@harrier/alert';
import { DEFAULT_RULES_FILE, loadRules, RuleSet } from '@harrier/engine';
import { describe, expect, it } from 'vitest';
import { DEMO_ACTIVITIES } from '../demo/demo-activity.js';
import { seededRandom } from '../demo/random.js';
import type { Clock } from '../clock.js';
import { DeliveryError, type AlertSink, type SendResult } from '../sink/sink.js';
import type { EventSource, SensorEvent } from '../source.js';
import { Pipeline, type PipelineOptions } from './pipeline.js';

const ruleSet = loadRules([DEFAULT_RULES_FILE]).then((l) => new RuleSet(l.rules));

/** `alerting` events that each raise one alert (a terminal shell in a container), then `quiet` ones that raise none. */
function events(alerting: number, quiet = 0): SensorEvent[] {
  const random = seededRandom(3);
  const make = (name: string, epochMs: number) => {
    const activity = DEMO_ACTIVITIES.find((a) => a.name === name);
    if (activity === undefined) throw new Error(`no demo activity ${name}`);
    return activity.make(random, epochMs);
  };
  return [
    ...Array.from({ length: alerting }, (_, i) => make('terminal shell in a container', 1_714_557_600_000 + i)),
    ...Array.from({ length: quiet }, () => make('list pods (benign)', 1_714_557_600_000)),
  ];
}

class ListSource implements EventSource<SensorEvent> {
  readonly name = 'list';
  stopped = false;
  constructor(private readonly items: readonly SensorEvent[]) {}
  start = () => Promise.resolve();
  stop = () => {
    this.stopped = true;
    return Promise.resolve();
  };
  async *events() {
    for (const item of this.items) {
      if (this.stopped) return;
      yield item;
      await Promise.resolve();
    }
  }
}

/** A sink that fails as `behaviour` says for each call, in turn, and then accepts. */
class ScriptedSink implements AlertSink {
  readonly received: FalcoAlert[] = [];
  readonly batches: number[] = [];
  calls = 0;
  constructor(private readonly behaviour: (call: number) => 'ok' | 'unreachable' | 'reject-first') {}
  send(alerts: readonly FalcoAlert[]): Promise<SendResult> {
    const outcome = this.behaviour(this.calls++);
    if (outcome === 'unreachable')
      return Promise.reject(new DeliveryError('HUB_UNREACHABLE', 'connect ECONNREFUSED', 5));
    this.batches.push(alerts.length);
    if (outcome === 'reject-first') {
      this.received.push(...alerts.slice(1));
      return Promise.resolve({ rejected: 1, reason: 'answered 400' });
    }
    this.received.push(...alerts);
    return Promise.resolve({ rejected: 0 });
  }
}

/** Waits until the signal aborts, however long the wait asked for: a hub that stays away for good. */
const patientClock: Clock = {
  now: () => 0,
  sleep: (_ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) resolve();
      signal?.addEventListener('abort', () => resolve(), { once: true });
    }),
};

async function run(items: SensorEvent[], sink: AlertSink, options: Partial<PipelineOptions> = {}) {
  const log: string[] = [];
  const pipeline = new Pipeline({
    source: new ListSource(items),
    ruleSet: await ruleSet,
    sink,
    retryDelayMs: 1,
    log: (m) => log.push(m),
    ...options,
  });
  const stats = await pipeline.run(new AbortController().signal);
  return { stats, log };
}

describe('Pipeline', () => {
  it('evaluates every event and delivers every alert, in order', async () => {
    const sink = new ScriptedSink(() => 'ok');
    const { stats } = await run(events(20, 30), sink);
    expect(stats).toEqual({ events: 50, alerts: 20, sent: 20, dropped: 0, rejected: 0 });
    expect(sink.received.map((a) => a.rule)).toEqual(Array(20).fill('Harrier: Terminal Shell In Container'));
    expect(sink.received.map((a) => a.time)).toEqual([...sink.received.map((a) => a.time)].sort());
  });

  it('keeps alerts while the hub is unreachable and delivers them, in order, once it is back', async () => {
    const sink = new ScriptedSink((call) => (call < 4 ? 'unreachable' : 'ok'));
    const { stats, log } = await run(events(10), sink);
    expect(stats).toMatchObject({ alerts: 10, sent: 10, dropped: 0 });
    expect(sink.received.map((a) => a.time)).toEqual([...sink.received.map((a) => a.time)].sort());
    expect(log[0]).toMatch(/connect ECONNREFUSED; \d+ alerts buffered, trying again/);
  });

  it('counts and reports what overflows the buffer, and what is still undelivered at the end', async () => {
    const sink = new ScriptedSink(() => 'unreachable');
    const { stats, log } = await run(events(30), sink, { bufferSize: 5, drainTimeoutMs: 30 });
    expect(stats).toEqual({ events: 30, alerts: 30, sent: 0, dropped: 30, rejected: 0 });
    expect(log).toContain('buffer of 5 alerts full: 1 dropped so far');
    expect(log).toContain('5 alerts still undelivered at exit are dropped');
  });

  it('counts an alert the hub refuses and goes on with the rest', async () => {
    const sink = new ScriptedSink((call) => (call === 0 ? 'reject-first' : 'ok'));
    const { stats, log } = await run(events(3), sink);
    expect(stats).toMatchObject({ alerts: 3, sent: 2, rejected: 1, dropped: 0 });
    expect(log).toEqual(['alerts refused (1 so far): answered 400']);
  });

  it('gathers alerts into batches of at most maxBatch, lingering for a batch to fill', async () => {
    const sink = new ScriptedSink(() => 'ok');
    const { stats } = await run(events(10), sink, { maxBatch: 4, lingerMs: 1_000 });
    expect(stats.sent).toBe(10);
    expect(sink.batches).toEqual([4, 4, 2]);
  });

  it('when interrupted while the hub is away, stops without waiting and counts what it drops', async () => {
    const stop = new AbortController();
    const sink = new ScriptedSink((call) => {
      if (call === 0) setTimeout(() => stop.abort(), 0);
      return 'unreachable';
    });
    const log: string[] = [];
    const pipeline = new Pipeline({
      source: new ListSource(events(5)),
      ruleSet: await ruleSet,
      sink,
      clock: patientClock,
      log: (m) => log.push(m),
    });
    const stats = await pipeline.run(stop.signal);
    expect(stats).toEqual({ events: 5, alerts: 5, sent: 0, dropped: 5, rejected: 0 });
    expect(log).toContain('5 alerts still undelivered at exit are dropped');
  });

  it('stops reading when the signal aborts', async () => {
    const stop = new AbortController();
    const sink = new ScriptedSink((call) => {
      if (call === 2) stop.abort();
      return 'ok';
    });
    const source = new ListSource(events(1000));
    const pipeline = new Pipeline({ source, ruleSet: await ruleSet, sink, lingerMs: 0 });
    const stats = await pipeline.run(stop.signal);
    expect(source.stopped).toBe(true);
    expect(stats.events).toBeLessThan(1000);
    expect(stats.sent).toBe(stats.alerts);
  });
});
