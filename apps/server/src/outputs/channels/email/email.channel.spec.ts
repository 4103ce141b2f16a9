import type { Alert } from '@harrier/alert';
import type { AddressObject } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelContext } from '../output-channel.js';
import { HOSTILE, testAlert } from '../testing/alerts.js';
import { createTestPki, type TestPki } from '../testing/certs.js';
import { failureOf, noSignal } from '../testing/failure.js';
import { startSmtpPeer, type SmtpPeer, type SmtpPeerOptions } from '../testing/smtp-peer.js';
import { startSaslPeer } from '../testing/sasl-peer.js';
import { EmailChannel, smtpTransportOptions } from './email.channel.js';
import { smtpConfigSchema } from './email.config.js';

const context: ChannelContext = { outputName: 'smtp', dashboardUrl: undefined };
const addresses = (field: AddressObject | AddressObject[] | undefined) =>
  [field ?? []].flat().flatMap((a) => a.value.map((v) => v.address));

describe('smtp config', () => {
  it("takes falcosidekick's defaults", () => {
    expect(
      smtpConfigSchema.parse({ hostport: 'smtp.example.com:587', from: 'falco@example.com', to: 'a@x.io' }),
    ).toEqual({
      hostport: 'smtp.example.com:587',
      tls: true,
      authmechanism: 'plain',
      user: '',
      password: '',
      token: '',
      identity: '',
      trace: '',
      from: 'falco@example.com',
      to: ['a@x.io'],
      outputformat: 'html',
      minimumpriority: undefined,
      cacertfile: '',
    });
  });

  it('reads recipients as a comma list or a list, and values as env strings', () => {
    const config = smtpConfigSchema.parse({
      hostport: '[::1]:25',
      from: 'f@x.io',
      to: ' a@x.io, b@x.io ,,',
      tls: 'false',
      authmechanism: 'LOGIN',
      outputformat: 'Text',
    });
    expect(config).toMatchObject({
      to: ['a@x.io', 'b@x.io'],
      tls: false,
      authmechanism: 'login',
      outputformat: 'text',
    });
    expect(smtpConfigSchema.parse({ hostport: 'h:25', from: 'f@x.io', to: ['a@x.io', 'b@x.io,c@x.io'] }).to).toEqual([
      'a@x.io',
      'b@x.io',
      'c@x.io',
    ]);
  });

  it('reads YAML keys without a value as unset', () => {
    const config = smtpConfigSchema.parse({
      hostport: 'h:25',
      from: 'f@x.io',
      to: 't@x.io',
      tls: null,
      authmechanism: null,
      user: null,
      outputformat: null,
    });
    expect(config).toMatchObject({ tls: true, authmechanism: 'plain', user: '', outputformat: 'html' });
    expect(smtpConfigSchema.safeParse({ hostport: null }).error?.issues.map((i) => [i.path[0], i.message])).toEqual([
      ['hostport', 'is required'],
      ['from', 'is required'],
      ['to', 'is required'],
    ]);
  });

  it('names every bad key at once', () => {
    const result = smtpConfigSchema.safeParse({
      hostport: 'smtp.example.com',
      authmechanism: 'cram-md5',
      outputformat: 'pdf',
      to: ' , ',
    });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['hostport', 'must be host:port, e.g. smtp.example.com:587'],
      ['authmechanism', 'must be one of plain, login, oauthbearer, external, anonymous, none'],
      ['from', 'is required'],
      ['to', 'needs at least one recipient'],
      ['outputformat', 'must be html or text'],
    ]);
  });
});

describe('smtp transport options', () => {
  const options = (config: Record<string, unknown>) =>
    smtpTransportOptions(smtpConfigSchema.parse({ from: 'f@x.io', to: 't@x.io', ...config }));

  it('uses implicit TLS on port 465, verified, whatever tls says', () => {
    expect(options({ hostport: 'smtp.example.com:465', tls: false })).toMatchObject({
      host: 'smtp.example.com',
      port: 465,
      secure: true,
      requireTLS: false,
      tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    });
  });

  it('requires a verified STARTTLS with tls true, and upgrades unverified with tls false', () => {
    expect(options({ hostport: 'smtp.example.com:587' })).toMatchObject({
      secure: false,
      requireTLS: true,
      tls: { rejectUnauthorized: true },
    });
    expect(options({ hostport: '[::1]:25', tls: false })).toMatchObject({
      host: '::1',
      secure: false,
      requireTLS: false,
      tls: { rejectUnauthorized: false },
    });
  });

  it('names an unreadable CA file', () => {
    expect(() => options({ hostport: 'h:25', cacertfile: '/nonexistent/ca.pem' })).toThrow(
      'cannot read the CA certificate "/nonexistent/ca.pem" (ENOENT)',
    );
  });
});

describe('EmailChannel', () => {
  let pki: TestPki;
  const peers: SmtpPeer[] = [];
  const channels: EmailChannel[] = [];

  beforeAll(() => {
    pki = createTestPki();
  });
  afterAll(() => pki.remove());
  afterEach(async () => {
    await Promise.all(channels.splice(0).map((c) => c.close()));
    await Promise.all(peers.splice(0).map((p) => p.close()));
  });

  const peer = async (options: SmtpPeerOptions = {}) => {
    const started = await startSmtpPeer(options);
    peers.push(started);
    return started;
  };
  const channel = (smtp: { hostport: string }, config: Record<string, unknown> = {}, dashboardUrl?: string) => {
    const created = new EmailChannel(
      smtpConfigSchema.parse({
        hostport: smtp.hostport,
        tls: false,
        from: 'Falco <falco@example.com>',
        to: 'soc@example.com, oncall@example.com',
        ...config,
      }),
      { ...context, dashboardUrl },
    );
    channels.push(created);
    return created;
  };

  it('sends one alert as falcosidekick lays it out, in text and HTML, to every recipient', async () => {
    const smtp = await peer();
    await channel(smtp).send([testAlert({ output_fields: { 'user.name': 'root', 'evt.num': 42 } })], noSignal());

    const [received] = smtp.mails;
    expect(received!.envelopeFrom).toBe('falco@example.com');
    expect(received!.envelopeTo).toEqual(['soc@example.com', 'oncall@example.com']);
    const mail = received!.mail;
    expect(mail.subject).toBe('[Error] Write below binary dir');
    expect(addresses(mail.from)).toEqual(['falco@example.com']);
    expect(addresses(mail.to)).toEqual(['soc@example.com', 'oncall@example.com']);
    expect(mail.date?.toISOString()).toBe('2019-05-17T15:31:56.000Z');
    expect(received!.raw).toMatch(/Content-Type: multipart\/alternative/);
    expect(mail.text).toBe(
      [
        'Priority: Error',
        `Output: ${testAlert().output}`,
        'Rule: Write below binary dir',
        'Source: syscall',
        'Hostname: localhost',
        'Tags: filesystem mitre_persistence',
        'Time: 2019-05-17 15:31:56.746609046 +0000 UTC',
        '',
        '--Fields--',
        'evt.num: 42',
        'user.name: root',
        '',
      ].join('\n'),
    );
    const html = mail.html as string;
    expect(html).toContain('background-color:#ffc700');
    expect(html).toMatch(/>Rule<\/td><td[^>]*>Write below binary dir<\/td>/);
    expect(html).toMatch(/>evt\.num<\/td><td[^>]*>42<\/td>/);
  });

  it('sends text only with outputformat text', async () => {
    const smtp = await peer();
    await channel(smtp, { outputformat: 'text' }).send([testAlert()], noSignal());
    const mail = smtp.mails[0]!.mail;
    expect(mail.html).toBe(false);
    expect(mail.text).toContain('Rule: Write below binary dir');
    expect(smtp.mails[0]!.raw).not.toMatch(/multipart/);

    await channel(smtp, { outputformat: 'text' }).send([testAlert(), testAlert({ rule: 'Other' })], noSignal());
    expect(smtp.mails[1]!.mail.subject).toBe('[Error] 2 alerts: Other and 1 other');
    expect(smtp.mails[1]!.mail.html).toBe(false);
  });

  it('keeps a hostile alert out of the headers and the HTML', async () => {
    const smtp = await peer();
    const alert = testAlert({
      rule: 'Evil\r\nBcc: victim@evil.example\r\nX-Injected: yes\n<script>alert(1)</script>',
      output: HOSTILE,
      hostname: '"><img src=x onerror=alert(1)>',
      output_fields: { '<b>key</b>': '<script>x</script>' },
    });
    await channel(smtp).send([alert], noSignal());
    const { mail, envelopeTo, raw } = smtp.mails[0]!;
    expect(mail.subject).toBe('[Error] Evil Bcc: victim@evil.example X-Injected: yes <script>alert(1)</script>');
    expect(mail.headers.has('x-injected')).toBe(false);
    expect(mail.headers.has('bcc')).toBe(false);
    expect(envelopeTo).toEqual(['soc@example.com', 'oncall@example.com']);
    const headerBlock = raw.slice(0, raw.indexOf('\r\n\r\n'));
    expect(headerBlock).not.toMatch(/^(X-Injected|Bcc):/im);
    const html = mail.html as string;
    expect(html).not.toMatch(/<script|<img|<b>/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;b&gt;key&lt;/b&gt;');
    expect(html).toContain('&lt;!channel&gt; &lt;@U123&gt;');
  });

  it('sends a burst as one digest mail that counts every alert', async () => {
    const smtp = await peer();
    const alerts: Alert[] = [
      ...Array.from({ length: 5 }, (_, i) =>
        testAlert({
          rule: 'Terminal shell in container',
          priority: 'Notice',
          time: `2026-11-25T12:00:0${i}Z`,
          output_fields: { 'k8s.ns.name': 'prod', 'k8s.pod.name': `web-${i % 2}` },
        }),
      ),
      testAlert({ rule: 'Read sensitive <file>', priority: 'Critical', time: '2026-11-25T12:00:09Z' }),
      testAlert({ rule: 'Write below etc', priority: 'Warning', time: '2026-11-25T11:59:59Z' }),
    ];
    await channel(smtp, {}, 'https://harrier.example').send(alerts, noSignal());
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!.mail;
    expect(mail.subject).toBe('[Critical] 7 alerts: Terminal shell in container and 2 others');
    const text = mail.text!;
    expect(text).toContain('7 alerts from 2026-11-25T11:59:59Z to 2026-11-25T12:00:09Z');
    expect(text).toContain('Priorities: Critical: 1, Warning: 1, Notice: 5');
    expect(text).toContain('Namespaces: prod: 5');
    expect(text).toContain('Pods: web-0: 3, web-1: 2');
    expect(text).toContain('--Rules--\n5× Terminal shell in container\n1× Read sensitive <file>\n1× Write below etc\n');
    expect(text).toContain(
      'Dashboard: https://harrier.example/?since=2026-11-25T11%3A59%3A59.000Z&until=2026-11-25T12%3A00%3A09.001Z',
    );
    const html = mail.html as string;
    expect(html).toContain('background-color:#ff9000');
    expect(html).toContain('href="https://harrier.example/?since=2026-11-25T11%3A59%3A59.000Z&amp;until=');
    expect(html).toContain('1× Read sensitive &lt;file&gt;');
    expect(html.match(/<tr><td style="[^"]*">2026-11-25T/g)).toHaveLength(7);
    expect(mail.date?.toISOString()).toBe('2026-11-25T12:00:09.000Z');
  });

  it('reuses pooled connections across sends', async () => {
    const smtp = await peer();
    const email = channel(smtp);
    for (let i = 0; i < 3; i++) await email.send([testAlert()], noSignal());
    expect(smtp.mails).toHaveLength(3);
    expect(smtp.connections()).toBe(1);
  });

  describe('TLS', () => {
    it('upgrades with STARTTLS and verifies the server against the configured CA', async () => {
      const smtp = await peer({ tls: { key: pki.serverKey, cert: pki.serverCert } });
      await channel(smtp, { tls: true, cacertfile: pki.caFile }).send([testAlert()], noSignal());
      expect(smtp.mails[0]!.secure).toBe(true);
    });

    it('refuses an untrusted certificate when tls is true', async () => {
      const smtp = await peer({ tls: { key: pki.serverKey, cert: pki.serverCert } });
      const failure = await failureOf(channel(smtp, { tls: true }).send([testAlert()], noSignal()));
      expect(failure.retryable).toBe(true);
      expect(failure.message).toMatch(/certificate/);
      expect(smtp.mails).toHaveLength(0);
    });

    it('requires STARTTLS when tls is true', async () => {
      const smtp = await peer();
      const failure = await failureOf(channel(smtp, { tls: true }).send([testAlert()], noSignal()));
      expect(failure.message).toMatch(/STARTTLS/i);
      expect(smtp.mails).toHaveLength(0);
    });

    it('speaks implicit TLS on port 465', async (ctx) => {
      let smtp: SmtpPeer;
      try {
        smtp = await peer({ tls: { key: pki.serverKey, cert: pki.serverCert }, implicitTls: true, port: 465 });
      } catch {
        ctx.skip('port 465 cannot be bound here (not root, or in use)');
        return;
      }
      await channel(smtp, { tls: false, cacertfile: pki.caFile }).send([testAlert()], noSignal());
      expect(smtp.mails[0]!.secure).toBe(true);
    });

    it('still encrypts opportunistically when tls is false and the server offers STARTTLS', async () => {
      const smtp = await peer({ tls: { key: pki.serverKey, cert: pki.serverCert } });
      await channel(smtp, { tls: false }).send([testAlert()], noSignal());
      expect(smtp.mails[0]!.secure).toBe(true);
    });
  });

  describe('authentication', () => {
    const users = { alice: 'correct horse battery' };

    it.each(['plain', 'login'])('logs in with AUTH %s', async (authmechanism) => {
      const smtp = await peer({ users });
      await channel(smtp, { authmechanism, user: 'alice', password: users.alice }).send([testAlert()], noSignal());
      expect(smtp.mails[0]!.user).toBe('alice');
    });

    it.each(['plain', 'login'])('fails for good with a wrong password over %s, without echoing it', async (mech) => {
      const smtp = await peer({ users });
      const failure = await failureOf(
        channel(smtp, { authmechanism: mech, user: 'alice', password: 'hunter2-wrong' }).send(
          [testAlert()],
          noSignal(),
        ),
      );
      expect(failure.retryable).toBe(false);
      expect(failure.message).toBe('SMTP authentication failed (535): check smtp.user and the password or token');
      expect(failure.message).not.toContain('hunter2');
      expect(smtp.mails).toHaveLength(0);
    });

    it('sends the PLAIN authorisation identity when one is set', async () => {
      const sasl = await startSaslPeer(() => true);
      try {
        await channel(sasl, {
          user: 'alice',
          password: 'pw',
          identity: 'admin',
        }).send([testAlert()], noSignal());
        expect(sasl.authLines).toEqual([`AUTH PLAIN ${Buffer.from('admin\0alice\0pw').toString('base64')}`]);
        expect(sasl.delivered).toBe(1);
      } finally {
        await sasl.close();
      }
    });

    it.each([
      [
        'oauthbearer',
        { user: 'alice', token: 'tok-123' },
        `AUTH OAUTHBEARER ${Buffer.from('n,a=alice,\x01auth=Bearer tok-123\x01\x01').toString('base64')}`,
      ],
      ['external', { identity: 'falco' }, `AUTH EXTERNAL ${Buffer.from('falco').toString('base64')}`],
      ['anonymous', { trace: 'harrier' }, `AUTH ANONYMOUS ${Buffer.from('harrier').toString('base64')}`],
      ['anonymous', {}, 'AUTH ANONYMOUS ='],
    ])('authenticates with %s as falcosidekick does', async (authmechanism, credentials, expected) => {
      const sasl = await startSaslPeer(() => true);
      try {
        await channel(sasl, { authmechanism, ...credentials }).send([testAlert()], noSignal());
        expect(sasl.authLines).toEqual([expected]);
        expect(sasl.delivered).toBe(1);
      } finally {
        await sasl.close();
      }
    });

    it('acknowledges an OAUTHBEARER error challenge and fails for good, without the token', async () => {
      const sasl = await startSaslPeer(() => false);
      try {
        const failure = await failureOf(
          channel(sasl, {
            authmechanism: 'oauthbearer',
            user: 'a',
            token: 'expired-token',
          }).send([testAlert()], noSignal()),
        );
        expect(sasl.authLines[1]).toBe('AQ==');
        expect(failure.retryable).toBe(false);
        expect(failure.message).toBe('SMTP authentication failed (535): check smtp.user and the password or token');
        expect(sasl.delivered).toBe(0);
      } finally {
        await sasl.close();
      }
    });

    it('does not authenticate with authmechanism none, or with plain and no credentials', async () => {
      const smtp = await peer({ users });
      await channel(smtp, { authmechanism: 'none', user: 'alice', password: 'wrong' }).send([testAlert()], noSignal());
      await channel(smtp, {}).send([testAlert()], noSignal());
      expect(smtp.mails.map((m) => m.user)).toEqual([undefined, undefined]);
    });
  });

  describe('failures', () => {
    it('retries a 4xx reply and gives up on a 5xx reply', async () => {
      const smtp = await peer();
      const email = channel(smtp);
      smtp.failData({ code: 451, message: 'Try again later' });
      const transient = await failureOf(email.send([testAlert()], noSignal()));
      expect(transient.retryable).toBe(true);
      expect(transient.message).toMatch(/^SMTP server replied 451 .*Try again later/);

      smtp.failData({ code: 554, message: 'Message rejected as spam' });
      const permanent = await failureOf(email.send([testAlert()], noSignal()));
      expect(permanent.retryable).toBe(false);
      expect(permanent.message).toMatch(/^SMTP server replied 554 .*rejected as spam/);

      smtp.failData(undefined);
      await email.send([testAlert()], noSignal());
      expect(smtp.mails).toHaveLength(1);
    });

    it('retries when the server cannot be reached', async () => {
      const smtp = await peer();
      const hostport = smtp.hostport;
      await smtp.close();
      peers.splice(peers.indexOf(smtp), 1);
      const email = new EmailChannel(
        smtpConfigSchema.parse({ hostport, tls: false, from: 'f@x.io', to: 't@x.io' }),
        context,
      );
      channels.push(email);
      const failure = await failureOf(email.send([testAlert()], noSignal()));
      expect(failure.retryable).toBe(true);
      expect(failure.message).toMatch(/ECONNREFUSED/);
    });

    it('stops waiting on a server that hangs as soon as the signal aborts', async () => {
      const smtp = await peer();
      smtp.failData('hang');
      const started = Date.now();
      const failure = await failureOf(channel(smtp).send([testAlert()], { signal: AbortSignal.timeout(200) }));
      expect(Date.now() - started).toBeLessThan(3000);
      expect(failure.retryable).toBe(true);
      expect(failure.message).toMatch(/^sending aborted: /);
    });
  });
});
