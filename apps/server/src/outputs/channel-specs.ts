/** What the config loader knows of each channel type, taken from the channels' own config specs. */
import { CHANNEL_CONFIG_SCHEMAS, isChannelEnabled } from './channels/channel.factory.js';
import type { OutputType } from './channels/output-channel.js';
import type { ChannelSpec } from './outputs.config.js';

function spec(type: OutputType): ChannelSpec {
  return {
    schema: CHANNEL_CONFIG_SCHEMAS[type].schema,
    isEnabled: (section) => isChannelEnabled(type, section),
  };
}

export const CHANNEL_SPECS: Record<OutputType, ChannelSpec> = {
  slack: spec('slack'),
  smtp: spec('smtp'),
  webhook: spec('webhook'),
};
