import type { Alert, FalcoAlert } from '@harrier/alert';

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

/** Every alert the hub's API lists, all pages. */
export async function listAllAlerts(hubUrl: string, headers: Record<string, string> = {}): Promise<Alert[]> {
  const all: Alert[] = [];
  let cursor: string | null = null;
  do {
    const res = await fetch(`${hubUrl}/api/v1/alerts?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, { headers });
    if (!res.ok) throw new Error(`GET /api/v1/alerts answered ${res.status}`);
    const page = (await res.json()) as { alerts: Alert[]; nextCursor: string | null };
    all.push(...page.alerts);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}
