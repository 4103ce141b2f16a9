/** Typed events of the outputs module; metrics and the dashboard's output view subscribe. */
import type { DeliveryOutcome } from './delivery/output-worker.js';

export const DELIVERY_ATTEMPTED = 'delivery.attempted';

/** One attempt to deliver one message (an alert, or a digest of several) finished. */
export class DeliveryAttempted {
  constructor(readonly outcome: DeliveryOutcome) {}
}
