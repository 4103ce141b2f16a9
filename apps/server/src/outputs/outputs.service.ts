/** Runs a delivery worker per enabled output in this replica and answers for the outputs' state. */
import { alertTimeMs, type AlertDelivery, type OutputStatus } from '@harrier/alert';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AlertsService } from '../alerts/alerts.service.js';
import { CONFIG } from '../config/config.module.js';
import type { HarrierConfig } from '../config/config.schema.js';
import { createChannel, maskSecrets, type ChannelOutput } from './channels/channel.factory.js';
import type { OutputChannel } from './channels/output-channel.js';
import {
  DELIVERY_QUEUE,
  DELIVERY_RECORD_TTL_MS,
  type DeadLetter,
  type DeliveryQueue,
} from './delivery/delivery-queue.js';
import { OutputWorker } from './delivery/output-worker.js';
import { DELIVERY_ATTEMPTED, DeliveryAttempted } from './outputs.events.js';
import { outputAccepts, TEST_RULE } from './routing.js';

export class UnknownOutputError extends Error {
  override readonly name = 'UnknownOutputError';
  constructor(readonly output: string) {
    super(`No output named "${output}"`);
  }
}

@Injectable()
export class OutputsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Outputs');
  private readonly running: { worker: OutputWorker; channel: OutputChannel }[] = [];

  constructor(
    @Inject(CONFIG) private readonly config: HarrierConfig,
    @Inject(DELIVERY_QUEUE) private readonly queue: DeliveryQueue,
    @Inject(EventEmitter2) private readonly events: EventEmitter2,
    @Inject(AlertsService) private readonly alerts: AlertsService,
  ) {}

  onApplicationBootstrap(): void {
    const { outputs, server } = this.config;
    this.logger.log(`Enabled Outputs: [${outputs.map((o) => o.name).join(' ')}]`);
    for (const definition of outputs) {
      // The config was parsed by this type's own schema when the config loaded.
      const channel = createChannel(definition as unknown as ChannelOutput, {
        outputName: definition.name,
        dashboardUrl: server.publicUrl,
      });
      const worker = new OutputWorker(definition, channel, this.queue, server.instance, this.logger, (outcome) =>
        this.events.emit(DELIVERY_ATTEMPTED, new DeliveryAttempted(outcome)),
      );
      worker.start();
      this.running.push({ worker, channel });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.running.map(({ worker }) => worker.stop()));
    await Promise.all(this.running.map(({ channel }) => channel.close()));
  }

  async list(): Promise<OutputStatus[]> {
    return Promise.all(
      this.config.outputs.map(async (o) => ({
        name: o.name,
        type: o.type,
        config: maskSecrets(o.type, o.config),
        counters: await this.queue.counters(o.name),
        depth: await this.queue.depth(o.name),
      })),
    );
  }

  async deadLetters(output: string, limit: number): Promise<DeadLetter[]> {
    return this.queue.deadLetters(this.known(output), limit);
  }

  async redrive(output: string, ids?: readonly string[]): Promise<number> {
    return this.queue.redrive(this.known(output), ids);
  }

  /**
   * Where the alert stands with each output: the queue's record of its last outcome, or `queued` for an output
   * routing sends it to that has not settled it yet. 404 for an unknown alert.
   */
  async deliveries(alertId: string, now = Date.now()): Promise<AlertDelivery[]> {
    const alert = await this.alerts.get(alertId);
    const outputs = this.config.outputs;
    const recorded = await this.queue.deliveries(
      alert.id,
      outputs.map((o) => o.name),
    );
    const byOutput = new Map(recorded.map((record) => [record.output, record]));
    // Past the records' lifetime a missing record says nothing, rather than "still queued".
    const recent = now - alertTimeMs(alert) < DELIVERY_RECORD_TTL_MS;
    return outputs.flatMap((o): AlertDelivery[] => {
      const record = byOutput.get(o.name);
      if (record) return [record];
      return recent && outputAccepts(o.filter, alert) ? [{ output: o.name, state: 'queued', attempts: 0 }] : [];
    });
  }

  /** falcosidekick's `POST /test`: a test alert through every enabled output, whatever their filters. */
  async sendTest(): Promise<void> {
    await this.alerts.ingest({
      output: 'This is a test from Harrier',
      source: 'internal',
      priority: 'Debug',
      hostname: 'harrier',
      rule: TEST_RULE,
      time: new Date().toISOString(),
      output_fields: { 'proc.name': 'harrier', 'user.name': 'harrier' },
      tags: ['example', 'test'],
    });
  }

  private known(output: string): string {
    if (!this.config.outputs.some((o) => o.name === output)) throw new UnknownOutputError(output);
    return output;
  }
}
