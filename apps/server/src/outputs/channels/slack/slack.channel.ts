/** Slack incoming webhook: one POST per `send`, an alert or a digest of a burst. */
import type { Alert } from '@harrier/alert';
import { DeliveryFailure, type ChannelContext, type OutputChannel, type SendOptions } from '../output-channel.js';
import { HttpSender, JSON_CONTENT_TYPE, USER_AGENT } from '../shared/http-delivery.js';
import { compileMessageTemplate, type MessageTemplate } from './message-template.js';
import type { SlackConfig } from './slack.config.js';
import { slackAlertPayload, slackDigestPayload, type SlackPayload } from './slack.format.js';

/** falcosidekick's success statuses (outputs/client.go); a 203 or 206 is not a delivered message. */
const SLACK_SUCCESS = new Set([200, 201, 202, 204]);

export class SlackChannel implements OutputChannel {
  readonly type = 'slack';
  readonly supportsDigest = true;
  private readonly http: HttpSender;
  private readonly template: MessageTemplate | undefined;

  constructor(
    private readonly config: SlackConfig,
    private readonly context: ChannelContext,
  ) {
    this.http = new HttpSender(config, config.webhookurl);
    this.template = config.messageformat === '' ? undefined : compileMessageTemplate(config.messageformat);
  }

  /** The JSON body of a `send`, exposed for previews and tests. */
  payload(alerts: readonly Alert[]): SlackPayload {
    if (alerts.length === 0) throw new DeliveryFailure('no alerts to send', false);
    return alerts.length === 1
      ? slackAlertPayload(alerts[0]!, this.config, this.template)
      : slackDigestPayload(alerts, this.config, this.context.dashboardUrl);
  }

  async send(alerts: readonly Alert[], { signal }: SendOptions): Promise<void> {
    await this.http.send({
      method: 'POST',
      headers: { 'content-type': JSON_CONTENT_TYPE, 'user-agent': USER_AGENT },
      body: JSON.stringify(this.payload(alerts)),
      signal,
      isSuccess: (status) => SLACK_SUCCESS.has(status),
    });
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}
