import { createHmac } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelContext } from '../output-channel.js';
import { HOSTILE, testAlert } from '../testing/alerts.js';
import { createTestPki, type TestPki } from '../testing/certs.js';
import { failureOf, noSignal } from '../testing/failure.js';
import { hang, startReceiver, status, type Receiver, type Responder } from '../testing/receiver.js';
import { WebhookChannel } from './webhook.channel.js';
import { webhookConfigSchema } from './webhook.config.js';
import { webhookBody } from './webhook.format.js';

const context: ChannelContext = { outputName: 'webhook', dashboardUrl: undefined };

describe('webhook config', () => {
  it("takes falcosidekick's defaults, but 16 connections instead of 1", () => {
    expect(webhookConfigSchema.parse({ address: 'http://receiver:8080/falco' })).toEqual({
      address: 'http://receiver:8080/falco',
      method: 'POST',
      customheaders: {},
      hmacsecret: '',
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

  it.each([
    ['put', 'PUT'],
    ['Put', 'PUT'],
    ['PUT', 'PUT'],
    ['patch', 'POST'],
    ['', 'POST'],
  ])('method %j sends %s', (method, expected) => {
    expect(webhookConfigSchema.parse({ address: 'https://r/x', method }).method).toBe(expected);
  });

  it('reads custom headers from a map or from the env form, keeping colons in values', () => {
    expect(
      webhookConfigSchema.parse({ address: 'https://r/x', customheaders: { Authorization: 'Bearer xyz', 'X-N': 5 } })
        .customheaders,
    ).toEqual({ Authorization: 'Bearer xyz', 'X-N': '5' });
    expect(
      webhookConfigSchema.parse({ address: 'https://r/x', customheaders: 'Authorization:Bearer a:b, X-Foo:bar' })
        .customheaders,
    ).toEqual({ Authorization: 'Bearer a:b', 'X-Foo': 'bar' });
  });

  it('names every bad key at once', () => {
    const result = webhookConfigSchema.safeParse({
      address: 'nats://queue',
      customheaders: { 'Bad Header': 'x', 'X-Ok': 'a\r\nInjected: 1' },
      maxconcurrentrequests: -1,
    });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['address', 'must be an http:// or https:// URL'],
      ['customheaders', '"Bad Header" is not a valid header name'],
      ['customheaders', 'the value of header "X-Ok" must not contain CR, LF or NUL'],
      ['maxconcurrentrequests', 'must be a whole number from 0 to 1024'],
    ]);
    const concurrency = (value: unknown) =>
      webhookConfigSchema.safeParse({ address: 'https://r/x', maxconcurrentrequests: value });
    expect(concurrency('0').data?.maxconcurrentrequests).toBe(0);
    expect(concurrency(' 8 ').data?.maxconcurrentrequests).toBe(8);
    for (const bad of ['0x10', '1e2', '2.5', 2.5, 'many']) expect(concurrency(bad).success).toBe(false);
    expect(webhookConfigSchema.safeParse({ address: 'https://u:50%zz@r/x' }).error?.issues).toEqual([
      expect.objectContaining({
        path: ['address'],
        message: 'has a user name or password with a bad % escape (write a literal % as %25)',
      }),
    ]);
    expect(webhookConfigSchema.safeParse({ address: 'https://r/x', customheaders: 'novalue' }).error?.issues).toEqual([
      expect.objectContaining({
        path: ['customheaders'],
        message: 'item 1 is not Name:value (values cannot hold commas here)',
      }),
    ]);
  });
});

describe('webhook body', () => {
  it("is falcosidekick's event JSON: key order, sorted fields, Go time, trailing newline", () => {
    const alert = testAlert({
      time: '2019-05-17T15:31:56.746609000Z',
      output_fields: { 'user.name': 'root', 'evt.time': 1507591916746609, nested: { b: 1, a: [{ d: 1, c: 2 }] } },
    });
    expect(webhookBody(alert)).toBe(
      '{"uuid":"01J0000000000000000000000A","output":"16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)",' +
        '"priority":"Error","rule":"Write below binary dir","time":"2019-05-17T15:31:56.746609Z",' +
        '"output_fields":{"evt.time":1507591916746609,"nested":{"a":[{"c":2,"d":1}],"b":1},"user.name":"root"},' +
        '"source":"syscall","tags":["filesystem","mitre_persistence"],"hostname":"localhost"}\n',
    );
  });

  it('sorts maps nested under keys that are already in order, and arrays of maps', () => {
    const body = webhookBody(testAlert({ output_fields: { a: 1, b: { d: 1, c: 2 }, e: [{ g: 1, f: 2 }, 3] } }));
    expect(body).toContain('"output_fields":{"a":1,"b":{"c":2,"d":1},"e":[{"f":2,"g":1},3]},');
  });

  it('omits empty tags and hostname, and escapes HTML characters as Go does', () => {
    const body = webhookBody(testAlert({ tags: [], hostname: '', output: '<b>&</b>', output_fields: { x: '\u2028' } }));
    expect(body).toContain('"output":"\\u003cb\\u003e\\u0026\\u003c/b\\u003e"');
    expect(body).toContain('"output_fields":{"x":"\\u2028"},"source":"syscall"}\n');
    expect(Object.keys(JSON.parse(body) as object)).toEqual([
      'uuid',
      'output',
      'priority',
      'rule',
      'time',
      'output_fields',
      'source',
    ]);
    expect((JSON.parse(body) as { output: string }).output).toBe('<b>&</b>');
  });
});

describe('WebhookChannel', () => {
  let receiver: Receiver;
  const channels: WebhookChannel[] = [];
  const channel = (config: Record<string, unknown> = {}, address = `${receiver.url}/falco?token=secret`) => {
    const created = new WebhookChannel(webhookConfigSchema.parse({ address, ...config }), context);
    channels.push(created);
    return created;
  };

  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await Promise.all(channels.splice(0).map((c) => c.close()));
    await receiver.close();
  });

  it('POSTs the alert with our headers, then the custom ones', async () => {
    const alert = testAlert({ output: HOSTILE });
    await channel({ customheaders: { Authorization: 'Bearer xyz', 'X-Tenant': 'team-a' } }).send([alert], noSignal());
    const request = receiver.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/falco?token=secret');
    expect(request.body).toBe(webhookBody(alert));
    expect(request.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Harrier',
      authorization: 'Bearer xyz',
      'x-tenant': 'team-a',
    });
    expect(request.headers['x-harrier-signature']).toBeUndefined();
  });

  it('sends credentials in the address as Basic authentication, unless a custom header sets its own', async () => {
    const address = (path: string) => receiver.url.replace('://', '://falco:p%40ss%3Aw0rd@') + path;
    await channel({}, address('/basic')).send([testAlert()], noSignal());
    await channel({ customheaders: { Authorization: 'Bearer xyz' } }, address('/bearer')).send(
      [testAlert()],
      noSignal(),
    );
    const [basic, bearer] = receiver.requests;
    expect(basic!.url).toBe('/basic');
    expect(basic!.headers['authorization']).toBe(`Basic ${Buffer.from('falco:p@ss:w0rd').toString('base64')}`);
    expect(bearer!.headers['authorization']).toBe('Bearer xyz');
  });

  it('lets a custom header replace the content type, and sends PUT when asked', async () => {
    await channel({ method: 'put', customheaders: { 'Content-Type': 'application/x-falco' } }).send(
      [testAlert()],
      noSignal(),
    );
    expect(receiver.requests[0]!.method).toBe('PUT');
    expect(receiver.requests[0]!.headers['content-type']).toBe('application/x-falco');
  });

  it('delivers several alerts one request each, in order', async () => {
    await channel().send([testAlert({ id: 'a' }), testAlert({ id: 'b' })], noSignal());
    expect(receiver.requests.map((r) => (JSON.parse(r.body) as { uuid: string }).uuid)).toEqual(['a', 'b']);
  });

  it('signs the timestamp and the exact body so the receiver can verify both', async () => {
    const before = Math.floor(Date.now() / 1000);
    await channel({ hmacsecret: 's3cr3t' }).send([testAlert({ output: 'é ✓ <x>' })], noSignal());
    const request = receiver.requests[0]!;
    const signed = `${String(request.headers['x-harrier-timestamp'])}.${request.body}`;
    const expected = createHmac('sha256', 's3cr3t').update(Buffer.from(signed, 'utf8')).digest('hex');
    expect(request.headers['x-harrier-signature']).toBe(`sha256=${expected}`);
    const timestamp = Number(request.headers['x-harrier-timestamp']);
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    const forged = createHmac('sha256', 'wrong').update(request.body).digest('hex');
    expect(request.headers['x-harrier-signature']).not.toBe(`sha256=${forged}`);
  });

  it.each([200, 201, 202, 203, 204, 206, 299])('treats %i as delivered (any 2xx)', async (code) => {
    receiver.respond(status(code));
    await expect(channel().send([testAlert()], noSignal())).resolves.toBeUndefined();
  });

  it.each([
    [302, false],
    [400, false],
    [401, false],
    [404, false],
    [408, true],
    [500, true],
    [503, true],
  ])('fails on %i, retryable %s', async (code, retryable) => {
    receiver.respond(status(code, { 'retry-after': '3' }, code === 400 ? 'missing field "rule"' : ''));
    const failure = await failureOf(channel().send([testAlert()], noSignal()));
    expect(failure.retryable).toBe(retryable);
    expect(failure.retryAfterMs).toBe(retryable ? 3000 : undefined);
    expect(failure.message).toMatch(new RegExp(`\\(${code}\\)$`));
    if (code === 400) expect(failure.message).toBe('missing field "rule" (400)');
    expect(failure.message).not.toContain('secret');
  });

  it('retries a 429 with a Retry-After date', async () => {
    receiver.respond(status(429, { 'retry-after': new Date(Date.now() + 60_000).toUTCString() }));
    const failure = await failureOf(channel().send([testAlert()], noSignal()));
    expect(failure.message).toBe('exceeding post rate limit (429)');
    expect(failure.retryAfterMs).toBeGreaterThan(57_000);
    expect(failure.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('gives up on a hung receiver as soon as the signal aborts', async () => {
    receiver.respond(hang);
    const started = Date.now();
    const failure = await failureOf(channel().send([testAlert()], { signal: AbortSignal.timeout(150) }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(failure.retryable).toBe(true);
    expect(failure.message).toMatch(/^request aborted: /);
  });

  it('never has more requests in flight than maxconcurrentrequests', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow: Responder = (_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res.end();
      }, 50);
    };
    receiver.respond(slow);
    const serial = channel({ maxconcurrentrequests: 1 });
    await Promise.all([1, 2, 3, 4].map(() => serial.send([testAlert()], noSignal())));
    expect(peak).toBe(1);

    peak = 0;
    const wide = channel({ maxconcurrentrequests: 3 });
    await Promise.all([1, 2, 3, 4, 5, 6].map(() => wide.send([testAlert()], noSignal())));
    expect(peak).toBe(3);
    expect(receiver.requests).toHaveLength(10);
  });
});

describe('WebhookChannel over TLS', () => {
  let pki: TestPki;
  let receiver: Receiver;
  let mtlsReceiver: Receiver;

  beforeAll(async () => {
    pki = createTestPki();
    receiver = await startReceiver({ cert: pki.serverCert, key: pki.serverKey });
    mtlsReceiver = await startReceiver({
      cert: pki.serverCert,
      key: pki.serverKey,
      ca: pki.ca,
      requestCert: true,
      rejectUnauthorized: true,
    });
  });
  afterAll(async () => {
    await receiver.close();
    await mtlsReceiver.close();
    pki.remove();
  });

  const send = async (address: string, config: Record<string, unknown>) => {
    const channel = new WebhookChannel(webhookConfigSchema.parse({ address, ...config }), context);
    try {
      await channel.send([testAlert()], noSignal());
    } finally {
      await channel.close();
    }
  };

  it('verifies the server certificate unless checkcert is false; a custom CA makes it trusted', async () => {
    const failure = await failureOf(send(receiver.url, {}));
    expect(failure.retryable).toBe(true);
    expect(failure.message).toMatch(/^connection error: .*certificate/);
    await send(receiver.url, { checkcert: 'false' });
    await send(receiver.url, { cacertfile: pki.caFile });
    expect(receiver.requests).toHaveLength(2);
  });

  it('presents a client certificate with mutualtls, from the file keys', async () => {
    await expect(send(mtlsReceiver.url, { cacertfile: pki.caFile })).rejects.toMatchObject({ retryable: true });
    await send(mtlsReceiver.url, {
      mutualtls: true,
      certfile: pki.clientCertFile,
      keyfile: pki.clientKeyFile,
      cacertfile: pki.caFile,
    });
    expect(mtlsReceiver.requests.at(-1)!.clientCn).toBe('harrier-client');
  });

  it("falls back to falcosidekick's client.crt, client.key and ca.crt in mutualtlsfilespath", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'harrier-certs-'));
    try {
      copyFileSync(pki.clientCertFile, path.join(dir, 'client.crt'));
      copyFileSync(pki.clientKeyFile, path.join(dir, 'client.key'));
      copyFileSync(pki.caFile, path.join(dir, 'ca.crt'));
      const before = mtlsReceiver.requests.length;
      // checkcert is ignored under mutual TLS: the server is still verified, against ca.crt.
      await send(mtlsReceiver.url, { mutualtls: true, mutualtlsfilespath: dir, checkcert: false });
      expect(mtlsReceiver.requests.length).toBe(before + 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails to build, naming the file, when a certificate file is missing', () => {
    const config = webhookConfigSchema.parse({
      address: 'https://r/x',
      mutualtls: true,
      mutualtlsfilespath: '/nonexistent',
    });
    expect(() => new WebhookChannel(config, context)).toThrow(
      'cannot read the client certificate "/nonexistent/client.crt" (ENOENT)',
    );
  });
});
