/**
 * The one interface every event source implements — the kube-apiserver audit webhook, audit log files, the procfs
 * sensor and the demo generator — so whatever consumes events never knows, or cares, which source it reads.
 */
export interface EventSource<E> {
  /** Names the source in logs and metrics, e.g. `demo` or `k8s-audit-webhook`. */
  readonly name: string;
  /** Acquires what the source needs (a listening port, an open file); events flow only once it resolves. */
  start(): Promise<void>;
  /** Releases it; the iterator from `events()` then finishes. Safe to call more than once. */
  stop(): Promise<void>;
  /** Events in the order they happen, until the source stops or runs out. One consumer at a time. */
  events(): AsyncIterable<E>;
}
