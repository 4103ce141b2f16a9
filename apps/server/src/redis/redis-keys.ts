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
    /** Overview counters of one minute, hour or day bucket (`alert-counters.ts`): a hash of field → count. */
    counter: (bucket: string) => `${prefix}cnt:${bucket}`,
    /** The days that have counters, each as member and score. */
    counterDays: `${prefix}cnt:days`,
    /** Held (with an expiry) by the replica that trims old alerts. */
    retentionLock: `${prefix}lock:retention`,
    /** One output's delivery keys, hash-tagged so they share a Redis Cluster slot (the Lua scripts need it). */
    delivery: (output: string) => {
      const base = `${prefix}dq:{${output}}`;
      return { stream: base, retry: `${base}:retry`, dead: `${base}:dead`, stats: `${base}:stats` };
    },
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
