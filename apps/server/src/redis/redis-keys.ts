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
    /** Held (with an expiry) by the replica that trims old alerts. */
    retentionLock: `${prefix}lock:retention`,
    /** One output's delivery keys, hash-tagged so they share a Redis Cluster slot (the Lua scripts need it). */
    delivery: (output: string) => {
      const base = `${prefix}dq:{${output}}`;
      return {
        stream: base,
        retry: `${base}:retry`,
        dead: `${base}:dead`,
        stats: `${base}:stats`,
        /** The last outcome of one alert's job (`AlertDelivery` JSON), expiring. */
        record: (alertId: string) => `${base}:rec:${alertId}`,
      };
    },
    /** Login state (auth/): sessions by the SHA-256 of their id, API tokens, the generated admin's hash. */
    auth: {
      session: (digest: string) => `${prefix}auth:session:${digest}`,
      tokens: `${prefix}auth:tokens`,
      admin: `${prefix}auth:admin`,
      loginFailures: (key: string) => `${prefix}auth:login-failures:${key}`,
    },
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
