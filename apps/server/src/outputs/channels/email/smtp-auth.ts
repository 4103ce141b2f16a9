/**
 * SASL mechanisms for falcosidekick's `authmechanism` values. LOGIN is nodemailer's own; PLAIN (with an
 * authorisation identity), OAUTHBEARER (RFC 7628), EXTERNAL and ANONYMOUS (RFC 4505) are nodemailer custom
 * handlers, fed from the config rather than nodemailer's user/pass pair.
 */
import type { SMTPConnectionCustomAuthContext, SMTPConnectionCustomAuthHandlers } from 'nodemailer/lib/smtp-connection';
import type { SmtpConfig } from './email.config.js';

const b64 = (value: string) => (value === '' ? '=' : Buffer.from(value, 'utf8').toString('base64'));

async function expect235(ctx: SMTPConnectionCustomAuthContext, command: string): Promise<void> {
  let reply = await ctx.sendCommand(command);
  if (reply.status === 334) {
    // A SASL error challenge (OAUTHBEARER): acknowledge it with %x01; the server then sends its 5xx.
    reply = await ctx.sendCommand('AQ==');
  }
  if (reply.status !== 235) ctx.reject(new Error(`authentication rejected (${reply.status})`));
  else ctx.resolve();
}

export function smtpAuth(config: SmtpConfig): {
  auth?: { type: string; method: string; user: string; pass: string };
  customAuth: SMTPConnectionCustomAuthHandlers;
} {
  const customAuth: SMTPConnectionCustomAuthHandlers = {
    PLAIN: (ctx) => expect235(ctx, `AUTH PLAIN ${b64(`${config.identity}\0${config.user}\0${config.password}`)}`),
    OAUTHBEARER: (ctx) =>
      expect235(ctx, `AUTH OAUTHBEARER ${b64(`n,a=${config.user},\x01auth=Bearer ${config.token}\x01\x01`)}`),
    EXTERNAL: (ctx) => expect235(ctx, `AUTH EXTERNAL ${b64(config.identity)}`),
    ANONYMOUS: (ctx) => expect235(ctx, `AUTH ANONYMOUS ${b64(config.trace)}`),
  };
  // falcosidekick ignores the AUTH result, so its default `plain` without credentials works against an open
  // relay; here a mechanism with nothing to send is simply not used.
  const credentials: Record<SmtpConfig['authmechanism'], string> = {
    plain: config.user + config.password,
    login: config.user + config.password,
    oauthbearer: config.token,
    external: config.identity,
    anonymous: config.trace,
    none: '',
  };
  if (
    config.authmechanism === 'none' ||
    (credentials[config.authmechanism] === '' && config.authmechanism !== 'anonymous')
  ) {
    return { customAuth };
  }
  return {
    // nodemailer only starts AUTH when `user` is set; the custom handlers read the config, not these.
    auth: {
      type: 'login',
      method: config.authmechanism.toUpperCase(),
      user: config.user || config.authmechanism,
      pass: config.password,
    },
    customAuth,
  };
}
