/** A seeded random generator and the few draws the demo needs, so a seed replays a run exactly. */

/** Uniform numbers in [0, 1), like `Math.random`. */
export type Random = () => number;

/** mulberry32: tiny, fast and good enough for plausible demo data (not for anything secret). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An integer from `min` to `max`, both included. */
export function integer(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** An item chosen in proportion to its `weight`. */
export function pickWeighted<T extends { weight: number }>(random: Random, items: readonly T[]): T {
  let remaining = random() * items.reduce((sum, item) => sum + item.weight, 0);
  for (const item of items) {
    remaining -= item.weight;
    if (remaining < 0) return item;
  }
  // Only rounding can get here: the draw fell on the very end of the range.
  const last = items.at(-1);
  if (last === undefined) throw new Error('pick from an empty list');
  return last;
}
