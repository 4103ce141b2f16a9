/**
 * Works one output's queue in this replica: reads jobs, sends them through the channel (one at a time with
 * bounded concurrency, or grouped into digests for Slack and email), then acks, retries or buries them.
 * Also resumes its own unfinished jobs at start, promotes due retries and claims jobs of dead replicas.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DeliveryFailure, type OutputChannel } from '../channels/output-channel.js';
import type { OutputDefinition } from '../outputs.config.js';
import { DeadlineSignals } from './deadlines.js';
import type { DeliveryJob, DeliveryQueue } from './delivery-queue.js';
import { nextStep } from './retry-policy.js';

export interface DeliveryOutcome {
  output: string;
  type: OutputDefinition['type'];
  status: 'delivered' | 'retry' | 'dead';
  jobs: readonly DeliveryJob[];
  /** How long the attempt took. */
  durationMs: number;
  error?: string;
}

export interface WorkerLogger {
  warn(message: string): void;
  error(message: string): void;
}

const READ_BLOCK_MS = 1_000;
/** How long the first ack of a batch waits for others, and how many make a batch that goes at once. */
const ACK_GATHER_MS = 5;
const ACK_BATCH_MAX = 500;
const MAINTENANCE_MS = 250;
const CLAIM_EVERY_MS = 5_000;

export class OutputWorker {
  private readonly stopping = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly acks: AckBatcher;
  private readonly deadlines: DeadlineSignals;
  /** Jobs claimed from dead replicas, handed to the delivery loop (so digests and concurrency apply to them too). */
  private readonly claimed: DeliveryJob[] = [];
  private running: Promise<unknown> | undefined;
  /** Jobs not acked within this time are presumed lost with their replica. */
  readonly visibilityMs: number;

  constructor(
    private readonly definition: OutputDefinition,
    private readonly channel: OutputChannel,
    private readonly queue: DeliveryQueue,
    private readonly consumer: string,
    private readonly logger: WorkerLogger,
    private readonly onOutcome: (outcome: DeliveryOutcome) => void = () => {},
  ) {
    this.visibilityMs = 2 * definition.delivery.timeoutMs + definition.grouping.windowMs + 30_000;
    this.acks = new AckBatcher((jobs) => this.queue.ack(definition.name, jobs));
    this.deadlines = new DeadlineSignals(definition.delivery.timeoutMs);
  }

  private get digests(): boolean {
    return this.channel.supportsDigest && this.definition.grouping.windowMs > 0;
  }

  start(): void {
    this.running ??= Promise.all([
      this.guard('delivery', () => this.work()),
      this.guard('maintenance', () => this.maintain()),
    ]);
  }

  /** Stops reading; sends already under way finish (bounded by their timeout). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
    await Promise.allSettled([...this.inFlight]);
    await this.acks.drain();
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Keeps a loop alive through store outages: log, pause, go on. */
  private async guard(name: string, loop: () => Promise<void>): Promise<void> {
    while (!this.stopped) {
      try {
        await loop();
      } catch (error) {
        this.logger.error(`${this.definition.name}: ${name} loop failed: ${(error as Error).message}; retrying in 1 s`);
        await this.pause(1_000);
      }
    }
  }

  private async work(): Promise<void> {
    const { maxAlerts } = this.definition.grouping;
    const resumed = await this.queue.recover(this.definition.name, this.consumer, this.digests ? maxAlerts : 1_000);
    if (this.digests) return this.workDigests(resumed);
    // Jobs are read ahead in batches so a freed slot does not cost a Redis round trip of its own.
    const { concurrency } = this.definition.delivery;
    const buffer = resumed;
    while (!this.stopped) {
      buffer.push(...this.claimed.splice(0));
      if (buffer.length === 0) {
        buffer.push(...(await this.queue.read(this.definition.name, this.consumer, concurrency * 4, READ_BLOCK_MS)));
      }
      while (buffer.length > 0 && this.inFlight.size < concurrency)
        void this.slot(() => this.deliver([buffer.shift()!]));
      if (this.inFlight.size >= concurrency) await Promise.race(this.inFlight);
    }
    // Read ahead but never started: left to recover() at the next start, or to another replica's claim.
  }

  /**
   * The first alert after a quiet spell goes out at once; what arrives within the grouping window after a
   * message waits for the window's end and goes out as one digest (at most maxAlerts alerts each).
   */
  private async workDigests(pending: DeliveryJob[]): Promise<void> {
    const { windowMs, maxAlerts } = this.definition.grouping;
    let nextSendAt = 0;
    while (!this.stopped) {
      pending.push(...this.claimed.splice(0));
      const wait = nextSendAt - Date.now();
      if (pending.length === 0 || wait > 0) {
        const block = pending.length === 0 ? READ_BLOCK_MS : Math.min(wait, READ_BLOCK_MS);
        pending.push(...(await this.queue.read(this.definition.name, this.consumer, maxAlerts, block)));
        continue;
      }
      if (pending.length < maxAlerts) {
        pending.push(...(await this.queue.read(this.definition.name, this.consumer, maxAlerts - pending.length, 0)));
      }
      const batch = pending.splice(0, maxAlerts);
      await this.slot(() => this.deliver(batch));
      nextSendAt = Date.now() + windowMs;
    }
  }

  private async maintain(): Promise<void> {
    let lastClaim = 0;
    while (!this.stopped) {
      await this.queue.promoteDue(this.definition.name, Date.now());
      if (Date.now() - lastClaim >= CLAIM_EVERY_MS) {
        lastClaim = Date.now();
        this.claimed.push(
          ...(await this.queue.claimStale(this.definition.name, this.consumer, this.visibilityMs, 100)),
        );
      }
      await this.pause(MAINTENANCE_MS);
    }
  }

  /** Runs a delivery as one of the in-flight ones; a failure to record its outcome leaves the job to be claimed again. */
  private slot(task: () => Promise<void>): Promise<void> {
    const run = task()
      .catch((error: unknown) => {
        this.logger.error(
          `${this.definition.name}: outcome not recorded, the job will be retried: ${(error as Error).message}`,
        );
      })
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
    return run;
  }

  private async deliver(jobs: DeliveryJob[]): Promise<void> {
    const { name, type, delivery } = this.definition;
    const started = Date.now();
    try {
      await this.channel.send(
        jobs.map((j) => j.alert),
        { signal: this.deadlines.next() },
      );
    } catch (error) {
      const failure = toFailure(error, delivery.timeoutMs);
      const durationMs = Date.now() - started;
      const retries: DeliveryJob[] = [];
      let dueAt = 0;
      for (const job of jobs) {
        const step = nextStep(job, failure, delivery, Date.now());
        if (step.kind === 'retry') {
          retries.push(job);
          dueAt = Math.max(dueAt, step.dueAt);
        }
      }
      const dead = jobs.filter((j) => !retries.includes(j));
      if (retries.length > 0) {
        await this.queue.retry(name, retries, dueAt, failure.message);
        this.onOutcome({ output: name, type, status: 'retry', jobs: retries, durationMs, error: failure.message });
      }
      if (dead.length > 0) {
        await this.queue.bury(name, dead, failure.message);
        this.logger.error(`${name}: ${dead.length} alert(s) dead-lettered: ${failure.message}`);
        this.onOutcome({ output: name, type, status: 'dead', jobs: dead, durationMs, error: failure.message });
      }
      return;
    }
    // The slot is free once the receiver has the alert; the ack is written with others a moment later. Should it
    // fail, the job stays pending and is delivered again after a claim (at least once).
    const durationMs = Date.now() - started;
    void this.acks.add(jobs).then(
      () => this.report({ output: name, type, status: 'delivered', jobs, durationMs }),
      (error: unknown) =>
        this.logger.error(`${name}: ack not recorded, the alert will be delivered again: ${(error as Error).message}`),
    );
  }

  /** A failing listener must not turn into an unhandled rejection of the ack chain. */
  private report(outcome: DeliveryOutcome): void {
    try {
      this.onOutcome(outcome);
    } catch (error) {
      this.logger.error(`${outcome.output}: outcome listener failed: ${(error as Error).message}`);
    }
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }
}

function toFailure(error: unknown, timeoutMs: number): DeliveryFailure {
  if (error instanceof DeliveryFailure) return error;
  const e = error as Error;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return new DeliveryFailure(`timed out after ${timeoutMs} ms`, true);
  }
  return new DeliveryFailure(e?.message ?? String(error), true);
}

/**
 * Gathers the acks of deliveries that finish within a few milliseconds into one queue call (one Redis round trip
 * instead of one per delivery); each caller's promise settles when its own ack is written, or fails to be.
 */
class AckBatcher {
  private batch: DeliveryJob[] = [];
  private settle: { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Writes under way (started by the timer or a full batch). */
  private readonly writing = new Set<Promise<void>>();

  constructor(private readonly write: (jobs: DeliveryJob[]) => Promise<void>) {}

  add(jobs: readonly DeliveryJob[]): Promise<void> {
    this.batch.push(...jobs);
    if (this.settle === undefined) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      this.settle = { promise, resolve, reject };
      this.timer = setTimeout(() => void this.flush(), ACK_GATHER_MS);
    }
    const { promise } = this.settle;
    if (this.batch.length >= ACK_BATCH_MAX) void this.flush();
    return promise;
  }

  /** Writes what is gathered now; never throws (the callers' promises carry the outcome). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    const { batch: jobs, settle } = this;
    this.batch = [];
    this.settle = undefined;
    if (settle === undefined) return;
    const written = this.write(jobs).then(settle.resolve, settle.reject);
    this.writing.add(written);
    await written;
    this.writing.delete(written);
  }

  /** Writes what is gathered and waits for every write under way, and for their callers' outcomes. */
  async drain(): Promise<void> {
    await Promise.all([this.flush(), ...this.writing]);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
