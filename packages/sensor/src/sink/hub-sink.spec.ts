import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FalcoAlert } from '@harrier/alert';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { HubSink, type HubSinkOptions, type RetryNotice } from './hub-sink.js';
import { DeliveryError } from './sink.js';

const alert = (rule = 'Create Privileged Pod'): FalcoAlert => ({
  hostname: 'node-1',
  output: '12:00:01.123456789: Warning Pod started with privileged container (user=alice)',
  output_fields: { 'ka.user.name': 'alice' },
  priority: 'Warning',
  rule,
  source: 'k8s_audit',
  tags: ['k8s'],
  time: '2023-11-14T22:13:20.123456789Z',
});

interface Received {
  method: string | undefined;
  contentType: string | undefined;
  authorization?: string | undefined;
  body: FalcoAlert[];
  /** Which connection carried it: the same number for the same socket. */
  connection: number;
}

type Reply = (res: ServerResponse, req: IncomingMessage, body: FalcoAlert[]) => void;

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A hub on 127.0.0.1 that answers the n-th request with `replies[n]` (the last one thereafter). */
async function hub(...replies: Reply[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const connections = new WeakMap<Socket, number>();
  let opened = 0;
  const server = createServer((req, res) => {
    if (!connections.has(req.socket)) connections.set(req.socket, opened++);
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      const body = JSON.parse(text) as FalcoAlert[];
      received.push({
        method: req.method,
        contentType: req.headers['content-type'],
        authorization: req.headers.authorization,
        body,
        connection: connections.get(req.socket)!,
      });
      const reply = replies[Math.min(received.length, replies.length) - 1];
      reply?.(res, req, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, received };
}

const ok: Reply = (res, _req, body) => res.writeHead(200).end(JSON.stringify({ stored: body.length }));
const status =
  (code: number, body = '', headers: Record<string, string> = {}): Reply =>
  (res) =>
    res.writeHead(code, headers).end(body);
const hangUp: Reply = (_res, req) => req.socket.destroy();
/** Refuses, as the hub does (all or none), any batch holding an alert of rule `Bad`. */
const refuseBad: Reply = (res, _req, body) => {
  const bad = body.findIndex((a) => a.rule === 'Bad');
  if (bad < 0) return ok(res, _req, body);
  res.writeHead(400).end(JSON.stringify({ issues: [{ field: `[${bad}].rule`, message: 'bad' }] }));
};

/** Records waits instead of waiting. */
function instantClock(): Clock & { waits: number[] } {
  const waits: number[] = [];
  return { waits, now: () => 0, sleep: (ms) => (waits.push(ms), Promise.resolve()) };
}

/** Waits until the signal aborts, however long the wait asked for. */
const patientClock: Clock = {
  now: () => 0,
  sleep: (_ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) resolve();
      signal?.addEventListener('abort', () => resolve(), { once: true });
    }),
};

function sink(url: string, options: Partial<HubSinkOptions> = {}) {
  const retries: RetryNotice[] = [];
  const clock = instantClock();
  const sut = new HubSink({ url, attempts: 3, clock, onRetry: (r) => retries.push(r), ...options });
  return { sut, retries, waits: clock.waits };
}

describe('HubSink', () => {
  it('posts each batch as one JSON array, over kept-alive connections', async () => {
    const { url, received } = await hub(ok);
    const { sut } = sink(url);
    expect(await sut.send([alert('A'), alert('B')])).toEqual({ rejected: 0 });
    await sut.send([alert('C')]);
    await sut.send([alert('D')]);
    expect(received.map((r) => [r.method, r.contentType, r.body.map((a) => a.rule)])).toEqual([
      ['POST', 'application/json', ['A', 'B']],
      ['POST', 'application/json', ['C']],
      ['POST', 'application/json', ['D']],
    ]);
    for (const rule of ['E', 'F', 'G']) await sut.send([alert(rule)]);
    // Six requests; undici may open a second connection while the first is being released, never more.
    expect(new Set(received.map((r) => r.connection)).size).toBeLessThanOrEqual(2);
  });

  it('splits a batch larger than maxBodyBytes into requests that fit, in order', async () => {
    const { url, received } = await hub(ok);
    const size = JSON.stringify(alert('R0')).length;
    const alerts = Array.from({ length: 7 }, (_, i) => alert(`R${i}`));
    await sink(url, { maxBodyBytes: size * 3 + 10 }).sut.send(alerts);
    expect(received.map((r) => r.body.map((a) => a.rule))).toEqual([['R0', 'R1', 'R2'], ['R3', 'R4', 'R5'], ['R6']]);
  });

  it.each([
    ['a server error', status(503, 'redis down'), 'answered 503 Service Unavailable: redis down'],
    ['a dropped connection', hangUp, 'other side closed'],
  ])('retries after %s, then delivers', async (_, firstReply, reason) => {
    const { url, received } = await hub(firstReply, ok);
    const { sut, retries } = sink(url);
    await sut.send([alert()]);
    expect(received).toHaveLength(2);
    expect(received[1]?.body).toEqual([alert()]);
    expect(retries).toEqual([expect.objectContaining({ attempt: 1, attempts: 3 })]);
    expect(retries[0]?.reason).toContain(reason);
  });

  it('backs off exponentially, with jitter, up to the cap', async () => {
    const { url } = await hub(status(500));
    const { sut, waits } = sink(url, { attempts: 5, initialDelayMs: 100, maxDelayMs: 300 });
    await expect(sut.send([alert()])).rejects.toThrow(DeliveryError);
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
    await sut.send([alert()]);
    expect(waits).toEqual([1_000, 5_000]);
  });

  it('gives up after the last attempt when the hub keeps failing', async () => {
    const { url, received } = await hub(status(500, 'boom'));
    const error = await sink(url)
      .sut.send([alert()])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ code: 'HUB_UNAVAILABLE', attempts: 3, delivered: 0 });
    expect((error as Error).message).toBe(`answered 500 Internal Server Error: boom (hub ${url}, 3 attempts)`);
    expect(received).toHaveLength(3);
  });

  it('says how much of a batch was delivered before it gave up', async () => {
    const { url } = await hub(ok, status(503));
    const size = JSON.stringify(alert('R0')).length;
    const alerts = Array.from({ length: 4 }, (_, i) => alert(`R${i}`));
    const error = await sink(url, { maxBodyBytes: size * 2 + 10 })
      .sut.send(alerts)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HUB_UNAVAILABLE', delivered: 2 });
  });

  it('finds the alerts the hub refuses by halving the batch, delivers the rest, and does not retry a refusal', async () => {
    const { url, received } = await hub(refuseBad);
    const { sut, retries } = sink(url);
    const rules = ['A', 'B', 'Bad', 'C', 'D', 'E', 'Bad', 'F'];
    const result = await sut.send(rules.map((r) => alert(r)));
    expect(result).toEqual({ rejected: 2, reason: expect.stringContaining('answered 400 Bad Request') as string });
    expect(result.reason).toContain('[0].rule');
    const stored = received.filter((r) => !r.body.some((a) => a.rule === 'Bad'));
    expect(stored.flatMap((r) => r.body.map((a) => a.rule))).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    expect(retries).toEqual([]);
  });

  it('sends the ingest token, and counts a batch refused for who sends it whole, without halving it', async () => {
    const { url, received } = await hub(status(401, '{"message":"The ingest token is not valid"}'));
    const result = await sink(url, { token: 'sensor-token-0123456789' }).sut.send([alert('A'), alert('B'), alert('C')]);
    expect(result).toEqual({ rejected: 3, reason: expect.stringContaining('answered 401 Unauthorized') as string });
    expect(received.map((r) => r.authorization)).toEqual(['Bearer sensor-token-0123456789']);
  });

  it('reports an unreachable hub clearly, after bounded retries', async () => {
    const { url } = await hub(ok);
    await closers.splice(0)[0]?.();
    const { sut, retries } = sink(url);
    const error = await sut.send([alert()]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HUB_UNREACHABLE', attempts: 3 });
    expect((error as Error).message).toMatch(
      /^connect ECONNREFUSED 127\.0\.0\.1:\d+ \(hub http:\/\/127\.0\.0\.1:\d+\/, 3 attempts\)$/,
    );
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
  });

  it('times out a hub that never answers', async () => {
    const { url } = await hub(() => undefined);
    const { sut } = sink(url, { attempts: 1, timeoutMs: 50 });
    const error = await sut.send([alert()]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HUB_UNREACHABLE' });
    expect((error as Error).message).toContain('no answer within 50 ms');
  });

  it('stops waiting between attempts when hurried, and gives up', async () => {
    const { url } = await hub(status(503));
    const hurry = new AbortController();
    const sut = new HubSink({
      url,
      attempts: 100,
      initialDelayMs: 60_000,
      clock: patientClock,
      onRetry: () => hurry.abort(),
    });
    const error = await sut.send([alert()], { hurry: hurry.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HUB_UNAVAILABLE', attempts: 1 });
  });

  it('makes one last attempt, without waiting, when already hurried', async () => {
    const { url, received } = await hub(status(503), ok);
    const sut = new HubSink({ url, attempts: 100, clock: patientClock });
    const error = await sut.send([alert()], { hurry: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ attempts: 1 });
    expect(received).toHaveLength(1);
  });

  it('abandons the request under way when its signal aborts', async () => {
    const { url } = await hub(() => undefined);
    const abandon = new AbortController();
    const sut = new HubSink({ url, attempts: 1, timeoutMs: 60_000 });
    setTimeout(() => abandon.abort(), 20);
    const error = await sut.send([alert()], { signal: abandon.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HUB_UNREACHABLE' });
    expect((error as Error).message).toContain('abandoned while sending');
  });
});
