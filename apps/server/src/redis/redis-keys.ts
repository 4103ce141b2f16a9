/** Every Redis key the hub uses, in one place. `prefix` lets several installations share one Redis. */
import type { Facet } from '@harrier/alert';

export function redisKeys(prefix: string) {
  return {
    /** JSON of one alert. */
    alert: (id: string) => `${prefix}alert:${id}`,
    /** Every alert id, score 0, ordered lexicographically (= by time). */
    log: `${prefix}alerts`,
    /** Alert ids having `value` for `facet`, same layout as the log. */
    index: (facet: Facet, value: string) => `${prefix}idx:${facet}:${value}`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
