/**
 * Posts alerts to a Harrier hub as JSON arrays (`POST /`, stored all or none), over kept-alive connections,
 * retrying with bounded, jittered backoff. A batch the hub refuses (4xx) is split in halves until the alerts it
 * refuses are found, so one bad alert costs only itself.
 */
import type { FalcoAlert } from '@harrier/alert';
import { systemClock, type Clock } from '../clock.js';
import { DeliveryError, type AlertSink, type DeliveryErrorCode, type SendOptions, type SendResult } from './sink.js';

export interface HubSinkOptions {
  /** The hub's ingest URL, e.g. `http://localhost:2801` (alerts go to exactly this URL). */
  url: string | URL;
  /** Sent as `Authorization: Bearer …`, for a hub with `INGEST_TOKENS`. */
  token?: string;
  /** Tries per request, the first included. Default 5. */
  attempts?: number;
  /** Wait before the first retry, doubled for each further one. Default 250 ms. */
  initialDelayMs?: number;
  /** Cap on one wait, `Retry-After` included. Default 5 s. */
  maxDelayMs?: number;
  /** Time allowed for one request. Default 5 s. */
  timeoutMs?: number;
  /** Largest body sent at once; a longer batch goes in several requests. Default 512 KiB (the hub takes 1 MiB). */
  maxBodyBytes?: number;
  /** Told before each wait, so a CLI can say what is happening. */
  onRetry?: (retry: RetryNotice) => void;
  clock?: Clock;
}

export interface RetryNotice {
  /** The attempt that failed, from 1. */
  attempt: number;
  attempts: number;
  delayMs: number;
  reason: string;
}

/** The outcome of one POST. */
type Attempt =
  | { ok: true }
  | { ok: false; code: DeliveryErrorCode | 'REJECTED'; reason: string; retryAfterMs?: number; perAlert?: boolean };

/** Refusals caused by what is in the body (a bad alert, too large), as opposed to who sends it or where. */
const ALERT_REFUSALS = new Set([400, 413, 422]);

/** Alerts serialised once, so splitting a batch does not serialise them again. */
type Serialised = readonly string[];

export class HubSink implements AlertSink {
  private readonly url: URL;
  private readonly attempts: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly clock: Clock;
  private readonly headers: Record<string, string>;

  constructor(private readonly options: HubSinkOptions) {
    this.url = new URL(options.url);
    this.headers = { 'content-type': 'application/json' };
    if (options.token !== undefined) this.headers['authorization'] = `Bearer ${options.token}`;
    this.attempts = Math.max(1, options.attempts ?? 5);
    this.initialDelayMs = options.initialDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 512 * 1024;
    this.clock = options.clock ?? systemClock;
  }

  async send(alerts: readonly FalcoAlert[], options: SendOptions = {}): Promise<SendResult> {
    const result: SendResult = { rejected: 0 };
    let delivered = 0;
    for (const chunk of this.chunks(alerts.map((alert) => JSON.stringify(alert)))) {
      try {
        await this.sendChunk(chunk, options, result);
      } catch (error) {
        // The chunks before this one are in the hub: the caller must not send them again.
        if (error instanceof DeliveryError)
          throw new DeliveryError(error.code, error.message, error.attempts, delivered);
        throw error;
      }
      delivered += chunk.length;
    }
    return result;
  }

  /** Consecutive runs of alerts whose array fits in `maxBodyBytes` (an alert larger than that goes alone). */
  private *chunks(serialised: Serialised): Generator<Serialised> {
    let start = 0;
    let bytes = 2;
    for (let i = 0; i < serialised.length; i++) {
      const size = Buffer.byteLength(serialised[i]!) + 1;
      if (i > start && bytes + size > this.maxBodyBytes) {
        yield serialised.slice(start, i);
        start = i;
        bytes = 2;
      }
      bytes += size;
    }
    if (start < serialised.length) yield serialised.slice(start);
  }

  private async sendChunk(chunk: Serialised, options: SendOptions, result: SendResult): Promise<void> {
    const refusal = await this.post(`[${chunk.join(',')}]`, options);
    if (refusal === undefined) return;
    // A 401 or 404 refuses any batch: halving it would only send every alert alone to be refused again.
    if (chunk.length === 1 || !refusal.perAlert) {
      result.rejected += chunk.length;
      result.reason ??= refusal.reason;
      return;
    }
    const half = Math.ceil(chunk.length / 2);
    await this.sendChunk(chunk.slice(0, half), options, result);
    await this.sendChunk(chunk.slice(half), options, result);
  }

  /** Posts one body until it is taken (undefined) or refused (why); throws when it gives up. */
  private async post(
    body: string,
    { signal, hurry }: SendOptions,
  ): Promise<{ reason: string; perAlert: boolean } | undefined> {
    const waitSignal = AbortSignal.any([signal, hurry].filter((s) => s !== undefined));
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(body, signal);
      if (result.ok) return undefined;
      const { code, reason } = result;
      if (code === 'REJECTED') return { reason, perAlert: result.perAlert === true };
      const giveUp = (tries: number) => {
        const attempts = `${tries} attempt${tries === 1 ? '' : 's'}`;
        return new DeliveryError(code, `${reason} (hub ${this.url.href}, ${attempts})`, tries);
      };
      if (attempt >= this.attempts || waitSignal.aborted) throw giveUp(attempt);
      const delayMs = this.delay(attempt, result.retryAfterMs);
      this.options.onRetry?.({ attempt, attempts: this.attempts, delayMs, reason });
      await this.clock.sleep(delayMs, waitSignal);
      if (waitSignal.aborted) throw giveUp(attempt);
    }
  }

  private async attempt(body: string, signal: AbortSignal | undefined): Promise<Attempt> {
    let response: Response;
    try {
      const timeout = AbortSignal.timeout(this.timeoutMs);
      response = await fetch(this.url, {
        method: 'POST',
        headers: this.headers,
        body,
        signal: signal === undefined ? timeout : AbortSignal.any([timeout, signal]),
      });
    } catch (error) {
      return { ok: false, code: 'HUB_UNREACHABLE', reason: this.networkReason(error) };
    }
    // Read the body either way: it frees the connection for reuse, and explains a refusal.
    const text = await response.text().catch(() => '');
    if (response.ok) return { ok: true };
    const reason = `answered ${response.status} ${response.statusText}${text ? `: ${text.trim().slice(0, 300)}` : ''}`;
    const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
    if (!retryable) return { ok: false, code: 'REJECTED', reason, perAlert: ALERT_REFUSALS.has(response.status) };
    const retryAfter = Number(response.headers.get('retry-after'));
    return {
      ok: false,
      code: 'HUB_UNAVAILABLE',
      reason,
      ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    };
  }

  /** Exponential, capped, with jitter so many sensors restarting together do not retry in step. */
  private delay(attempt: number, retryAfterMs: number | undefined): number {
    const backoff = this.initialDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
    return Math.round(Math.min(this.maxDelayMs, retryAfterMs ?? backoff));
  }

  private networkReason(error: unknown): string {
    if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${this.timeoutMs} ms`;
    if (error instanceof Error && error.name === 'AbortError') return 'abandoned while sending (stopping)';
    // fetch reports "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND …), and when a name
    // resolves to several addresses (localhost: ::1 and 127.0.0.1) it is an AggregateError of each.
    const cause = error instanceof Error ? error.cause : undefined;
    if (cause instanceof AggregateError && cause.message === '') {
      return cause.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).join('; ');
    }
    if (cause instanceof Error) return cause.message;
    return error instanceof Error ? error.message : String(error);
  }
}
