/**
 * kube-apiserver's audit webhook backend, served by the sensor itself (`POST /k8s-audit`), for clusters that run the
 * sensor without the hub evaluating rules. It accepts what the hub's `POST /k8s-audit` accepts, with the same engine
 * code (`parseAuditInput`, the k8saudit plugin's rules): an `EventList`, an `Event`, an array or JSON lines; bodies up
 * to 12 MiB (413 above); events over 256 KiB and events without `stageTimestamp` skipped with a counted warning;
 * 400 with the reason when nothing in the body is an audit event. Never a 5xx for bad content: a 503 only when the
 * rules fall too far behind (kube-apiserver then retries the batch). With `tokens`, a request needs
 * `Authorization: Bearer <one of them>` (kube-apiserver's webhook kubeconfig `token`); with `tls`, it is HTTPS.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describeNoAuditEvents, parseAuditInput, type AuditInputProblem } from '@harrier/engine';
import type { EventSource, SensorEvent, SourceProblem } from '../source.js';

export interface AuditWebhookSourceOptions {
  /** Default `0.0.0.0` (kube-apiserver must reach it), as Falco's k8saudit plugin listens on `:9765`. */
  host?: string;
  /** Default 9765; 0 picks a free port (see `url` once started). */
  port?: number;
  /** Default `/k8s-audit`. */
  path?: string;
  /** Largest body taken. Default 12 MiB, as the k8saudit plugin's `maxRequestBodyBytes`. */
  maxBodyBytes?: number;
  /** Events accepted but not yet evaluated, beyond which requests get 503 and are retried. Default 100,000. */
  maxQueuedEvents?: number;
  /** Bearer tokens, one of which every request must present. Default none: no authentication. */
  tokens?: readonly string[];
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  onProblem?: (problem: SourceProblem) => void;
}

export interface AuditWebhookStats {
  requests: number;
  /** Audit events accepted (and then evaluated). */
  events: number;
  /** Values skipped inside accepted bodies: too large, no stageTimestamp, not an audit event, malformed lines. */
  skipped: number;
  /** Requests answered 4xx or 503. */
  refused: number;
}

/** A body larger than the limit. */
class BodyTooLarge extends Error {}

/** Tokens are compared as SHA-256 digests, in constant time, so neither their content nor length leaks. */
const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

export class AuditWebhookSource implements EventSource<SensorEvent> {
  readonly name = 'audit-webhook';
  readonly stats: AuditWebhookStats = { requests: 0, events: 0, skipped: 0, refused: 0 };
  private readonly path: string;
  private readonly maxBodyBytes: number;
  private readonly maxQueuedEvents: number;
  private server: Server | undefined;
  private queue: SensorEvent[] = [];
  private head = 0;
  private wake: (() => void) | undefined;
  private stopped = false;
  private readonly digests: Buffer[];

  constructor(private readonly options: AuditWebhookSourceOptions = {}) {
    this.path = options.path ?? '/k8s-audit';
    this.digests = (options.tokens ?? []).map(digest);
    this.maxBodyBytes = options.maxBodyBytes ?? 12 * 1024 * 1024;
    this.maxQueuedEvents = options.maxQueuedEvents ?? 100_000;
  }

  /** Where it listens, once started: `http://host:port/k8s-audit`. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('AuditWebhookSource is not listening');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `${this.options.tls ? 'https' : 'http'}://${host}:${address.port}${this.path}`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    const { tls } = this.options;
    const server: Server = tls ? createTlsServer({ cert: tls.cert, key: tls.key }, handler) : createServer(handler);
    // kube-apiserver keeps its webhook connection open between batches.
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 9765, this.options.host ?? '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  /** Stops listening; events already accepted are still yielded, then the iterator ends. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wake?.();
    const server = this.server;
    if (server === undefined) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
  }

  async *events(): AsyncGenerator<SensorEvent> {
    for (;;) {
      while (this.head < this.queue.length) {
        const event = this.queue[this.head]!;
        this.head++;
        yield event;
      }
      this.queue = [];
      this.head = 0;
      if (this.stopped) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.stats.requests++;
    const path = (req.url ?? '/').split('?')[0];
    if (path !== this.path) return this.refuse(res, 404, `Not found: the audit webhook is POST ${this.path}`);
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return this.refuse(res, 405, `Method ${req.method} not allowed: the audit webhook takes POST`);
    }
    if (!this.authorized(req)) {
      return this.refuse(res, 401, 'The audit webhook needs "Authorization: Bearer <token>" with a valid token', {
        'www-authenticate': 'Bearer realm="harrier-audit-webhook"',
        connection: 'close',
      });
    }
    if (this.stopped) return this.refuse(res, 503, 'The sensor is stopping', { 'retry-after': '5' });
    let body: string;
    try {
      body = await this.readBody(req);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) return; // The client went away.
      // Close the connection: the rest of the body is not read.
      return this.refuse(res, 413, `Request body is too large (the limit here is ${this.maxBodyBytes} bytes)`, {
        connection: 'close',
      });
    }
    const { events, problems } = parseAuditInput(body);
    if (problems.length > 0) this.skipped(req, problems);
    if (events.length === 0) {
      return this.refuse(res, 400, describeNoAuditEvents(problems), {}, { skipped: problems.slice(0, 100) });
    }
    if (this.queue.length - this.head + events.length > this.maxQueuedEvents) {
      return this.refuse(res, 503, 'The sensor is behind on evaluating audit events; retry later', {
        'retry-after': '1',
      });
    }
    for (const event of events) this.queue.push({ source: 'k8s_audit', event });
    this.stats.events += events.length;
    this.wake?.();
    this.reply(res, 200, { events: events.length, skipped: problems });
  }

  private authorized(req: IncomingMessage): boolean {
    if (this.digests.length === 0) return true;
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token === undefined) return false;
    const presented = digest(token);
    return this.digests.some((d) => timingSafeEqual(d, presented));
  }

  private readBody(req: IncomingMessage): Promise<string> {
    if (Number(req.headers['content-length']) > this.maxBodyBytes) return Promise.reject(new BodyTooLarge());
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > this.maxBodyBytes) {
          req.removeAllListeners('data');
          reject(new BodyTooLarge());
          return;
        }
        chunks.push(chunk);
      });
      req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.once('error', reject);
    });
  }

  private skipped(req: IncomingMessage, problems: readonly AuditInputProblem[]): void {
    this.stats.skipped += problems.length;
    const first = problems[0]!;
    const where = `${req.method} ${this.path} from ${req.socket.remoteAddress ?? 'unknown'}`;
    const line = first.line === undefined ? '' : `line ${first.line}: `;
    const more = problems.length > 1 ? ` and ${problems.length - 1} more` : '';
    this.options.onProblem?.({
      where,
      message: `skipped ${line}${first.message}${more} (${this.stats.skipped} audit values skipped so far)`,
    });
  }

  private refuse(
    res: ServerResponse,
    status: number,
    message: string,
    headers: Record<string, string> = {},
    extra: object = {},
  ): void {
    this.stats.refused++;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    this.reply(res, status, { statusCode: status, message, ...extra });
  }

  private reply(res: ServerResponse, status: number, body: object): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  }
}
