/** Posts each alert to a Harrier hub (or anything that takes Falco's http_output), retrying with bounded backoff. */
import type { FalcoAlert } from '@harrier/alert';
import { systemClock, type Clock } from '../clock.js';
import { DeliveryError, type AlertSink, type DeliveryErrorCode } from './sink.js';

export interface HubSinkOptions {
  /** The hub's ingest URL, e.g. `http://localhost:2801` (alerts go to exactly this URL). */
  url: string | URL;
  /** Tries per alert, the first included. Default 5. */
  attempts?: number;
  /** Wait before the first retry, doubled for each further one. Default 250 ms. */
  initialDelayMs?: number;
  /** Cap on one wait, `Retry-After` included. Default 5 s. */
  maxDelayMs?: number;
  /** Time allowed for one request. Default 5 s. */
  timeoutMs?: number;
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
type Attempt = { ok: true } | { ok: false; code: DeliveryErrorCode; reason: string; retryAfterMs?: number };

export class HubSink implements AlertSink {
  private readonly url: URL;
  private readonly attempts: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;
  private readonly clock: Clock;

  constructor(private readonly options: HubSinkOptions) {
    this.url = new URL(options.url);
    this.attempts = Math.max(1, options.attempts ?? 5);
    this.initialDelayMs = options.initialDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.clock = options.clock ?? systemClock;
  }

  async send(alert: FalcoAlert): Promise<void> {
    const body = JSON.stringify(alert);
    for (let attempt = 1; ; attempt++) {
      const result = await this.post(body);
      if (result.ok) return;
      if (result.code === 'HUB_REJECTED' || attempt >= this.attempts) {
        const tries = `${attempt} attempt${attempt === 1 ? '' : 's'}`;
        throw new DeliveryError(result.code, `${result.reason} (hub ${this.url.href}, ${tries})`, attempt);
      }
      const delayMs = this.delay(attempt, result.retryAfterMs);
      this.options.onRetry?.({ attempt, attempts: this.attempts, delayMs, reason: result.reason });
      await this.clock.sleep(delayMs);
    }
  }

  private async post(body: string): Promise<Attempt> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      return { ok: false, code: 'HUB_UNREACHABLE', reason: this.networkReason(error) };
    }
    // Read the body either way: it frees the connection for reuse, and explains a refusal.
    const text = await response.text().catch(() => '');
    if (response.ok) return { ok: true };
    const reason = `answered ${response.status} ${response.statusText}${text ? `: ${text.trim().slice(0, 300)}` : ''}`;
    const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
    if (!retryable) return { ok: false, code: 'HUB_REJECTED', reason };
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
