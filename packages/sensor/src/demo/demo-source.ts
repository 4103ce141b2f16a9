/** The demo source: realistic Falco alerts at a steady rate, for trying the hub and dashboard without a cluster. */
import type { FalcoAlert } from '@harrier/alert';
import { systemClock, type Clock } from '../clock.js';
import type { EventSource } from '../source.js';
import { createDemoAlert } from './demo-alerts.js';
import { seededRandom, type Random } from './random.js';

export interface DemoSourceOptions {
  /** Alerts per second; fractions allowed. Default 1. */
  rate?: number;
  /** Stop after this many alerts. Default: until `stop()`. */
  count?: number;
  /** Default: seeded from the current time, so each run differs. */
  random?: Random;
  clock?: Clock;
}

export class DemoSource implements EventSource<FalcoAlert> {
  readonly name = 'demo';
  private readonly intervalMs: number;
  private readonly count: number | undefined;
  private readonly random: Random;
  private readonly clock: Clock;
  private running: AbortController | undefined;

  constructor(options: DemoSourceOptions = {}) {
    const { rate = 1, count } = options;
    if (!(rate > 0 && Number.isFinite(rate))) throw new RangeError(`rate must be a positive number, got ${rate}`);
    if (count !== undefined && !(Number.isInteger(count) && count >= 0)) {
      throw new RangeError(`count must be a whole number, got ${count}`);
    }
    this.intervalMs = 1000 / rate;
    this.count = count;
    this.random = options.random ?? seededRandom(Date.now());
    this.clock = options.clock ?? systemClock;
  }

  start(): Promise<void> {
    this.running ??= new AbortController();
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.running?.abort();
    this.running = undefined;
    return Promise.resolve();
  }

  async *events(): AsyncGenerator<FalcoAlert> {
    const signal = this.running?.signal;
    if (signal === undefined) throw new Error('DemoSource.events() called before start()');
    let due = this.clock.now();
    for (let sent = 0; this.count === undefined || sent < this.count; sent++) {
      // A consumer that fell behind (a hub retrying) resumes at the rate, rather than catching up in a burst.
      due = Math.max(due, this.clock.now());
      await this.clock.sleep(due - this.clock.now(), signal);
      if (signal.aborted) return;
      yield createDemoAlert(this.random, this.clock.now());
      due += this.intervalMs;
    }
  }
}
