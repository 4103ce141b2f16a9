/**
 * The durable delivery queue port. Jobs are created with the alert itself (AlertStore.save writes both in one
 * round trip); workers in every replica read, then ack, retry or bury them. A job read but never settled (its
 * replica died) is claimed again after the visibility timeout. Redis and in-memory implementations share one
 * contract suite.
 */
import type { AlertDelivery, DeadLetter, DeliveryJob, OutputCounters, QueueDepth } from '@harrier/alert';

export type { AlertDelivery, DeadLetter, DeliveryJob, OutputCounters, QueueDepth };

/** How long a settled job's outcome stays readable per alert (Redis expires it; memory keeps the newest). */
export const DELIVERY_RECORD_TTL_MS = 7 * 24 * 3_600_000;

export interface DeliveryQueue {
  /** Up to `max` jobs, waiting up to `blockMs` for the first; `consumer` names the reading replica. */
  read(output: string, consumer: string, max: number, blockMs: number): Promise<DeliveryJob[]>;
  /** Jobs this consumer read in an earlier life and never settled (the hub was killed): resumed at start. */
  recover(output: string, consumer: string, max: number): Promise<DeliveryJob[]>;
  /** Jobs read by any consumer and not settled for `idleMs`: taken over by `consumer`. */
  claimStale(output: string, consumer: string, idleMs: number, max: number): Promise<DeliveryJob[]>;
  /** Delivered: gone from the queue, counted. */
  ack(output: string, jobs: readonly DeliveryJob[]): Promise<void>;
  /** Failed, to be tried again at `dueAt` (ms). */
  retry(output: string, jobs: readonly DeliveryJob[], dueAt: number, error: string): Promise<void>;
  /** Failed for good: moved to the dead letters with the error. */
  bury(output: string, jobs: readonly DeliveryJob[], error: string): Promise<void>;
  /** Moves retries whose time has come back into the queue; returns how many. */
  promoteDue(output: string, now: number): Promise<number>;
  deadLetters(output: string, limit: number): Promise<DeadLetter[]>;
  /** Re-queues dead letters (all, or those ids) with their attempts reset; returns how many. */
  redrive(output: string, ids?: readonly string[]): Promise<number>;
  counters(output: string): Promise<OutputCounters>;
  /**
   * The last recorded outcome for `alertId` with each of `outputs` (ack, retry, bury or re-drive); outputs with
   * nothing recorded yet (first attempt pending, or the record expired) are left out.
   */
  deliveries(alertId: string, outputs: readonly string[]): Promise<AlertDelivery[]>;
  depth(output: string): Promise<QueueDepth>;
  /** Releases connections; pending reads resolve empty. */
  close(): Promise<void>;
}

export const DELIVERY_QUEUE = Symbol('DeliveryQueue');
