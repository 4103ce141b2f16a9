/** `smtp.*`: falcosidekick's keys and defaults (compat §6), plus our `cacertfile`. */
import { z } from 'zod';
import { configSection, flag, minimumPriority, requiredString, text } from '../shared/config-fields.js';

export const SMTP_AUTH_MECHANISMS = ['plain', 'login', 'oauthbearer', 'external', 'anonymous', 'none'] as const;
export type SmtpAuthMechanism = (typeof SMTP_AUTH_MECHANISMS)[number];

export interface HostPort {
  host: string;
  port: number;
}

/** `host:port`, or `[v6-address]:port`. */
export function parseHostPort(value: string): HostPort | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (m[1] ?? m[2])!, port };
}

/** A comma list (falcosidekick's form, spaces stripped) or a YAML list; empty items are dropped. */
const recipients = z
  .union([z.string(), z.array(z.string())], {
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be a comma-separated list of addresses'),
  })
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(','))
      .flatMap((item) => item.split(','))
      .map((address) => address.trim())
      .filter((address) => address !== ''),
  )
  .pipe(z.array(z.string()).min(1, { error: 'needs at least one recipient' }));

/** A case-insensitive choice; empty takes the default. */
function choice<T extends string>(values: readonly T[], message: string) {
  return z.string({ error: message }).transform((value, ctx): T | undefined => {
    const lower = value.trim().toLowerCase();
    if (lower === '') return undefined;
    if ((values as readonly string[]).includes(lower)) return lower as T;
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
}

export const smtpConfigSchema = configSection({
  hostport: requiredString().refine((value) => parseHostPort(value) !== undefined, {
    error: 'must be host:port, e.g. smtp.example.com:587',
  }),
  /**
   * falcosidekick: true (default) requires STARTTLS, false sends in plain text. Port 465 always means implicit TLS.
   * With false we still upgrade when the server offers STARTTLS (without verifying it, so nothing that worked
   * in plain text breaks).
   */
  tls: flag(true),
  authmechanism: choice(SMTP_AUTH_MECHANISMS, `must be one of ${SMTP_AUTH_MECHANISMS.join(', ')}`)
    .optional()
    .transform((m): SmtpAuthMechanism => m ?? 'plain'),
  user: text(),
  password: text(),
  token: text(),
  identity: text(),
  trace: text(),
  from: requiredString().min(1, { error: 'is required' }),
  to: recipients,
  outputformat: choice(['html', 'text'] as const, 'must be html or text')
    .optional()
    .transform((f) => f ?? 'html'),
  minimumpriority: minimumPriority,
  /** Extension: a PEM CA added to the system roots for STARTTLS / implicit TLS (e.g. an internal relay). */
  cacertfile: text(),
});

export type SmtpConfig = z.output<typeof smtpConfigSchema>;
