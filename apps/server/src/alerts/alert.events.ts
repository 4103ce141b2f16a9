/** Typed events raised by the alerts module; consumers subscribe with `@OnEvent(ALERT_INGESTED)`. */
import type { Alert } from '@harrier/alert';

export const ALERT_INGESTED = 'alert.ingested';

/** An alert has been durably stored; streaming and delivery react to it. */
export class AlertIngested {
  constructor(readonly alert: Alert) {}
}

export const ALERT_REJECTED = 'alert.rejected';
