/** Where the sensor puts alerts: the hub, or stdout. */
import type { FalcoAlert } from '@harrier/alert';

export interface SendOptions {
  /** Abandon the batch at once, the request under way included (the sensor's time to drain is up). */
  signal?: AbortSignal;
  /** No more waiting between attempts (the sensor is stopping): the attempt under way is the last. */
  hurry?: AbortSignal;
}

export interface SendResult {
  /** Alerts the receiver refused for good (e.g. the hub answered 400); the others were delivered. */
  rejected: number;
  /** Why, for the first one refused. */
  reason?: string;
}

export interface AlertSink {
  /**
   * Delivers a batch, in order. Resolves once every alert is delivered or refused for good; rejects with a
   * `DeliveryError` when the sink gives up on the batch (its retries spent, or `signal`/`hurry` aborted), and the
   * batch may then be sent again.
   */
  send(alerts: readonly FalcoAlert[], options?: SendOptions): Promise<SendResult>;
}

export type DeliveryErrorCode =
  /** No answer: connection refused, DNS failure or timeout, on every attempt. */
  | 'HUB_UNREACHABLE'
  /** The hub answered, but with a server error or "too many requests", on every attempt. */
  | 'HUB_UNAVAILABLE';

export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';

  constructor(
    readonly code: DeliveryErrorCode,
    message: string,
    readonly attempts: number,
    /** Alerts at the front of the batch that were delivered before the sink gave up on the rest. */
    readonly delivered = 0,
  ) {
    super(message);
  }
}
