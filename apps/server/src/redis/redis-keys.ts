/** Every Redis key the hub uses, in one place. `prefix` lets several installations share one Redis. */
import type { Facet } from '@harrier/alert';

export function redisKeys(prefix: string) {
  return {
    /** One alert, compressed (`alert-codec.ts`). */
    alert: (id: string) => `${prefix}a:${id}`,
    /** The ids (16 bytes each, in arrival order) of every alert of one minute of event time (`minute` = ms / 60000). */
    logSlot: (minute: number) => `${prefix}l:${minute}`,
    /** The same for the alerts of that minute having `value` for `facet` and the priority of index `priority`. */
    indexSlot: (facet: Facet, value: string, priority: string, minute: number) =>
      `${prefix}x:${facet}:${value}:${priority}:${minute}`,
    /** Overview counters of one minute, hour or day bucket (`alert-counters.ts`): a hash of field → count. */
    counter: (bucket: string) => `${prefix}cnt:${bucket}`,
    /** The days that have counters, each as member and score. */
    counterDays: `${prefix}cnt:days`,
    /** Per counter hash (by key), a number moved by every write to it, so a reader can tell its copy is current. */
    counterVersions: `${prefix}cnt:ver`,
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
        /** First-attempt deliveries of the alerts of one minute of event time, compactly, expiring. */
        delivered: (minute: number) => `${base}:ok:${minute}`,
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
