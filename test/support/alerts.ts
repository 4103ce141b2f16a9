import type { FalcoAlert } from '@harrier/alert';

/** A Falco alert as Falco's http_output posts it, with overrides. */
export function falcoAlert(overrides: Partial<Record<keyof FalcoAlert, unknown>> = {}): Record<string, unknown> {
  return {
    output: '16:31:56.746609046: Notice A shell was spawned in a container (user=root container=web)',
    priority: 'Notice',
    rule: 'Terminal shell in container',
    time: new Date().toISOString(),
    output_fields: { 'k8s.ns.name': 'default', 'k8s.pod.name': 'web-1', 'proc.cmdline': 'sh' },
    source: 'syscall',
    tags: ['container', 'shell'],
    hostname: 'node-a',
    ...overrides,
  };
}
