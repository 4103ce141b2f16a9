/** Builds an output channel from its parsed config, and describes each type's config for loading and display. */
import type { z } from 'zod';
import { EmailChannel } from './email/email.channel.js';
import { smtpConfigSchema, type SmtpConfig } from './email/email.config.js';
import type { ChannelContext, OutputChannel, OutputType } from './output-channel.js';
import { SlackChannel } from './slack/slack.channel.js';
import { slackConfigSchema, type SlackConfig } from './slack/slack.config.js';
import { describeError } from './shared/text.js';
import { WebhookChannel } from './webhook/webhook.channel.js';
import { webhookConfigSchema, type WebhookConfig } from './webhook/webhook.config.js';
import { maskUrlText } from '../../common/mask-url.js';

export interface ChannelConfigs {
  slack: SlackConfig;
  smtp: SmtpConfig;
  webhook: WebhookConfig;
}

/** One configured output: its type and that type's parsed config. */
export type ChannelOutput = { [T in OutputType]: { type: T; config: ChannelConfigs[T] } }[OutputType];

/** Throws `Unsupported output type: X` for a type it does not know, and a clear error for unreadable TLS files. */
export function createChannel(output: ChannelOutput, context: ChannelContext): OutputChannel {
  switch (output.type) {
    case 'slack':
      return new SlackChannel(output.config, context);
    case 'smtp':
      return new EmailChannel(output.config, context);
    case 'webhook':
      return new WebhookChannel(output.config, context);
    default:
      throw new Error(`Unsupported output type: ${describeError((output as { type: unknown }).type)}`);
  }
}

export interface ChannelConfigSpec<T> {
  /** Parses one instance's section (YAML values or env strings); unknown keys are stripped, not rejected. */
  schema: z.ZodType<T>;
  /** falcosidekick enables an output when all of these keys are non-empty. */
  enabledBy: readonly string[];
  /** Keys whose whole value is secret. */
  secretKeys: readonly string[];
  /** Map keys whose every value is secret (header values; the names stay visible). */
  secretMapKeys: readonly string[];
  /** URL keys that are not secret but may carry credentials (user:password@, query values). */
  urlKeys: readonly string[];
}

/** Concrete schema types are kept (`.shape` lists every key, e.g. to derive env variable names). */
export const CHANNEL_CONFIG_SCHEMAS = {
  slack: {
    schema: slackConfigSchema,
    enabledBy: ['webhookurl'],
    secretKeys: ['webhookurl'],
    secretMapKeys: [],
    urlKeys: [],
  },
  smtp: {
    schema: smtpConfigSchema,
    enabledBy: ['hostport', 'from', 'to'],
    secretKeys: ['password', 'token'],
    secretMapKeys: [],
    urlKeys: [],
  },
  webhook: {
    schema: webhookConfigSchema,
    enabledBy: ['address'],
    secretKeys: ['hmacsecret'],
    secretMapKeys: ['customheaders'],
    urlKeys: ['address'],
  },
} as const satisfies { readonly [T in OutputType]: ChannelConfigSpec<ChannelConfigs[T]> };

export const SECRET_MASK = '********';

function specOf(type: string): ChannelConfigSpec<unknown> {
  if (!Object.hasOwn(CHANNEL_CONFIG_SCHEMAS, type)) throw new Error(`Unsupported output type: ${type}`);
  return CHANNEL_CONFIG_SCHEMAS[type as OutputType];
}

function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** falcosidekick's enablement rule over a raw (unparsed) section: every enabling key is set. */
export function isChannelEnabled(type: string, section: Readonly<Record<string, unknown>>): boolean {
  return specOf(type).enabledBy.every((key) => isSet(section[key]));
}

/** A secret URL keeps its origin, so people can tell which service it points at. */
function maskSecretValue(value: unknown): unknown {
  if (!isSet(value)) return value;
  if (typeof value === 'string' && /^https?:\/\//i.test(value)) {
    try {
      return `${new URL(value).origin}/${SECRET_MASK}`;
    } catch {
      return SECRET_MASK;
    }
  }
  return SECRET_MASK;
}

function maskUrlCredentials(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return maskUrlText(value, { mask: SECRET_MASK, user: 'mask' }) ?? value;
}

function maskMapValues(value: unknown): unknown {
  if (typeof value === 'string') {
    // The env form `Name:value,Name2:value2`.
    return value
      .split(',')
      .map((item) => (item.includes(':') ? `${item.slice(0, item.indexOf(':'))}:${SECRET_MASK}` : item))
      .join(',');
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.keys(value).map((name) => [name, SECRET_MASK]));
  }
  return value;
}

/** A copy safe for API responses and logs: raw or parsed config alike. Throws on an unknown type. */
export function maskSecrets(type: string, config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const spec = specOf(type);
  const copy: Record<string, unknown> = { ...config };
  for (const key of spec.secretKeys) if (key in copy) copy[key] = maskSecretValue(copy[key]);
  for (const key of spec.secretMapKeys) if (key in copy) copy[key] = maskMapValues(copy[key]);
  for (const key of spec.urlKeys) if (key in copy) copy[key] = maskUrlCredentials(copy[key]);
  return copy;
}
