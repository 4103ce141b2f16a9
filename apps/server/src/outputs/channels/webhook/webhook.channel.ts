/** Webhook: the alert JSON, POSTed (or PUT) to the address with custom headers and an optional HMAC signature. */
import { createHmac } from 'node:crypto';
import type { Alert } from '@harrier/alert';
import type { ChannelContext, OutputChannel, SendOptions } from '../output-channel.js';
import { HttpSender, JSON_CONTENT_TYPE, USER_AGENT } from '../shared/http-delivery.js';
import type { WebhookConfig } from './webhook.config.js';
import { webhookBody } from './webhook.format.js';

export const SIGNATURE_HEADER = 'x-harrier-signature';
export const TIMESTAMP_HEADER = 'x-harrier-timestamp';

/**
 * `sha256=<hex HMAC-SHA256 of "<timestamp>.<exact body bytes>">`: receivers recompute it, and since the
 * timestamp header is signed too they can refuse old deliveries (replays).
 */
export function signBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

export class WebhookChannel implements OutputChannel {
  readonly type = 'webhook';
  readonly supportsDigest = false;
  private readonly http: HttpSender;
  private readonly baseHeaders: Record<string, string>;

  constructor(
    private readonly config: WebhookConfig,
    _context: ChannelContext,
  ) {
    this.http = new HttpSender(config, config.address);
    // Custom headers come after ours and may replace them, as in falcosidekick; names are case-insensitive.
    this.baseHeaders = { 'content-type': JSON_CONTENT_TYPE, 'user-agent': USER_AGENT };
    for (const [name, value] of Object.entries(config.customheaders)) this.baseHeaders[name.toLowerCase()] = value;
  }

  /** The worker passes one alert (no digests); several are delivered one after the other. */
  async send(alerts: readonly Alert[], { signal }: SendOptions): Promise<void> {
    for (const alert of alerts) await this.sendOne(alert, signal);
  }

  private async sendOne(alert: Alert, signal: AbortSignal): Promise<void> {
    const body = webhookBody(alert);
    const headers = { ...this.baseHeaders };
    if (this.config.hmacsecret !== '') {
      const timestamp = String(Math.floor(Date.now() / 1000));
      headers[TIMESTAMP_HEADER] = timestamp;
      headers[SIGNATURE_HEADER] = signBody(this.config.hmacsecret, timestamp, body);
    }
    await this.http.send({
      method: this.config.method,
      headers,
      body,
      signal,
      // Deliberately wider than falcosidekick's 200/201/202/204: any 2xx means the receiver took the alert.
      isSuccess: (status) => status >= 200 && status < 300,
    });
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}
