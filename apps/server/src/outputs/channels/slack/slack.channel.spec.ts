import type { Alert, Priority } from '@harrier/alert';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HOSTILE, testAlert } from '../testing/alerts.js';
import { createTestPki, type TestPki } from '../testing/certs.js';
import { failureOf, noSignal } from '../testing/failure.js';
import { hang, startReceiver, status, type Receiver } from '../testing/receiver.js';
import { SlackChannel } from './slack.channel.js';
import { slackConfigSchema, type SlackConfig } from './slack.config.js';
import type { SlackPayload } from './slack.format.js';

const context = { outputName: 'slack', dashboardUrl: undefined };

describe('slack config', () => {
  it("takes falcosidekick's defaults, but 16 connections instead of 1", () => {
    expect(slackConfigSchema.parse({ webhookurl: 'https://hooks.slack.com/services/T/B/X' })).toEqual({
      webhookurl: 'https://hooks.slack.com/services/T/B/X',
      channel: '',
      username: 'Falcosidekick',
      icon: 'https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick_color.png',
      footer: 'https://github.com/falcosecurity/falcosidekick',
      outputformat: 'all',
      messageformat: '',
      minimumpriority: undefined,
      checkcert: true,
      mutualtls: false,
      maxconcurrentrequests: 16,
      certfile: '',
      keyfile: '',
      cacertfile: '',
      mutualtlsfilespath: '/etc/certs',
    });
  });

  it('accepts values as environment variables give them (strings)', () => {
    const config = slackConfigSchema.parse({
      webhookurl: 'http://slack.local/x',
      outputformat: 'TEXT',
      checkcert: 'false',
      maxconcurrentrequests: '4',
      minimumpriority: 'info',
    });
    expect(config).toMatchObject({
      outputformat: 'text',
      checkcert: false,
      maxconcurrentrequests: 4,
      minimumpriority: 'Informational',
    });
    expect(slackConfigSchema.parse({ webhookurl: 'http://s/x', outputformat: 'field' }).outputformat).toBe('fields');
  });

  it('reads YAML keys without a value as unset, and a missing webhookurl as required', () => {
    expect(
      slackConfigSchema.parse({ webhookurl: 'http://s/x', username: null, outputformat: null, checkcert: null }),
    ).toMatchObject({ username: 'Falcosidekick', outputformat: 'all', checkcert: true });
    expect(slackConfigSchema.safeParse({ webhookurl: null }).error?.issues.map((i) => i.message)).toEqual([
      'is required',
    ]);
  });

  it('names every bad key at once, with a clear message for a malformed template', () => {
    const result = slackConfigSchema.safeParse({
      webhookurl: 'ftp://nope',
      outputformat: 'fancy',
      messageformat: 'Alert {{ .Rule ',
      minimumpriority: 'loud',
      checkcert: 'maybe',
    });
    expect(result.success).toBe(false);
    const issues = Object.fromEntries(result.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(issues).toEqual({
      webhookurl: 'must be an http:// or https:// URL',
      outputformat: 'must be all, text or fields',
      messageformat: 'invalid template: unclosed action "{{" at offset 6',
      minimumpriority: expect.stringContaining('unknown priority "loud"') as string,
      checkcert: 'must be true or false',
    });
    expect(slackConfigSchema.safeParse({}).error?.issues[0]?.path).toEqual(['webhookurl']);
  });
});

describe('SlackChannel', () => {
  let receiver: Receiver;
  const channels: SlackChannel[] = [];

  const channel = (config: Record<string, unknown> = {}, dashboardUrl?: string): SlackChannel => {
    const parsed: SlackConfig = slackConfigSchema.parse({
      webhookurl: `${receiver.url}/services/T0/B0/secret`,
      ...config,
    });
    const created = new SlackChannel(parsed, { ...context, dashboardUrl });
    channels.push(created);
    return created;
  };
  const lastPayload = (): SlackPayload => JSON.parse(receiver.requests.at(-1)!.body) as SlackPayload;

  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await Promise.all(channels.splice(0).map((c) => c.close()));
    await receiver.close();
  });

  it("posts falcosidekick's layout for outputformat all, with non-string fields shown", async () => {
    const alert = testAlert({
      output_fields: {
        'fd.name': '/bin/hack',
        'evt.time': 1507591916746609,
        'proc.cmdline': 'touch /bin/hack with a long command line beyond 36 chars',
        'user.name': 'root',
      },
    });
    await channel().send([alert], noSignal());

    const request = receiver.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/services/T0/B0/secret');
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request.headers['user-agent']).toBe('Harrier');
    expect(request.body).toBe(
      JSON.stringify({
        username: 'Falcosidekick',
        icon_url: 'https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick_color.png',
        attachments: [
          {
            fallback: alert.output,
            color: '#e20b0b',
            text: alert.output,
            fields: [
              { title: 'rule', value: 'Write below binary dir', short: true },
              { title: 'priority', value: 'Error', short: true },
              { title: 'source', value: 'syscall', short: true },
              { title: 'hostname', value: 'localhost', short: true },
              { title: 'tags', value: 'filesystem, mitre_persistence', short: true },
              { title: 'evt.time', value: '1507591916746609', short: true },
              { title: 'fd.name', value: '/bin/hack', short: true },
              {
                title: 'proc.cmdline',
                value: 'touch /bin/hack with a long command line beyond 36 chars',
                short: false,
              },
              { title: 'user.name', value: 'root', short: true },
              { title: 'time', value: '2019-05-17 15:31:56.746609046 +0000 UTC', short: false },
            ],
            footer: 'https://github.com/falcosecurity/falcosidekick',
          },
        ],
      }),
    );
  });

  it('sends only the text for outputformat text, and only the fields for fields', async () => {
    await channel({ outputformat: 'text', channel: '#sec', username: 'bot', icon: 'https://i/x.png' }).send(
      [testAlert({ hostname: '', tags: [] })],
      noSignal(),
    );
    expect(lastPayload()).toEqual({
      username: 'bot',
      icon_url: 'https://i/x.png',
      channel: '#sec',
      attachments: [{ fallback: testAlert().output, color: '#e20b0b', text: testAlert().output }],
    });

    await channel({ outputformat: 'fields', footer: '' }).send([testAlert({ hostname: '', tags: [] })], noSignal());
    const attachment = lastPayload().attachments[0]!;
    expect(attachment.text).toBeUndefined();
    expect(attachment.footer).toBeUndefined();
    expect(attachment.fields!.map((f) => f.title)).toEqual([
      'rule',
      'priority',
      'source',
      'fd.name',
      'proc.cmdline',
      'user.name',
      'time',
    ]);
  });

  it.each<[Priority, string]>([
    ['Emergency', '#e20b0b'],
    ['Alert', '#ff5400'],
    ['Critical', '#ff5400'],
    ['Warning', '#ffc700'],
    ['Notice', '#5bffb5'],
    ['Informational', '#68c2ff'],
    ['Debug', '#ccfff2'],
  ])('colours %s as %s', async (priority, color) => {
    await channel().send([testAlert({ priority })], noSignal());
    expect(lastPayload().attachments[0]!.color).toBe(color);
  });

  it('escapes hostile alert text everywhere, so it cannot mention or link', async () => {
    const hostile = testAlert({
      output: HOSTILE,
      rule: `rule ${HOSTILE}`,
      hostname: `<!here>`,
      source: 'a&b',
      tags: ['<@U1>'],
      output_fields: { [`k<!everyone>`]: HOSTILE, n: { nested: '<x>' } },
    });
    await channel({ messageformat: '<!subteam^S1> {{ .Rule }} / {{ index .OutputFields "k<!everyone>" }}' }).send(
      [hostile],
      noSignal(),
    );
    const body = receiver.requests[0]!.body;
    const payload = lastPayload();
    const escaped =
      '&lt;!channel&gt; &lt;@U123&gt; &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;https://evil.example|click&gt;';
    expect(payload.text).toBe(`<!subteam^S1> rule ${escaped} / ${escaped}`);
    expect(payload.attachments[0]!.text).toBe(escaped);
    expect(payload.attachments[0]!.fallback).toBe(escaped);
    const fields = Object.fromEntries(payload.attachments[0]!.fields!.map((f) => [f.title, f.value]));
    expect(fields).toMatchObject({
      rule: `rule ${escaped}`,
      hostname: '&lt;!here&gt;',
      source: 'a&amp;b',
      tags: '&lt;@U1&gt;',
      'k&lt;!everyone&gt;': escaped,
      n: '{"nested":"&lt;x&gt;"}',
    });
    // The operator's own mention survives; nothing the alert carried does.
    const unescaped = body.match(/<[!@][^>]*>/g);
    expect(unescaped).toEqual(['<!subteam^S1>']);
  });

  describe('digest', () => {
    const burst = (): Alert[] => {
      const alerts: Alert[] = [];
      for (let i = 0; i < 42; i++) {
        const rule = i < 20 ? 'Terminal shell in container' : i < 30 ? 'Write below etc' : `Rare rule ${i}`;
        alerts.push(
          testAlert({
            id: `id-${i}`,
            rule,
            priority: i === 25 ? 'Critical' : i % 2 === 0 ? 'Warning' : 'Notice',
            time: new Date(Date.UTC(2026, 10, 25, 12, 0, 42 - i)).toISOString(),
            output_fields: {
              'k8s.ns.name': i < 30 ? 'prod' : 'dev',
              'k8s.pod.name': i < 5 ? 'web-0' : `pod-${i % 3}`,
            },
          }),
        );
      }
      return alerts;
    };

    it('sends one message counting every alert by rule, priority, namespace and pod', async () => {
      const alerts = burst();
      await channel({}, 'https://harrier.example/ui/').send(alerts, noSignal());
      expect(receiver.requests).toHaveLength(1);
      const payload = lastPayload();
      expect(payload.text).toBe('42 alerts from 2026-11-25T12:00:01.000Z to 2026-11-25T12:00:42.000Z');
      const attachment = payload.attachments[0]!;
      expect(attachment.color).toBe('#ff5400');
      const lines = attachment.text!.split('\n');
      expect(lines.slice(0, 2)).toEqual(['20× Terminal shell in container', '10× Write below etc']);
      expect(lines).toHaveLength(11);
      expect(lines[10]).toBe('… and 4 more rules (4 alerts)');
      const counted = lines
        .slice(0, 10)
        .map((l) => Number(l.split('×')[0]))
        .reduce((a, b) => a + b, 0);
      expect(counted + 4).toBe(42);
      const fields = Object.fromEntries(attachment.fields!.map((f) => [f.title, f.value]));
      expect(fields).toEqual({
        priorities: 'Critical: 1, Warning: 21, Notice: 20',
        namespaces: 'prod: 30, dev: 12',
        pods: 'pod-2: 13, pod-0: 12, pod-1: 12, web-0: 5',
        dashboard:
          '<https://harrier.example/ui/?since=2026-11-25T12%3A00%3A01.000Z&amp;until=2026-11-25T12%3A00%3A42.001Z|Open these alerts>',
      });
    });

    it('escapes rule names and places, and links nowhere without a dashboard URL', async () => {
      await channel().send(
        [
          testAlert({ rule: '<!channel>', output_fields: { 'k8s.ns.name': '<@U1>' } }),
          testAlert({ rule: '<!channel>', priority: 'Debug' }),
        ],
        noSignal(),
      );
      const attachment = lastPayload().attachments[0]!;
      expect(attachment.text).toBe('2× &lt;!channel&gt;');
      expect(attachment.color).toBe('#e20b0b');
      expect(attachment.fields!.map((f) => [f.title, f.value])).toEqual([
        ['priorities', 'Error: 1, Debug: 1'],
        ['namespaces', '&lt;@U1&gt;: 1'],
      ]);
    });

    it('counts every alert of a 1,000-alert burst', async () => {
      const alerts = Array.from({ length: 1000 }, (_, i) =>
        testAlert({ rule: `rule-${i % 37}`, time: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString() }),
      );
      await channel().send(alerts, noSignal());
      const text = lastPayload().attachments[0]!.text!;
      const shown = [...text.matchAll(/^(\d+)× /gm)].reduce((sum, m) => sum + Number(m[1]), 0);
      const rest = /… and (\d+) more rules \((\d+) alerts\)/.exec(text);
      expect(Number(rest![1])).toBe(27);
      expect(shown + Number(rest![2])).toBe(1000);
      expect(lastPayload().text).toMatch(/^1000 alerts from /);
    });
  });

  describe('delivery outcomes', () => {
    it.each([200, 201, 202, 204])('treats %i as delivered', async (code) => {
      receiver.respond(status(code));
      await expect(channel().send([testAlert()], noSignal())).resolves.toBeUndefined();
    });

    it.each([
      [400, 'invalid_payload (400)', false],
      [401, 'authentication error (401)', false],
      [403, 'access denied (403)', false],
      [404, 'resource not found (404)', false],
      [422, 'bad request (422)', false],
      [203, '203 Non-Authoritative Information (203)', false],
      [301, '301 Moved Permanently (301)', false],
      [500, 'internal server error (500)', true],
      [502, 'bad gateway (502)', true],
      [503, '503 Service Unavailable (503)', true],
    ])('classifies %i as "%s", retryable %s', async (code, message, retryable) => {
      receiver.respond(status(code, {}, code === 400 ? 'invalid_payload\n' : 'ignored'));
      const failure = await failureOf(channel().send([testAlert()], noSignal()));
      expect(failure.message).toBe(message);
      expect(failure.retryable).toBe(retryable);
      expect(failure.message).not.toContain('secret');
    });

    it('retries a 429 after Retry-After, in seconds or as an HTTP date', async () => {
      receiver.respond(status(429, { 'retry-after': '7' }));
      const seconds = await failureOf(channel().send([testAlert()], noSignal()));
      expect(seconds).toMatchObject({
        message: 'exceeding post rate limit (429)',
        retryable: true,
        retryAfterMs: 7000,
      });

      receiver.respond(status(429, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() }));
      const date = await failureOf(channel().send([testAlert()], noSignal()));
      expect(date.retryable).toBe(true);
      expect(date.retryAfterMs).toBeGreaterThan(27_000);
      expect(date.retryAfterMs).toBeLessThanOrEqual(30_000);
    });

    it('retries when the connection is refused, without naming the webhook URL', async () => {
      const url = receiver.url;
      await receiver.close();
      const failure = await failureOf(
        new SlackChannel(slackConfigSchema.parse({ webhookurl: `${url}/services/T/B/secret` }), context).send(
          [testAlert()],
          noSignal(),
        ),
      );
      expect(failure.retryable).toBe(true);
      expect(failure.message).toMatch(/^connection error: .*ECONNREFUSED/);
      expect(failure.message).not.toContain('secret');
      receiver = await startReceiver();
    });

    it('stops a request to a server that hangs as soon as the signal aborts', async () => {
      receiver.respond(hang);
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(new Error('attempt timed out after 100 ms')), 100);
      const failure = await failureOf(channel().send([testAlert()], { signal: controller.signal }));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(failure).toMatchObject({ retryable: true, message: 'request aborted: attempt timed out after 100 ms' });
    });
  });
});

describe('SlackChannel over TLS', () => {
  let pki: TestPki;
  let receiver: Receiver;

  beforeAll(async () => {
    pki = createTestPki();
    receiver = await startReceiver({ cert: pki.serverCert, key: pki.serverKey });
  });
  afterAll(async () => {
    await receiver.close();
    pki.remove();
  });

  const sendWith = async (config: Record<string, unknown>) => {
    const channel = new SlackChannel(
      slackConfigSchema.parse({ webhookurl: `${receiver.url}/hook`, ...config }),
      context,
    );
    try {
      await channel.send([testAlert()], noSignal());
    } finally {
      await channel.close();
    }
  };

  it('refuses an untrusted certificate by default, and accepts it with checkcert false or its CA', async () => {
    const failure = await failureOf(sendWith({}));
    expect(failure.retryable).toBe(true);
    expect(failure.message).toMatch(/certificate/);
    await sendWith({ checkcert: false });
    await sendWith({ cacertfile: pki.caFile });
    expect(receiver.requests).toHaveLength(2);
  });
});
