import { describe, expect, it } from 'vitest';
import type { Alert } from '@harrier/alert';
import { CHANNEL_SPECS } from './channel-specs.js';
import { parseOutputs } from './outputs.config.js';
import { outputAccepts } from './routing.js';

/** A falcosidekick config.yaml for these outputs, as users have it (disabled sections included). */
const falcosidekickConfig = {
  customfields: { cluster: 'prod' },
  slack: {
    webhookurl: 'https://hooks.slack.com/services/T000/B000/XXXX',
    channel: '#falco',
    footer: '',
    icon: '',
    username: '',
    outputformat: 'all',
    minimumpriority: 'warning',
    messageformat: 'Alert : rule *{{ .Rule }}* triggered by user *{{ index .OutputFields "user.name" }}*',
  },
  smtp: {
    hostport: '',
    tls: true,
    authmechanism: 'plain',
    user: '',
    password: '',
    from: '',
    to: '',
    outputformat: 'html',
  },
  webhook: { address: '', method: 'POST', customheaders: {}, minimumpriority: '', checkcert: true, mutualtls: false },
};

const alert = (overrides: Partial<Alert> = {}): Alert => ({
  id: '01J0000000000000000000000A',
  time: '2026-01-01T00:00:00Z',
  rule: 'Terminal shell in container',
  priority: 'Notice',
  source: 'syscall',
  output: 'x',
  output_fields: { 'k8s.ns.name': 'payments', 'k8s.pod.name': 'api-1' },
  tags: ['shell'],
  hostname: 'h',
  ...overrides,
});

describe('parseOutputs', () => {
  it('runs a falcosidekick config unchanged: enabled sections become outputs, empty ones stay off', () => {
    const { outputs, issues } = parseOutputs(falcosidekickConfig, {}, CHANNEL_SPECS);
    expect(issues).toEqual([]);
    expect(outputs.map((o) => [o.name, o.type])).toEqual([['slack', 'slack']]);
    const [slack] = outputs;
    expect(slack!.config).toMatchObject({ channel: '#falco', outputformat: 'all' });
    expect(outputAccepts(slack!.filter, alert({ priority: 'Notice' }))).toBe(false);
    expect(outputAccepts(slack!.filter, alert({ priority: 'Warning' }))).toBe(true);
    expect(outputAccepts(slack!.filter, alert({ priority: 'Debug', rule: 'Test rule' }))).toBe(true);
  });

  it("gives every HTTP output falcosidekick's global client TLS settings where it has none of its own", () => {
    const file = {
      mutualtlsclient: { certfile: '/tls/client.crt', keyfile: '/tls/client.key', cacertfile: '/tls/mutual-ca.crt' },
      tlsclient: { cacertfile: '/tls/extra-ca.crt' },
      webhook: { address: 'https://siem.example/falco', mutualtls: true },
      slack: { webhookurl: 'https://hooks.slack.com/services/T/B/X' },
      smtp: { hostport: 'smtp.example:25', from: 'a@example.com', to: 'b@example.com' },
      outputs: [
        { name: 'own', type: 'webhook', address: 'https://own.example/', cacertfile: '/own/ca.crt' },
        { name: 'dir', type: 'webhook', address: 'https://dir.example/', mutualtls: true, mutualtlsfilespath: '/d' },
      ],
    };
    const { outputs, issues } = parseOutputs(file, { MUTUALTLSFILESPATH: '/etc/falco-certs' }, CHANNEL_SPECS);
    expect(issues).toEqual([]);
    const byName = Object.fromEntries(outputs.map((o) => [o.name, o.config]));
    expect(byName['webhook']).toMatchObject({
      certfile: '/tls/client.crt',
      keyfile: '/tls/client.key',
      cacertfile: '/tls/mutual-ca.crt',
      mutualtlsfilespath: '/etc/falco-certs',
    });
    // Without mutualtls, the extra CA for the system pool.
    expect(byName['slack']).toMatchObject({ cacertfile: '/tls/extra-ca.crt' });
    // An output with any TLS file setting of its own keeps all of its own.
    expect(byName['own']).toMatchObject({ cacertfile: '/own/ca.crt', certfile: '', mutualtlsfilespath: '/etc/certs' });
    expect(byName['dir']).toMatchObject({ certfile: '', keyfile: '', cacertfile: '', mutualtlsfilespath: '/d' });
    // Not an HTTP output: its own CA only.
    expect(byName['smtp']).toMatchObject({ cacertfile: '' });
  });

  it("reads falcosidekick's environment variable names, overriding the file", () => {
    const { outputs, issues } = parseOutputs(
      {},
      {
        WEBHOOK_ADDRESS: 'http://receiver:8080/hook',
        WEBHOOK_CUSTOMHEADERS: 'Authorization:Bearer a:b,X-Team:sec',
        WEBHOOK_MINIMUMPRIORITY: 'error',
        SMTP_HOSTPORT: 'mail:25',
        SMTP_FROM: 'falco@example.com',
        SMTP_TO: 'a@example.com,b@example.com',
        SMTP_TLS: 'false',
      },
      CHANNEL_SPECS,
    );
    expect(issues).toEqual([]);
    expect(outputs.map((o) => o.name)).toEqual(['smtp', 'webhook']);
    const webhook = outputs.find((o) => o.name === 'webhook')!;
    expect(webhook.config['customheaders']).toEqual({ Authorization: 'Bearer a:b', 'X-Team': 'sec' });
    expect(webhook.filter.minimumPriority).toBe('Error');
    expect(outputs.find((o) => o.name === 'smtp')!.config['tls']).toBe(false);
  });

  it('adds named instances with routes, delivery and grouping settings', () => {
    const { outputs, issues } = parseOutputs(
      {
        outputs: [
          {
            name: 'team-payments',
            type: 'webhook',
            address: 'https://hooks.example.com/payments',
            route: { rules: ['Terminal shell*'], namespaces: ['payments'] },
            timeout: '2s',
            attempts: 5,
            backoff: { initial: '500ms', max: '1m' },
          },
          {
            name: 'oncall',
            type: 'slack',
            webhookurl: 'https://hooks.slack.com/x',
            grouping: { window: '30s', maxalerts: 100 },
          },
        ],
      },
      {},
      CHANNEL_SPECS,
    );
    expect(issues).toEqual([]);
    const [team, oncall] = outputs;
    expect(team!.delivery).toMatchObject({
      timeoutMs: 2_000,
      attempts: 5,
      initialBackoffMs: 500,
      maxBackoffMs: 60_000,
    });
    expect(outputAccepts(team!.filter, alert())).toBe(true);
    expect(outputAccepts(team!.filter, alert({ output_fields: { 'k8s.ns.name': 'default' } }))).toBe(false);
    expect(oncall!.grouping).toEqual({ windowMs: 30_000, maxAlerts: 100 });
  });

  it('warns about keys and outputs it ignores, such as falcosidekick outputs Harrier lacks', () => {
    const { warnings, issues } = parseOutputs(
      { teams: { webhookurl: 'https://x' }, webhook: { address: 'https://h.example', adress: 'typo' }, debug: true },
      {},
      CHANNEL_SPECS,
    );
    expect(issues).toEqual([]);
    expect(warnings).toEqual([
      'teams: not an output Harrier has (slack, smtp, webhook); ignored',
      'webhook.adress: unknown key; ignored',
    ]);
  });

  it('names every bad key at once', () => {
    const { issues } = parseOutputs(
      {
        slack: { webhookurl: 'not a url', outputformat: 'pretty', minimumpriority: 'loud' },
        outputs: [
          { name: 'a', type: 'pager', address: 'x' },
          { name: 'b', type: 'webhook', address: 'https://x.example', timeout: 'soon', route: { colour: ['red'] } },
          { name: 'b', type: 'webhook', address: 'https://y.example' },
        ],
      },
      {},
      CHANNEL_SPECS,
    );
    const keys = issues.map((i) => i.split(':')[0]);
    expect(keys).toEqual(
      expect.arrayContaining([
        'slack.minimumpriority',
        'slack.webhookurl',
        'slack.outputformat',
        'outputs[0].type',
        'outputs[1].timeout',
        'outputs[1].route',
        'outputs[2].name',
      ]),
    );
  });
});
