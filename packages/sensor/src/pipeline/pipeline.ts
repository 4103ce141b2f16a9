/**
 * Source → rules → sink. Reading never waits for delivery: alerts wait in a bounded buffer while the sink (the hub)
 * is slow or away, so the sensor keeps up with /proc or the audit log, and leave it in batches. When the buffer is
 * full, new alerts are dropped, counted and reported; at the end, what could not be delivered is counted as dropped
 * too. Nothing is lost without being counted.
 */
import type { FalcoAlert } from '@harrier/alert';
import type { RuleSet } from '@harrier/engine';
import { systemClock, type Clock } from '../clock.js';
import { DeliveryError, type AlertSink } from '../sink/sink.js';
import type { EventSource, SensorEvent } from '../source.js';

export interface PipelineOptions {
  source: EventSource<SensorEvent>;
  /** The rules; a getter, so that a reload takes effect with the next event. */
  ruleSet: RuleSet | (() => RuleSet);
  sink: AlertSink;
  /** Alerts held while the sink cannot take them. Default 10,000. */
  bufferSize?: number;
  /** Most alerts handed to the sink at once. Default 500. */
  maxBatch?: number;
  /** How long a batch that is not full waits for more alerts before it leaves. Default 20 ms. */
  lingerMs?: number;
  /** After the sink gave up on a batch (its own retries spent), wait this long before trying again; doubled up to 60 s. Default 1 s. */
  retryDelayMs?: number;
  /**
   * Time allowed to deliver what is buffered once the source has ended by itself. When the run is interrupted
   * (its signal aborts), there is no waiting between attempts: what the sink cannot take at once is dropped.
   * Default 5 s.
   */
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
  /** Alerts the sink took (stored by the hub, or written out). */
  sent: number;
  /** Alerts lost: the buffer was full, or they were still undelivered at the end. */
  dropped: number;
  /** Alerts the sink refused for good (e.g. the hub answered 400). */
  rejected: number;
}

const REPORT_EVERY_MS = 10_000;
const MAX_RETRY_DELAY_MS = 60_000;

export class Pipeline {
  readonly stats: PipelineStats = { events: 0, alerts: 0, sent: 0, dropped: 0, rejected: 0 };
  private readonly buffer: FalcoAlert[] = [];
  private readonly bufferSize: number;
  private readonly maxBatch: number;
  private readonly clock: Clock;
  private readonly reportedAt = new Map<string, number>();
  private readonly ruleSet: () => RuleSet;
  /** Wakes the delivery loop when an alert arrives (or a batch fills) or reading ends. */
  private wake: (() => void) | undefined;
  /** Aborted when the batch being gathered is full or reading ends: stops the linger. */
  private batchReady = new AbortController();
  private reading = true;

  constructor(private readonly options: PipelineOptions) {
    this.bufferSize = positiveInteger('bufferSize', options.bufferSize ?? 10_000);
    this.maxBatch = positiveInteger('maxBatch', options.maxBatch ?? 500);
    this.clock = options.clock ?? systemClock;
    const { ruleSet } = options;
    this.ruleSet = typeof ruleSet === 'function' ? ruleSet : () => ruleSet;
  }

  /** Runs until the source ends or `signal` aborts, then delivers what it can (see `drainTimeoutMs`). */
  async run(signal: AbortSignal): Promise<PipelineStats> {
    const { source } = this.options;
    const stop = () => void source.stop();
    signal.addEventListener('abort', stop, { once: true });
    const giveUp = new AbortController();
    const delivery = this.deliver(signal, giveUp.signal);
    try {
      await source.start();
      if (signal.aborted) await source.stop();
      for await (const { source: kind, event } of source.events()) {
        this.stats.events++;
        for (const alert of this.ruleSet().evaluate(event, kind)) this.accept(alert);
      }
    } finally {
      signal.removeEventListener('abort', stop);
      await source.stop();
      this.reading = false;
      this.batchReady.abort();
      this.wake?.();
      const drained = new AbortController();
      void this.clock.sleep(this.options.drainTimeoutMs ?? 5_000, drained.signal).then(() => giveUp.abort());
      await delivery;
      drained.abort();
      if (this.buffer.length > 0) {
        this.options.log?.(`${this.buffer.length} alerts still undelivered at exit are dropped`);
        this.stats.dropped += this.buffer.length;
        this.buffer.length = 0;
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
    if (this.buffer.length >= this.maxBatch) this.batchReady.abort();
    this.wake?.();
  }

  /**
   * Sends buffered alerts in order, in batches; a batch the sink could not take stays first in line and is tried
   * again. Returns when the buffer is empty after reading ended, when the sink fails after `interrupted`, or when
   * `giveUp` aborts; whatever is left in the buffer then is the caller's to count.
   */
  private async deliver(interrupted: AbortSignal, giveUp: AbortSignal): Promise<void> {
    const baseDelayMs = this.options.retryDelayMs ?? 1_000;
    const lingerMs = this.options.lingerMs ?? 20;
    const stopWaiting = AbortSignal.any([interrupted, giveUp]);
    let retryDelayMs = baseDelayMs;
    while (!giveUp.aborted) {
      if (this.buffer.length === 0) {
        if (!this.reading) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      if (this.reading && this.buffer.length < this.maxBatch && lingerMs > 0) {
        // Armed afresh for this batch: a batch that filled while the last one was being sent has left already.
        if (this.batchReady.signal.aborted) this.batchReady = new AbortController();
        await this.clock.sleep(lingerMs, AbortSignal.any([this.batchReady.signal, giveUp]));
      }
      const batch = this.buffer.slice(0, this.maxBatch);
      try {
        const { rejected, reason } = await this.options.sink.send(batch, { signal: giveUp, hurry: interrupted });
        this.buffer.splice(0, batch.length);
        this.stats.sent += batch.length - rejected;
        if (rejected > 0) {
          this.stats.rejected += rejected;
          this.report('rejected', `alerts refused (${this.stats.rejected} so far): ${reason ?? 'no reason given'}`);
        }
        retryDelayMs = baseDelayMs;
      } catch (error) {
        if (!(error instanceof DeliveryError)) throw error;
        this.buffer.splice(0, error.delivered);
        this.stats.sent += error.delivered;
        if (stopWaiting.aborted) return;
        this.report('failing', `${error.message}; ${this.buffer.length} alerts buffered, trying again`);
        await this.clock.sleep(retryDelayMs, stopWaiting);
        retryDelayMs = Math.min(retryDelayMs * 2, MAX_RETRY_DELAY_MS);
      }
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

function positiveInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value > 0))
    throw new RangeError(`${name} must be a positive whole number, got ${value}`);
  return value;
}
