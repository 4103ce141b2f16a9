/**
 * Time-ordered alert ids in ULID layout: 10 Crockford base32 characters of the alert's event time (ms),
 * then 16 of randomness. Ids sort by event time as strings, so Redis can range over them lexicographically.
 * Within one millisecond this process increments the random part, keeping ids from a burst in arrival order.
 */
import { randomBytes } from 'node:crypto';
import { MINUTE_MS } from './alert-counters.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_LEN = 10;
const RANDOM_LEN = 16;
const MAX_TIME = 2 ** 48 - 1;

export function encodeIdTime(ms: number): string {
  let t = Math.min(Math.max(Math.floor(ms), 0), MAX_TIME);
  let out = '';
  for (let i = 0; i < TIME_LEN; i++) {
    out = ALPHABET[t % 32]! + out;
    t = Math.floor(t / 32);
  }
  return out;
}

/** The event time (ms) an id was made for. */
export function idTimeMs(id: string): number {
  let t = 0;
  for (let i = 0; i < TIME_LEN; i++) t = t * 32 + ALPHABET.indexOf(id[i]!);
  return t;
}

/** The minute (since the epoch) of the event time an id was made for: it keys the per-minute slots and records. */
export function idMinute(id: string): number {
  return Math.floor(idTimeMs(id) / MINUTE_MS);
}

/** The smallest id that an alert at `ms` can have: a lexicographic bound for time ranges. */
export function idFloor(ms: number): string {
  return encodeIdTime(ms) + '0'.repeat(RANDOM_LEN);
}

function randomPart(): number[] {
  return [...randomBytes(RANDOM_LEN)].map((b) => b % 32);
}

function increment(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i]! < 31) {
      next[i]! += 1;
      return next;
    }
    next[i] = 0;
  }
  return randomPart();
}

export class AlertIdGenerator {
  private lastTime = -1;
  private lastRandom: number[] = [];

  next(timeMs: number): string {
    const time = encodeIdTime(timeMs);
    const ms = Math.floor(timeMs);
    this.lastRandom = ms === this.lastTime ? increment(this.lastRandom) : randomPart();
    this.lastTime = ms;
    return time + this.lastRandom.map((d) => ALPHABET[d]).join('');
  }
}
