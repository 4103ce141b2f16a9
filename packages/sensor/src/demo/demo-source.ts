/** The demo source: realistic Falco alerts at a steady rate, for trying the hub and dashboard without a cluster. */
import type { FalcoAlert } from '@harrier/alert';
import { systemClock, type Clock } from '../clock.js';
import type { EventSource } from '../source.js';
import { createDemoAlert } from './demo-alerts.js';
import { checkPace, paced } from './paced.js';
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
  private readonly rate: number;
  private readonly count: number | undefined;
  private readonly random: Random;
  private readonly clock: Clock;
  private running: AbortController | undefined;

  constructor(options: DemoSourceOptions = {}) {
    const { rate = 1, count } = options;
    checkPace(rate, count);
    this.rate = rate;
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
    const pace = { rate: this.rate, count: this.count, clock: this.clock };
    yield* paced(pace, signal, (epochMs) => createDemoAlert(this.random, epochMs));
  }
}
