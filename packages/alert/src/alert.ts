import type { Priority } from './priority.js';

/** An alert in Falco's JSON shape, as every producer sends it and every consumer reads it. */
export interface FalcoAlert {
  time: string;
  rule: string;
  priority: Priority;
  source: string;
  output: string;
  output_fields: Record<string, unknown>;
  tags: string[];
  hostname: string;
}

/** A stored alert: a Falco alert with the hub's time-ordered id. */
export interface Alert extends FalcoAlert {
  id: string;
}

function stringField(fields: Record<string, unknown>, key: string): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The Kubernetes namespace an alert is about: Falco's `k8s.ns.name`, or the audit target's namespace. */
export function alertNamespace(alert: FalcoAlert): string | undefined {
  return stringField(alert.output_fields, 'k8s.ns.name') ?? stringField(alert.output_fields, 'ka.target.namespace');
}

/** The pod an alert is about: Falco's `k8s.pod.name`, or the audit target when it is a pod. */
export function alertPod(alert: FalcoAlert): string | undefined {
  const pod = stringField(alert.output_fields, 'k8s.pod.name');
  if (pod !== undefined) return pod;
  return stringField(alert.output_fields, 'ka.target.resource') === 'pods'
    ? stringField(alert.output_fields, 'ka.target.name')
    : undefined;
}

/** Milliseconds since the epoch of an alert's RFC 3339 `time` (sub-millisecond digits dropped). */
export function alertTimeMs(alert: Pick<FalcoAlert, 'time'>): number {
  return Date.parse(alert.time);
}
