/**
 * Prometheus metrics under falcosidekick's names (so existing dashboards and alerts keep working), plus
 * Harrier's delivery metrics. Fed by the typed events of the alerts and outputs modules.
 */
import { priorityLevel } from '@harrier/alert';
import { Inject, Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ALERT_INGESTED, ALERT_REJECTED, AlertIngested } from '../alerts/alert.events.js';
import { CONFIG } from '../config/config.module.js';
import type { HarrierConfig } from '../config/config.schema.js';
import { DELIVERY_QUEUE, type DeliveryQueue } from '../outputs/delivery/delivery-queue.js';
import { DELIVERY_ATTEMPTED, DeliveryAttempted } from '../outputs/outputs.events.js';

const PREFIX = 'falcosecurity_falcosidekick_';

function labelValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly inputs: Counter;
  private readonly events: Counter;
  private readonly outputs: Counter;
  private readonly attemptSeconds: Histogram;
  private readonly latencySeconds: Histogram;
  private readonly retries: Counter;
  private readonly deadLetters: Counter;

  constructor(@Inject(CONFIG) config: HarrierConfig, @Inject(DELIVERY_QUEUE) queue: DeliveryQueue) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.inputs = new Counter({
      name: `${PREFIX}inputs_total`,
      help: 'Alerts received, by acceptance',
      labelNames: ['source', 'status'],
      registers,
    });
    this.events = new Counter({
      name: `${PREFIX}falco_events_total`,
      help: 'Alerts accepted, by rule, priority, source and Kubernetes location',
      labelNames: ['hostname', 'rule', 'priority', 'priority_raw', 'source', 'k8s_ns_name', 'k8s_pod_name'],
      registers,
    });
    this.outputs = new Counter({
      name: `${PREFIX}outputs_total`,
      help: 'Alerts sent to outputs, by outcome (each alert of a digest counts)',
      labelNames: ['destination', 'status'],
      registers,
    });
    this.attemptSeconds = new Histogram({
      name: 'harrier_delivery_attempt_seconds',
      help: 'Duration of one delivery attempt, by output and outcome',
      labelNames: ['output', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.latencySeconds = new Histogram({
      name: 'harrier_delivery_latency_seconds',
      help: 'From ingest to successful delivery, by output',
      labelNames: ['output'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 15, 60, 300, 3600],
      registers,
    });
    this.retries = new Counter({
      name: 'harrier_delivery_retries_total',
      help: 'Alerts scheduled for another attempt, by output',
      labelNames: ['output'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'harrier_delivery_dead_letters_total',
      help: 'Alerts moved to the dead letters, by output',
      labelNames: ['output'],
      registers,
    });
    new Gauge({
      name: 'harrier_delivery_queue_depth',
      help: 'Delivery jobs by output and state (queued, retrying, dead), shared by all replicas',
      labelNames: ['output', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const { name } of config.outputs) {
          const depth = await queue.depth(name);
          for (const state of ['queued', 'retrying', 'dead'] as const) this.set({ output: name, state }, depth[state]);
        }
      },
    });
  }

  @OnEvent(ALERT_INGESTED)
  onIngested({ alert }: AlertIngested): void {
    this.inputs.inc({ source: 'requests', status: 'accepted' });
    this.events.inc({
      hostname: alert.hostname || 'unknown',
      rule: alert.rule,
      priority: String(priorityLevel(alert.priority)),
      priority_raw: alert.priority.toLowerCase(),
      source: alert.source,
      k8s_ns_name: labelValue(alert.output_fields['k8s.ns.name']),
      k8s_pod_name: labelValue(alert.output_fields['k8s.pod.name']),
    });
  }

  @OnEvent(ALERT_REJECTED)
  onRejected(): void {
    this.inputs.inc({ source: 'requests', status: 'rejected' });
  }

  @OnEvent(DELIVERY_ATTEMPTED)
  onDelivery({ outcome }: DeliveryAttempted): void {
    const { output, status, jobs, durationMs } = outcome;
    this.attemptSeconds.observe({ output, status }, durationMs / 1000);
    this.outputs.inc({ destination: output, status: status === 'delivered' ? 'ok' : 'error' }, jobs.length);
    if (status === 'delivered') {
      const now = Date.now();
      for (const job of jobs) this.latencySeconds.observe({ output }, (now - job.queuedAt) / 1000);
    } else if (status === 'retry') {
      this.retries.inc({ output }, jobs.length);
    } else {
      this.deadLetters.inc({ output }, jobs.length);
    }
  }
}
