/** The HTTP transport shared by the Slack and webhook channels: one undici Agent per channel, classified failures. */
import { STATUS_CODES } from 'node:http';
import { Agent, type Dispatcher } from 'undici';
import { DeliveryFailure } from '../output-channel.js';
import type { HttpClientConfig } from './config-fields.js';
import { parseRetryAfter } from './retry-after.js';
import { describeError, singleLine } from './text.js';
import { loadTlsClientOptions } from './tls-material.js';

export const USER_AGENT = 'Harrier';
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Connection pool for one output: TLS per `checkcert`/`mutualtls`, at most `maxconcurrentrequests` sockets. */
function createHttpAgent(config: HttpClientConfig): Agent {
  return new Agent({
    connect: loadTlsClientOptions(config),
    // One request per socket at a time, so the socket count is the concurrency bound (0 = unlimited).
    connections: config.maxconcurrentrequests === 0 ? null : config.maxconcurrentrequests,
    pipelining: 1,
  });
}

export interface HttpRequest {
  method: 'POST' | 'PUT';
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
  isSuccess: (status: number) => boolean;
}

/**
 * One output's HTTP client: its connection pool and its address, parsed once (undici's `request(url)` would parse
 * it again for every delivery). Credentials in the address (`https://user:pass@host/`) are sent as Basic
 * authentication unless the request has its own `authorization` header, as Go's client (falcosidekick) does.
 */
export class HttpSender {
  private readonly agent: Agent;
  private readonly origin: string;
  /** Path and query. */
  private readonly path: string;
  private readonly basicAuth: string | undefined;

  constructor(config: HttpClientConfig, address: string) {
    this.agent = createHttpAgent(config);
    const url = new URL(address);
    this.origin = url.origin;
    this.path = `${url.pathname}${url.search}`;
    if (url.username !== '' || url.password !== '') {
      const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      this.basicAuth = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
    }
  }

  /**
   * Sends one request; resolves on success, otherwise throws a classified DeliveryFailure. Header names are lower
   * case.
   */
  send(request: HttpRequest): Promise<void> {
    const withAuth =
      this.basicAuth === undefined || 'authorization' in request.headers
        ? request
        : { ...request, headers: { ...request.headers, authorization: this.basicAuth } };
    return sendHttp(this.agent, this.origin, this.path, withAuth);
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** falcosidekick's words for the statuses it names (outputs/client.go); any other status is its status line. */
function describeStatus(status: number, body: string): string {
  switch (status) {
    case 400:
      return body || 'header missing';
    case 401:
      return 'authentication error';
    case 403:
      return 'access denied';
    case 404:
      return 'resource not found';
    case 422:
      return 'bad request';
    case 429:
      return 'exceeding post rate limit';
    case 500:
      return 'internal server error';
    case 502:
      return 'bad gateway';
    default:
      return `${status} ${STATUS_CODES[status] ?? 'Unknown'}`;
  }
}

/** 408, 429 and 5xx may succeed later; any other refusal (4xx, 3xx, odd 2xx) will not, so it goes to the dead letters. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

const MAX_ERROR_BODY = 300;

/** The start of a response body, on one line, for an error message; the rest is discarded unread. */
async function readErrorBody(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_ERROR_BODY) break;
  }
  return singleLine(Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY));
}

function transportFailure(error: unknown, signal: AbortSignal): DeliveryFailure {
  if (signal.aborted) {
    return new DeliveryFailure(`request aborted: ${describeError(signal.reason ?? 'aborted')}`, true);
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    // Messages of socket and TLS errors name the peer's host and port, never the URL path or query.
    return new DeliveryFailure(
      `connection error: ${error.message}${typeof code === 'string' ? ` (${code})` : ''}`,
      true,
    );
  }
  return new DeliveryFailure(`connection error: ${describeError(error)}`, true);
}

async function sendHttp(agent: Agent, origin: string, path: string, send: HttpRequest): Promise<void> {
  let response: Dispatcher.ResponseData;
  try {
    response = await agent.request({
      origin,
      path,
      method: send.method,
      headers: send.headers,
      body: send.body,
      signal: send.signal,
    });
  } catch (error) {
    throw transportFailure(error, send.signal);
  }
  const status = response.statusCode;
  // Once the status is known the rest of the body does not matter; cutting it short must not raise.
  response.body.on('error', () => undefined);
  let body = '';
  try {
    if (status === 400) body = await readErrorBody(response.body);
    else await response.body.dump();
  } catch {
    // The status alone classifies the outcome.
  } finally {
    response.body.destroy();
  }
  if (send.isSuccess(status)) return;
  const retryable = isRetryableStatus(status);
  throw new DeliveryFailure(
    `${describeStatus(status, body)} (${status})`,
    retryable,
    retryable ? parseRetryAfter(response.headers['retry-after']) : undefined,
  );
}
