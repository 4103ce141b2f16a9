import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FalcoAlert } from '@harrier/alert';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { HubSink, type HubSinkOptions, type RetryNotice } from './hub-sink.js';
import { DeliveryError } from './sink.js';

const alert: FalcoAlert = {
  hostname: 'node-1',
  output: '12:00:01.123456789: Warning Pod started with privileged container (user=alice)',
  output_fields: { 'ka.user.name': 'alice' },
  priority: 'Warning',
  rule: 'Create Privileged Pod',
  source: 'k8s_audit',
  tags: ['k8s'],
  time: '2023-11-14T22:13:20.123456789Z',
};

interface Received {
  method: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

type Reply = (res: ServerResponse, req: IncomingMessage) => void;

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A hub on 127.0.0.1 that answers the n-th request with `replies[n]` (the last one thereafter). */
async function hub(...replies: Reply[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      received.push({ method: req.method, contentType: req.headers['content-type'], body: JSON.parse(text) });
      const reply = replies[Math.min(received.length, replies.length) - 1];
      reply?.(res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, received };
}

const ok: Reply = (res) => res.writeHead(200).end();
const status =
  (code: number, body = '', headers: Record<string, string> = {}): Reply =>
  (res) =>
    res.writeHead(code, headers).end(body);
const hangUp: Reply = (_res, req) => req.socket.destroy();

/** Records waits instead of waiting. */
function instantClock(): Clock & { waits: number[] } {
  const waits: number[] = [];
  return { waits, now: () => 0, sleep: (ms) => (waits.push(ms), Promise.resolve()) };
}

function sink(url: string, options: Partial<HubSinkOptions> = {}) {
  const retries: RetryNotice[] = [];
  const clock = instantClock();
  const sut = new HubSink({ url, attempts: 3, clock, onRetry: (r) => retries.push(r), ...options });
  return { sut, retries, waits: clock.waits };
}

describe('HubSink', () => {
  it('posts the alert as JSON', async () => {
    const { url, received } = await hub(ok);
    await sink(url).sut.send(alert);
    expect(received).toEqual([{ method: 'POST', contentType: 'application/json', body: alert }]);
  });

  it.each([
    ['a server error', status(503, 'redis down'), 'answered 503 Service Unavailable: redis down'],
    ['a dropped connection', hangUp, 'other side closed'],
  ])('retries after %s, then delivers', async (_, firstReply, reason) => {
    const { url, received } = await hub(firstReply, ok);
    const { sut, retries } = sink(url);
    await sut.send(alert);
    expect(received).toHaveLength(2);
    expect(received[1]?.body).toEqual(alert);
    expect(retries).toEqual([expect.objectContaining({ attempt: 1, attempts: 3 })]);
    expect(retries[0]?.reason).toContain(reason);
  });

  it('backs off exponentially, with jitter, up to the cap', async () => {
    const { url } = await hub(status(500));
    const { sut, waits } = sink(url, { attempts: 5, initialDelayMs: 100, maxDelayMs: 300 });
    await expect(sut.send(alert)).rejects.toThrow(DeliveryError);
    expect(waits).toHaveLength(4);
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);
    expect(waits[3]).toBeLessThanOrEqual(300);
  });

  it('honours Retry-After, within the cap', async () => {
    const { url } = await hub(status(429, '', { 'retry-after': '1' }), status(503, '', { 'retry-after': '60' }), ok);
    const { sut, waits } = sink(url, { maxDelayMs: 5_000 });
    await sut.send(alert);
    expect(waits).toEqual([1_000, 5_000]);
  });

  it('gives up after the last attempt when the hub keeps failing', async () => {
    const { url, received } = await hub(status(500, 'boom'));
    const error = await sink(url)
      .sut.send(alert)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ code: 'HUB_UNAVAILABLE', attempts: 3 });
    expect((error as Error).message).toBe(`answered 500 Internal Server Error: boom (hub ${url}, 3 attempts)`);
    expect(received).toHaveLength(3);
  });

  it('does not retry an alert the hub rejects', async () => {
    const { url, received } = await hub(status(400, '{"issues":[{"field":"time"}]}'));
    const { sut, retries } = sink(url);
    await expect(sut.send(alert)).rejects.toMatchObject({ code: 'HUB_REJECTED', attempts: 1 });
    expect(received).toHaveLength(1);
    expect(retries).toEqual([]);
  });

  it('reports an unreachable hub clearly, after bounded retries', async () => {
    const { url } = await hub(ok);
    await closers.splice(0)[0]?.();
    const { sut, retries } = sink(url);
    const error = await sut.send(alert).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HUB_UNREACHABLE', attempts: 3 });
    expect((error as Error).message).toMatch(
      /^connect ECONNREFUSED 127\.0\.0\.1:\d+ \(hub http:\/\/127\.0\.0\.1:\d+\/, 3 attempts\)$/,
    );
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
  });

  it('times out a hub that never answers', async () => {
    const { url } = await hub(() => undefined);
    const { sut } = sink(url, { attempts: 1, timeoutMs: 50 });
    const error = await sut.send(alert).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HUB_UNREACHABLE' });
    expect((error as Error).message).toContain('no answer within 50 ms');
  });
});
