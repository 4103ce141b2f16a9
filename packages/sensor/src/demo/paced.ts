/** The demo sources' clockwork: one item every `intervalMs`, until `count` or the signal. */
import type { Clock } from '../clock.js';

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
