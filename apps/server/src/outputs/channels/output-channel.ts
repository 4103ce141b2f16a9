/** The one interface every output channel implements; the delivery worker is its only caller. */
import type { Alert } from '@harrier/alert';

export const OUTPUT_TYPES = ['slack', 'smtp', 'webhook'] as const;
export type OutputType = (typeof OUTPUT_TYPES)[number];

export interface ChannelContext {
  /** The output's instance name (e.g. `slack`, `team-a-webhook`), for messages and headers. */
  outputName: string;
  /** Public base URL of the dashboard (PUBLIC_URL), for links in messages; undefined when not configured. */
  dashboardUrl: string | undefined;
}

export interface SendOptions {
  /** Aborted when the attempt times out or the hub shuts down; the channel must stop its I/O. */
  signal: AbortSignal;
}

export interface OutputChannel {
  readonly type: OutputType;
  /**
   * True when the channel can render several alerts as one digest message (Slack, email). The worker then
   * batches bursts into one `send`; otherwise it always passes exactly one alert.
   */
  readonly supportsDigest: boolean;
  /** Delivers the alerts (one message: the alert itself, or a digest of them). Resolves only on success. */
  send(alerts: readonly Alert[], options: SendOptions): Promise<void>;
  close(): Promise<void>;
}

/** A failed attempt. `retryable: false` (e.g. a 400 or a bad address) goes straight to the dead letters. */
export class DeliveryFailure extends Error {
  override readonly name = 'DeliveryFailure';
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The peer's own wish (Slack's and HTTP's `Retry-After`), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
