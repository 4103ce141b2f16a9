/** Turns a nodemailer error into a DeliveryFailure: retryable or not, in words that never carry a secret. */
import type { NodemailerError } from 'nodemailer/lib/errors';
import { DeliveryFailure } from '../output-channel.js';
import { describeError, singleLine, truncate } from '../shared/text.js';

/**
 * Errors a retry would meet again: a bad envelope or message, or a configuration nodemailer refuses. Every other
 * error without an SMTP reply (connection, DNS, TLS, timeouts, protocol) may pass later, so it is retried.
 */
const PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'ECONFIG', 'EREQUIRETLS', 'EMAXRECIPIENTS']);

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 3) out = out.split(secret).join('********');
  return out;
}

export function smtpFailure(error: unknown, signal: AbortSignal, secrets: readonly string[]): DeliveryFailure {
  const e = (error ?? {}) as NodemailerError;
  if (signal.aborted || e.code === 'EABORT') {
    return new DeliveryFailure(`sending aborted: ${describeError(signal.reason ?? 'aborted')}`, true);
  }
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') {
    // The server's reply is left out: some echo what they were sent.
    if (code !== undefined && code >= 400 && code < 500) {
      return new DeliveryFailure(`SMTP authentication failed temporarily (${code})`, true);
    }
    return new DeliveryFailure(
      `SMTP authentication failed${code !== undefined ? ` (${code})` : ''}: check smtp.user and the password or token`,
      false,
    );
  }
  const detail = truncate(redact(singleLine(e.response ?? describeError(error)), secrets), 300);
  const where = e.command ? ` after ${singleLine(e.command).split(' ')[0]}` : '';
  if (code !== undefined) {
    // RFC 5321: 4yz is transient, 5yz permanent; 503 (bad sequence) is a session problem worth a new attempt.
    const retryable = code < 500 || code === 503;
    return new DeliveryFailure(`SMTP server replied ${detail}${where}`, retryable);
  }
  return new DeliveryFailure(`SMTP ${e.code ? `${e.code} ` : ''}error: ${detail}`, !PERMANENT_CODES.has(e.code ?? ''));
}
