/** Email over SMTP: a pooled nodemailer transport, one mail per `send` (an alert, or a digest of a burst). */
import type { Alert } from '@harrier/alert';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { SMTPPoolOptions, SMTPPoolSentMessageInfo } from 'nodemailer/lib/smtp-pool';
import { withSystemRoots } from '../shared/tls-material.js';
import { DeliveryFailure, type ChannelContext, type OutputChannel, type SendOptions } from '../output-channel.js';
import { parseHostPort, type SmtpConfig } from './email.config.js';
import { alertMail, digestMail } from './email.format.js';
import { smtpAuth } from './smtp-auth.js';
import { smtpFailure } from './smtp-failure.js';

const IMPLICIT_TLS_PORT = 465;

/**
 * Port 465 is implicit TLS. Otherwise `tls: true` requires STARTTLS, and `tls: false` still upgrades when the
 * server offers it. The certificate is verified whenever TLS was asked for; an opportunistic upgrade is not
 * verified, so a relay that worked in plain text with falcosidekick keeps working.
 */
export function smtpTransportOptions(config: SmtpConfig): SMTPPoolOptions & { pool: true } {
  const target = parseHostPort(config.hostport);
  if (!target) throw new Error(`smtp.hostport "${config.hostport}" is not host:port`);
  const implicitTls = target.port === IMPLICIT_TLS_PORT;
  return {
    pool: true,
    host: target.host,
    port: target.port,
    secure: implicitTls,
    requireTLS: config.tls && !implicitTls,
    tls: {
      minVersion: 'TLSv1.2',
      rejectUnauthorized: implicitTls || config.tls,
      ...(config.cacertfile ? { ca: withSystemRoots(config.cacertfile) } : {}),
    },
    ...smtpAuth(config),
    logger: false,
    debug: false,
  };
}

export class EmailChannel implements OutputChannel {
  readonly type = 'smtp';
  readonly supportsDigest = true;
  private readonly transport: Mail<SMTPPoolSentMessageInfo, SMTPPoolOptions>;
  private readonly secrets: string[];

  constructor(
    private readonly config: SmtpConfig,
    private readonly context: ChannelContext,
  ) {
    this.transport = nodemailer.createTransport(smtpTransportOptions(config));
    this.secrets = [config.password, config.token];
  }

  async send(alerts: readonly Alert[], { signal }: SendOptions): Promise<void> {
    if (alerts.length === 0) throw new DeliveryFailure('no alerts to send', false);
    const withHtml = this.config.outputformat === 'html';
    const content =
      alerts.length === 1 ? alertMail(alerts[0]!, withHtml) : digestMail(alerts, withHtml, this.context.dashboardUrl);
    try {
      await this.transport.sendMail({
        from: this.config.from,
        to: this.config.to,
        subject: content.subject,
        text: content.text,
        ...(content.html !== undefined ? { html: content.html } : {}),
        date: content.date,
        signal,
      });
    } catch (error) {
      throw smtpFailure(error, signal, this.secrets);
    }
  }

  close(): Promise<void> {
    this.transport.close();
    return Promise.resolve();
  }
}
