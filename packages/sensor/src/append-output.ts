import type { SensorEventSource } from './source.js';

/**
 * What a typical falco.yaml `append_output` adds per source, and what the sensor adds to its alerts (the demo's
 * ready-made alerts too): container and Kubernetes fields on syscall alerts, and the audit target's namespace and
 * name as extra fields, so the hub can tell which namespace and pod every alert is about (the upstream rules'
 * outputs mostly name neither).
 */
export const APPEND_OUTPUT: Record<SensorEventSource, { output: string; fields: readonly string[] }> = {
  syscall: {
    output:
      ' container_id=%container.id container_name=%container.name container_image_repository=%container.image.repository' +
      ' container_image_tag=%container.image.tag k8s_pod_name=%k8s.pod.name k8s_ns_name=%k8s.ns.name',
    fields: [],
  },
  k8s_audit: { output: '', fields: ['ka.target.namespace', 'ka.target.name'] },
};
