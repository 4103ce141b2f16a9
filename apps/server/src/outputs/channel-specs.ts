/** What the config loader knows of each channel type: its key schema and what turns a falcosidekick section on. */
import { z } from 'zod';
import type { OutputType } from './channels/output-channel.js';
import type { ChannelSpec } from './outputs.config.js';

const nonEmpty = (section: Record<string, unknown>, key: string) =>
  typeof section[key] === 'string' && section[key] !== '';

// Placeholder schemas until the channels land; replaced by the channels' own config schemas.
export const CHANNEL_SPECS: Record<OutputType, ChannelSpec> = {
  slack: { schema: z.object({ webhookurl: z.string() }).loose(), isEnabled: (s) => nonEmpty(s, 'webhookurl') },
  smtp: {
    schema: z.object({ hostport: z.string() }).loose(),
    isEnabled: (s) => nonEmpty(s, 'hostport') && nonEmpty(s, 'from') && nonEmpty(s, 'to'),
  },
  webhook: {
    schema: z
      .object({ address: z.url(), method: z.string().default('POST'), customheaders: z.record(z.string(), z.string()).default({}) })
      .loose(),
    isEnabled: (s) => nonEmpty(s, 'address'),
  },
};
