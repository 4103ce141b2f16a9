/** The demo sources' clockwork: one item every `intervalMs`, until `count` or the signal. */
import { systemClock, type Clock } from '../clock.js';
import type { EventSource } from '../source.js';
import { seededRandom, type Random } from './random.js';

export interface Pace {
  /** Items per second; fractions allowed. */
  rate: number;
  /** Stop after this many; until the signal when undefined. */
  count: number | undefined;
  clock: Clock;
}

/** Checks the options a paced source is given; throws a RangeError naming what is wrong. */
export function checkPace(rate: number, count: number | undefined): void {
  if (!(rate > 0 && Number.isFinite(rate))) throw new RangeError(`rate must be a positive number, got ${rate}`);
  if (count !== undefined && !(Number.isInteger(count) && count >= 0)) {
    throw new RangeError(`count must be a whole number, got ${count}`);
  }
}

export async function* paced<T>(pace: Pace, signal: AbortSignal, create: (epochMs: number) => T): AsyncGenerator<T> {
  const { clock, count } = pace;
  const intervalMs = 1000 / pace.rate;
  let due = clock.now();
  for (let sent = 0; count === undefined || sent < count; sent++) {
    // A consumer that fell behind (a hub retrying) resumes at the rate, rather than catching up in a burst.
    due = Math.max(due, clock.now());
    await clock.sleep(due - clock.now(), signal);
    if (signal.aborted) return;
    yield create(clock.now());
    due += intervalMs;
  }
}

export interface PacedSourceOptions {
  /** Items per second; fractions allowed. */
  rate?: number;
  /** Stop after this many items. Default: until `stop()`. */
  count?: number;
  /** Default: seeded from the current time, so each run differs. */
  random?: Random;
  clock?: Clock;
}

/** A source making one item per tick with `create(random, epochMs)`: what the demo sources share. */
export class PacedSource<T> implements EventSource<T> {
  readonly name = 'demo';
  private readonly pace: Pace;
  private readonly random: Random;
  private running: AbortController | undefined;

  constructor(
    options: PacedSourceOptions,
    defaultRate: number,
    private readonly create: (random: Random, epochMs: number) => T,
  ) {
    const { rate = defaultRate, count } = options;
    checkPace(rate, count);
    this.pace = { rate, count, clock: options.clock ?? systemClock };
    this.random = options.random ?? seededRandom(Date.now());
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

  async *events(): AsyncGenerator<T> {
    const signal = this.running?.signal;
    if (signal === undefined) throw new Error(`${this.constructor.name}.events() called before start()`);
    yield* paced(this.pace, signal, (epochMs) => this.create(this.random, epochMs));
  }
}
