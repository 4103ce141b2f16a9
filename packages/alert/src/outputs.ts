/** The outputs API's shapes (`/api/v1/outputs`), shared by the hub and the dashboard. */
import type { Alert } from './alert.js';

export interface DeliveryJob {
  /** Unique per job (the Redis stream entry id, or a counter in memory). */
  id: string;
  output: string;
  alert: Alert;
  /** Attempts made so far. */
  attempts: number;
  /** When the job was first queued (ms). */
  queuedAt: number;
  lastError?: string;
}

export interface DeadLetter {
  job: DeliveryJob;
  error: string;
  failedAt: number;
}

export interface OutputCounters {
  delivered: number;
  /** Failed attempts, each retried or buried. */
  failed: number;
  retried: number;
  dead: number;
  lastSuccessAt?: number;
  lastErrorAt?: number;
  lastError?: string;
}

export interface QueueDepth {
  /** Waiting to be read or being worked on. */
  queued: number;
  /** Waiting for their retry time. */
  retrying: number;
  dead: number;
}

export interface OutputStatus {
  name: string;
  type: string;
  /** The output's channel keys, secrets masked. */
  config: Record<string, unknown>;
  counters: OutputCounters;
  depth: QueueDepth;
}

/** Where one alert stands with one output: waiting, sent, waiting to try again, or given up on. */
export type DeliveryState = 'queued' | 'delivered' | 'retrying' | 'dead';

/** One row of `GET /api/v1/alerts/:id/deliveries`. */
export interface AlertDelivery {
  output: string;
  state: DeliveryState;
  /** Attempts made so far. */
  attempts: number;
  /** When the state was last recorded (ms); absent while the first attempt is pending. */
  updatedAt?: number;
  /** For `retrying`: when the next attempt is due (ms). */
  nextAttemptAt?: number;
  lastError?: string;
}
