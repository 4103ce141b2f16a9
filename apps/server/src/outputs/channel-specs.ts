/** What the config loader knows of each channel type, taken from the channels' own config specs. */
import type { z } from 'zod';
import { CHANNEL_CONFIG_SCHEMAS, isChannelEnabled } from './channels/channel.factory.js';
import { OUTPUT_TYPES, type OutputType } from './channels/output-channel.js';
import type { ChannelSpec } from './outputs.config.js';

export const CHANNEL_SPECS = Object.fromEntries(
  OUTPUT_TYPES.map((type) => [
    type,
    {
      schema: CHANNEL_CONFIG_SCHEMAS[type].schema as unknown as z.ZodObject,
      isEnabled: (section: Record<string, unknown>) => isChannelEnabled(type, section),
    },
  ]),
) as Record<OutputType, ChannelSpec>;
