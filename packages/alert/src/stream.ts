/** The live stream's socket.io contract, shared by the hub's gateway and the dashboard's client. */
import type { Alert } from './alert.js';
import type { QueryParams } from './filter.js';
import type { FieldIssue } from './validate.js';

export type SubscribeAck = { ok: true } | { ok: false; issues: FieldIssue[] };

export interface StreamServerEvents {
  /** One stored alert matching the socket's subscription. */
  alert: (alert: Alert) => void;
}

export interface StreamClientEvents {
  /** Replaces the socket's filter (API query parameter names); nothing is pushed before the first one. */
  subscribe: (filter: QueryParams, ack: (result: SubscribeAck) => void) => void;
}
