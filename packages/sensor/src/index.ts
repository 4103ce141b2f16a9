export { AuditLogSource, type AuditLogSourceOptions } from './audit-log/audit-log-source.js';
export {
  AuditWebhookSource,
  type AuditWebhookSourceOptions,
  type AuditWebhookStats,
} from './audit-webhook/audit-webhook-source.js';
export {
  KubeletPods,
  type ContainerInfo,
  type ContainerLookup,
  type KubeletPodsOptions,
} from './procfs/kubelet-pods.js';
export { ProcfsSource, type ProcfsSourceOptions } from './procfs/procfs-source.js';
export { systemClock, type Clock } from './clock.js';
export { DEMO_NAMESPACES, type DemoNamespace } from './demo/cluster.js';
export {
  createDemoActivity,
  DEMO_ACTIVITIES,
  DemoActivitySource,
  type DemoActivitySourceOptions,
} from './demo/demo-activity.js';
export { createDemoAlert } from './demo/demo-alerts.js';
export { DemoSource, type DemoSourceOptions } from './demo/demo-source.js';
export { seededRandom, type Random } from './demo/random.js';
export { DEMO_SCENARIOS, type DemoEventSource, type Occurrence, type Scenario } from './demo/scenarios.js';
export { Pipeline, type PipelineOptions, type PipelineStats } from './pipeline/pipeline.js';
export { HubSink, type HubSinkOptions, type RetryNotice } from './sink/hub-sink.js';
export { JsonLinesSink } from './sink/json-lines-sink.js';
export {
  DeliveryError,
  type AlertSink,
  type DeliveryErrorCode,
  type SendOptions,
  type SendResult,
} from './sink/sink.js';
export type { EventSource, SensorEvent, SensorEventSource, SourceProblem } from './source.js';
