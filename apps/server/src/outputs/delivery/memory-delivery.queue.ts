/** The delivery queue of the embedded store: the same semantics in process, gone on restart. */
import type { Alert } from '@harrier/alert';
import type {
  AlertDelivery,
  DeadLetter,
  DeliveryJob,
  DeliveryQueue,
  OutputCounters,
  QueueDepth,
} from './delivery-queue.js';

/** Outcomes kept per output; the oldest go first (the memory store keeps a bounded number of alerts too). */
const MAX_RECORDS = 100_000;

interface OutputState {
  waiting: DeliveryJob[];
  inFlight: Map<string, { job: DeliveryJob; consumer: string; since: number }>;
  retries: { dueAt: number; job: DeliveryJob }[];
  dead: Map<string, DeadLetter>;
  counters: OutputCounters;
  /** The last outcome per alert id, oldest first. */
  records: Map<string, AlertDelivery>;
  /** Readers blocked until a job arrives. */
  wakers: Set<() => void>;
}

export class MemoryDeliveryQueue implements DeliveryQueue {
  private readonly outputs = new Map<string, OutputState>();
  private nextId = 0;
  private closed = false;

  enqueue(alert: Alert, outputs: readonly string[]): void {
    for (const output of outputs) this.push(output, { alert, attempts: 0, queuedAt: Date.now() });
  }

  async read(output: string, consumer: string, max: number, blockMs: number): Promise<DeliveryJob[]> {
    const state = this.state(output);
    if (state.waiting.length === 0 && blockMs > 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          state.wakers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, blockMs);
        state.wakers.add(wake);
      });
    }
    return this.take(state, state.waiting.splice(0, max), consumer);
  }

  recover(output: string, consumer: string, max: number): Promise<DeliveryJob[]> {
    const mine = [...this.state(output).inFlight.values()].filter((e) => e.consumer === consumer);
    return Promise.resolve(mine.slice(0, max).map((e) => e.job));
  }

  claimStale(output: string, consumer: string, idleMs: number, max: number): Promise<DeliveryJob[]> {
    const state = this.state(output);
    const now = Date.now();
    const stale = [...state.inFlight.values()].filter((e) => now - e.since >= idleMs).slice(0, max);
    return Promise.resolve(
      this.take(
        state,
        stale.map((e) => e.job),
        consumer,
      ),
    );
  }

  ack(output: string, jobs: readonly DeliveryJob[]): Promise<void> {
    const state = this.state(output);
    for (const job of jobs) state.inFlight.delete(job.id);
    state.counters.delivered += jobs.length;
    const at = Date.now();
    if (jobs.length > 0) state.counters.lastSuccessAt = at;
    for (const job of jobs) this.record(state, job, { state: 'delivered', attempts: job.attempts + 1, updatedAt: at });
    return Promise.resolve();
  }

  retry(output: string, jobs: readonly DeliveryJob[], dueAt: number, error: string): Promise<void> {
    const state = this.settle(output, jobs, error);
    const at = Date.now();
    for (const job of jobs) {
      state.retries.push({ dueAt, job: { ...job, attempts: job.attempts + 1, lastError: error } });
      this.record(state, job, {
        state: 'retrying',
        attempts: job.attempts + 1,
        updatedAt: at,
        nextAttemptAt: dueAt,
        lastError: error,
      });
    }
    state.counters.retried += jobs.length;
    return Promise.resolve();
  }

  bury(output: string, jobs: readonly DeliveryJob[], error: string): Promise<void> {
    const state = this.settle(output, jobs, error);
    const failedAt = Date.now();
    for (const job of jobs) {
      state.dead.set(job.id, { job: { ...job, attempts: job.attempts + 1, lastError: error }, error, failedAt });
      this.record(state, job, { state: 'dead', attempts: job.attempts + 1, updatedAt: failedAt, lastError: error });
    }
    state.counters.dead += jobs.length;
    return Promise.resolve();
  }

  promoteDue(output: string, now: number): Promise<number> {
    const state = this.state(output);
    const due = state.retries.filter((r) => r.dueAt <= now);
    state.retries = state.retries.filter((r) => r.dueAt > now);
    for (const { job } of due) this.push(output, job);
    return Promise.resolve(due.length);
  }

  deadLetters(output: string, limit: number): Promise<DeadLetter[]> {
    const letters = [...this.state(output).dead.values()].sort((a, b) => b.failedAt - a.failedAt);
    return Promise.resolve(letters.slice(0, limit));
  }

  redrive(output: string, ids?: readonly string[]): Promise<number> {
    const state = this.state(output);
    const chosen = ids ?? [...state.dead.keys()];
    let count = 0;
    for (const id of chosen) {
      const letter = state.dead.get(id);
      if (!letter) continue;
      state.dead.delete(id);
      this.push(output, { alert: letter.job.alert, attempts: 0, queuedAt: Date.now() });
      this.record(state, letter.job, { state: 'queued', attempts: 0, updatedAt: Date.now() });
      count++;
    }
    return Promise.resolve(count);
  }

  counters(output: string): Promise<OutputCounters> {
    return Promise.resolve({ ...this.state(output).counters });
  }

  deliveries(alertId: string, outputs: readonly string[]): Promise<AlertDelivery[]> {
    return Promise.resolve(outputs.flatMap((output) => this.outputs.get(output)?.records.get(alertId) ?? []));
  }

  depth(output: string): Promise<QueueDepth> {
    const state = this.state(output);
    return Promise.resolve({
      queued: state.waiting.length + state.inFlight.size,
      retrying: state.retries.length,
      dead: state.dead.size,
    });
  }

  close(): Promise<void> {
    this.closed = true;
    for (const state of this.outputs.values()) for (const wake of [...state.wakers]) wake();
    return Promise.resolve();
  }

  private push(output: string, job: Omit<DeliveryJob, 'id' | 'output'>): void {
    const state = this.state(output);
    state.waiting.push({ ...job, id: String(++this.nextId), output });
    for (const wake of [...state.wakers]) wake();
  }

  private take(state: OutputState, jobs: DeliveryJob[], consumer: string): DeliveryJob[] {
    const since = Date.now();
    for (const job of jobs) state.inFlight.set(job.id, { job, consumer, since });
    return jobs;
  }

  private record(state: OutputState, job: DeliveryJob, outcome: Omit<AlertDelivery, 'output'>): void {
    // Deleted first so a re-recorded alert moves to the newest end.
    state.records.delete(job.alert.id);
    state.records.set(job.alert.id, { output: job.output, ...outcome });
    if (state.records.size > MAX_RECORDS) state.records.delete(state.records.keys().next().value!);
  }

  private settle(output: string, jobs: readonly DeliveryJob[], error: string): OutputState {
    const state = this.state(output);
    for (const job of jobs) state.inFlight.delete(job.id);
    state.counters.failed += jobs.length;
    state.counters.lastErrorAt = Date.now();
    state.counters.lastError = error.slice(0, 500);
    return state;
  }

  private state(output: string): OutputState {
    let state = this.outputs.get(output);
    if (!state) {
      state = {
        waiting: [],
        inFlight: new Map(),
        retries: [],
        dead: new Map(),
        records: new Map(),
        counters: { delivered: 0, failed: 0, retried: 0, dead: 0 },
        wakers: new Set(),
      };
      this.outputs.set(output, state);
    }
    return state;
  }
}
