import { describe, expect, it } from 'vitest';
import {
  CHANNEL_CONFIG_SCHEMAS,
  SECRET_MASK,
  createChannel,
  isChannelEnabled,
  maskSecrets,
  type ChannelOutput,
} from './channel.factory.js';
import { EmailChannel } from './email/email.channel.js';
import { OUTPUT_TYPES, type ChannelContext } from './output-channel.js';
import { SlackChannel } from './slack/slack.channel.js';
import { WebhookChannel } from './webhook/webhook.channel.js';

const context: ChannelContext = { outputName: 'test', dashboardUrl: undefined };

describe('createChannel', () => {
  it('builds the channel of each type from its parsed config', async () => {
    const outputs: ChannelOutput[] = [
      { type: 'slack', config: CHANNEL_CONFIG_SCHEMAS.slack.schema.parse({ webhookurl: 'https://hooks.slack.com/x' }) },
      {
        type: 'smtp',
        config: CHANNEL_CONFIG_SCHEMAS.smtp.schema.parse({ hostport: 'localhost:25', from: 'a@x.io', to: 'b@x.io' }),
      },
      { type: 'webhook', config: CHANNEL_CONFIG_SCHEMAS.webhook.schema.parse({ address: 'http://localhost:1/x' }) },
    ];
    const channels = outputs.map((output) => createChannel(output, context));
    expect(channels[0]).toBeInstanceOf(SlackChannel);
    expect(channels[1]).toBeInstanceOf(EmailChannel);
    expect(channels[2]).toBeInstanceOf(WebhookChannel);
    expect(channels.map((c) => [c.type, c.supportsDigest])).toEqual([
      ['slack', true],
      ['smtp', true],
      ['webhook', false],
    ]);
    await Promise.all(channels.map((c) => c.close()));
  });

  it('fails loudly on an unknown type', () => {
    const output = { type: 'teams', config: {} } as unknown as ChannelOutput;
    expect(() => createChannel(output, context)).toThrow('Unsupported output type: teams');
    expect(() => maskSecrets('teams', {})).toThrow('Unsupported output type: teams');
    expect(() => isChannelEnabled('__proto__', {})).toThrow('Unsupported output type: __proto__');
  });

  it('describes every output type', () => {
    expect(Object.keys(CHANNEL_CONFIG_SCHEMAS).sort()).toEqual([...OUTPUT_TYPES].sort());
    expect(Object.keys(CHANNEL_CONFIG_SCHEMAS.webhook.schema.shape)).toContain('hmacsecret');
  });
});

describe('isChannelEnabled', () => {
  it("follows falcosidekick's enabling keys", () => {
    expect(isChannelEnabled('slack', { webhookurl: 'https://hooks.slack.com/x' })).toBe(true);
    expect(isChannelEnabled('slack', { webhookurl: ' ', channel: '#a' })).toBe(false);
    expect(isChannelEnabled('smtp', { hostport: 'h:25', from: 'a@x.io' })).toBe(false);
    expect(isChannelEnabled('smtp', { hostport: 'h:25', from: 'a@x.io', to: 'b@x.io' })).toBe(true);
    expect(isChannelEnabled('webhook', { address: 'http://r/x' })).toBe(true);
    expect(isChannelEnabled('webhook', {})).toBe(false);
  });
});

describe('maskSecrets', () => {
  it('hides the Slack webhook URL but keeps its host', () => {
    expect(maskSecrets('slack', { webhookurl: 'https://hooks.slack.com/services/T0/B0/abc', channel: '#sec' })).toEqual(
      { webhookurl: `https://hooks.slack.com/${SECRET_MASK}`, channel: '#sec' },
    );
  });

  it('hides SMTP password and token, and shows whether they are set', () => {
    const parsed = CHANNEL_CONFIG_SCHEMAS.smtp.schema.parse({
      hostport: 'h:25',
      from: 'a@x.io',
      to: 'b@x.io',
      user: 'alice',
      password: 'hunter2',
    });
    const masked = maskSecrets('smtp', parsed);
    expect(masked).toMatchObject({ user: 'alice', password: SECRET_MASK, token: '', to: ['b@x.io'] });
    expect(JSON.stringify(masked)).not.toContain('hunter2');
    expect(parsed.password).toBe('hunter2');
  });

  it('hides webhook header values, the HMAC secret and credentials inside the address', () => {
    const raw = {
      address: 'https://bot:pa55@receiver.example/hook?token=abc&team=a',
      customheaders: { Authorization: 'Bearer xyz', 'X-Team': 'a' },
      hmacsecret: 'shh',
      checkcert: false,
    };
    const masked = maskSecrets('webhook', raw);
    expect(masked).toEqual({
      address: `https://${encodeURIComponent(SECRET_MASK)}:${encodeURIComponent(SECRET_MASK)}@receiver.example/hook?token=${encodeURIComponent(SECRET_MASK)}&team=${encodeURIComponent(SECRET_MASK)}`,
      customheaders: { Authorization: SECRET_MASK, 'X-Team': SECRET_MASK },
      hmacsecret: SECRET_MASK,
      checkcert: false,
    });
    const text = JSON.stringify(masked);
    for (const secret of ['bot', 'pa55', 'abc', 'xyz', 'shh']) expect(text).not.toContain(secret);
    expect(maskSecrets('webhook', { customheaders: 'Authorization:Bearer a:b,X-Foo:bar' }).customheaders).toBe(
      `Authorization:${SECRET_MASK},X-Foo:${SECRET_MASK}`,
    );
    expect(maskSecrets('webhook', { address: 'http://plain.example/x' }).address).toBe('http://plain.example/x');
    expect(maskSecrets('webhook', { address: 'https://t0ken@receiver.example/' }).address).toBe(
      `https://${encodeURIComponent(SECRET_MASK)}@receiver.example/`,
    );
  });
});
