/** Where the sensor puts alerts: the hub, or stdout. */
import type { FalcoAlert } from '@harrier/alert';

export interface AlertSink {
  /** Resolves once the alert is delivered; rejects with a `DeliveryError` when the sink gives up on it. */
  send(alert: FalcoAlert): Promise<void>;
}

export type DeliveryErrorCode =
  /** No answer: connection refused, DNS failure or timeout, on every attempt. */
  | 'HUB_UNREACHABLE'
  /** The hub answered, but with a server error or "too many requests", on every attempt. */
  | 'HUB_UNAVAILABLE'
  /** The hub refused the alert itself (4xx); retrying would not help. */
  | 'HUB_REJECTED';

export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';

  constructor(
    readonly code: DeliveryErrorCode,
    message: string,
    readonly attempts: number,
  ) {
    super(message);
  }
}
