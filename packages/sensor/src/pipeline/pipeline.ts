/**
 * Source → rules → sink. Reading never waits for delivery: alerts wait in a bounded buffer while the sink (the hub)
 * is slow or away, so the sensor keeps up with /proc or the audit log. When the buffer is full, new alerts are
 * dropped, counted and reported; at the end, what could not be delivered in time is counted as dropped too.
 */
import type { FalcoAlert } from '@harrier/alert';
import type { RuleSet } from '@harrier/engine';
import { systemClock, type Clock } from '../clock.js';
import { DeliveryError, type AlertSink } from '../sink/sink.js';
import type { EventSource, SensorEvent } from '../source.js';

export interface PipelineOptions {
  source: EventSource<SensorEvent>;
  ruleSet: RuleSet;
  sink: AlertSink;
  /** Alerts held while the sink cannot take them. Default 10,000. */
  bufferSize?: number;
  /** After the sink gave up on an alert (its own retries spent), wait this long before trying again; doubled up to 60 s. Default 1 s. */
  retryDelayMs?: number;
  /** Time allowed to deliver what is buffered once the source has ended. Default 5 s. */
  drainTimeoutMs?: number;
  /** Told of trouble: delivery failures and drops, at most once per 10 s for each kind. */
  log?: (message: string) => void;
  clock?: Clock;
}

export interface PipelineStats {
  /** Events read from the source. */
  events: number;
  /** Alerts the rules raised. */
  alerts: number;
  delivered: number;
  /** Alerts lost: the buffer was full, or they were still undelivered at the end. */
  dropped: number;
  /** Alerts the sink refused for good (e.g. the hub answered 400). */
  rejected: number;
}

const REPORT_EVERY_MS = 10_000;
const MAX_RETRY_DELAY_MS = 60_000;

export class Pipeline {
  readonly stats: PipelineStats = { events: 0, alerts: 0, delivered: 0, dropped: 0, rejected: 0 };
  private readonly buffer: FalcoAlert[] = [];
  private readonly bufferSize: number;
  private readonly clock: Clock;
  private readonly reportedAt = new Map<string, number>();
  /** Wakes the delivery loop when an alert arrives or reading ends. */
  private wake: (() => void) | undefined;
  private reading = true;

  constructor(private readonly options: PipelineOptions) {
    this.bufferSize = options.bufferSize ?? 10_000;
    if (!(Number.isInteger(this.bufferSize) && this.bufferSize > 0)) {
      throw new RangeError(`bufferSize must be a positive whole number, got ${this.bufferSize}`);
    }
    this.clock = options.clock ?? systemClock;
  }

  /** Runs until the source ends or `signal` aborts, then delivers what it can within the drain timeout. */
  async run(signal: AbortSignal): Promise<PipelineStats> {
    const { source } = this.options;
    const stop = () => void source.stop();
    signal.addEventListener('abort', stop, { once: true });
    const giveUp = new AbortController();
    const delivery = this.deliver(giveUp.signal);
    try {
      await source.start();
      if (signal.aborted) await source.stop();
      for await (const { source: kind, event } of source.events()) {
        this.stats.events++;
        for (const alert of this.options.ruleSet.evaluate(event, kind)) this.accept(alert);
      }
    } finally {
      signal.removeEventListener('abort', stop);
      await source.stop();
      this.reading = false;
      this.wake?.();
      const deadline = new AbortController();
      const drained = await Promise.race([
        delivery.then(() => true),
        this.clock.sleep(this.options.drainTimeoutMs ?? 5_000, deadline.signal).then(() => false),
      ]);
      deadline.abort();
      if (!drained) {
        giveUp.abort();
        if (this.buffer.length > 0) {
          this.options.log?.(`${this.buffer.length} alerts still undelivered at exit are dropped`);
          this.stats.dropped += this.buffer.length;
          this.buffer.length = 0;
        }
      }
    }
    return this.stats;
  }

  private accept(alert: FalcoAlert): void {
    this.stats.alerts++;
    if (this.buffer.length >= this.bufferSize) {
      this.stats.dropped++;
      this.report('dropped', `buffer of ${this.bufferSize} alerts full: ${this.stats.dropped} dropped so far`);
      return;
    }
    this.buffer.push(alert);
    this.wake?.();
  }

  /** Sends buffered alerts in order; an alert the sink could not take stays first in line and is tried again. */
  private async deliver(giveUp: AbortSignal): Promise<void> {
    let retryDelayMs = this.options.retryDelayMs ?? 1_000;
    while (!giveUp.aborted) {
      const alert = this.buffer[0];
      if (alert === undefined) {
        if (!this.reading) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      try {
        await this.options.sink.send(alert);
        // Given up on while in flight: already counted as dropped.
        if (giveUp.aborted) return;
        this.stats.delivered++;
        retryDelayMs = this.options.retryDelayMs ?? 1_000;
      } catch (error) {
        if (!(error instanceof DeliveryError)) throw error;
        if (error.code === 'HUB_REJECTED') {
          this.stats.rejected++;
          this.report('rejected', `alert refused (${this.stats.rejected} so far): ${error.message}`);
        } else {
          this.report('failing', `${error.message}; ${this.buffer.length} alerts buffered, trying again`);
          await this.clock.sleep(retryDelayMs, giveUp);
          retryDelayMs = Math.min(retryDelayMs * 2, MAX_RETRY_DELAY_MS);
          continue;
        }
      }
      this.buffer.shift();
    }
  }

  private report(kind: string, message: string): void {
    const now = this.clock.now();
    const last = this.reportedAt.get(kind);
    if (last !== undefined && now - last < REPORT_EVERY_MS) return;
    this.reportedAt.set(kind, now);
    this.options.log?.(message);
  }
}
