/**
 * The one interface every event source implements — the kube-apiserver audit webhook, audit log files, the procfs
 * sensor and the demo generator — so whatever consumes events never knows, or cares, which source it reads.
 */
import type { EngineEvent } from '@harrier/engine';

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

/** The engine sources a sensor feeds (Falco's names: the k8saudit plugin's and the kernel's). */
export type SensorEventSource = 'k8s_audit' | 'syscall';

/** What the audit-log, procfs and demo-activity sources yield: an engine event and the rules source it is for. */
export interface SensorEvent {
  source: SensorEventSource;
  event: EngineEvent;
}

/** Something a source could not turn into events (a malformed audit line, an unreadable file); never fatal. */
export interface SourceProblem {
  /** Where: a file and line, a pid. */
  where: string;
  message: string;
}
