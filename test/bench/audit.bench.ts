/**
 * Audit webhook throughput: Kubernetes audit events per second from the HTTP body to stored alerts, through the
 * hub's `POST /k8s-audit` with Falco's upstream k8s audit rules (k8s_audit_rules.yaml, unmodified). The traffic is
 * shaped like a small cluster's: mostly kubelets, controllers and service accounts renewing leases, watching and
 * listing, with a few people and CI jobs among them, some of whose requests raise alerts. Bodies are EventLists of
 * 400 events (kube-apiserver's default --audit-webhook-batch-max-size). Target: 20,000 events/s on this machine.
 * Prints figures and the ratio to the target; asserts only that every event was read and every alert stored.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHub } from '../support/app.js';
import { startRedis, type TestRedis } from '../support/redis.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? 1);
const EVENTS = 100_000 * SCALE;
const BATCH = 400;
const SENDERS = 4;
const TARGET = 20_000;
const SHARED = process.env['HARRIER_SHARED'] ?? path.resolve(fileURLToPath(import.meta.url), '../../../../shared');
const UPSTREAM_RULES = path.join(SHARED, 'reference/falco/k8s_audit_rules.yaml');

let seed = 7;
/** Deterministic, so every run sends the same traffic. */
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const NODES = ['node-1', 'node-2', 'node-3'];
const NAMESPACES = ['shop', 'payments', 'ci', 'monitoring', 'kube-system'];

function auditEvent(
  user: { username: string; groups: string[] },
  verb: string,
  objectRef: Record<string, string>,
  extra: Record<string, unknown> = {},
) {
  const now = new Date().toISOString();
  const ns = objectRef['namespace'];
  const uri = `/api${objectRef['apiGroup'] ? `s/${objectRef['apiGroup']}/v1` : '/v1'}${ns ? `/namespaces/${ns}` : ''}/${objectRef['resource']}${objectRef['name'] ? `/${objectRef['name']}` : ''}`;
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: randomUUID(),
    stage: 'ResponseComplete',
    requestURI: uri,
    verb,
    user,
    sourceIPs: [`10.0.0.${Math.floor(random() * 250) + 2}`],
    userAgent: 'kubelet/v1.29.4 (linux/amd64) kubernetes/55019c8',
    objectRef: { apiVersion: 'v1', ...objectRef },
    responseStatus: { metadata: {}, code: verb === 'create' ? 201 : 200 },
    requestReceivedTimestamp: now,
    stageTimestamp: now,
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' },
    ...extra,
  };
}

const system = (username: string) => ({ username, groups: ['system:authenticated'] });
const person = { username: 'alice@example.com', groups: ['system:authenticated', 'developers'] };

/** One event of the cluster's traffic, by weight. */
const TRAFFIC: Array<[weight: number, make: () => object]> = [
  // Kubelets renew their node lease every 10 s and report their pods.
  [
    40,
    () =>
      auditEvent(system(`system:node:${pick(NODES)}`), 'update', {
        resource: 'leases',
        apiGroup: 'coordination.k8s.io',
        namespace: 'kube-node-lease',
        name: pick(NODES),
      }),
  ],
  [
    15,
    () =>
      auditEvent(system(`system:node:${pick(NODES)}`), 'patch', {
        resource: 'pods',
        subresource: 'status',
        namespace: pick(NAMESPACES),
        name: `web-${Math.floor(random() * 50)}`,
      }),
  ],
  [
    15,
    () =>
      auditEvent(system('system:kube-controller-manager'), pick(['get', 'update']), {
        resource: 'endpoints',
        namespace: pick(NAMESPACES),
        name: 'web',
      }),
  ],
  [
    10,
    () =>
      auditEvent(system('system:kube-scheduler'), 'get', {
        resource: 'leases',
        apiGroup: 'coordination.k8s.io',
        namespace: 'kube-system',
        name: 'kube-scheduler',
      }),
  ],
  [
    10,
    () =>
      auditEvent(system(`system:serviceaccount:monitoring:prometheus`), pick(['list', 'watch']), {
        resource: pick(['pods', 'endpoints', 'services']),
        namespace: pick(NAMESPACES),
      }),
  ],
  [
    6,
    () =>
      auditEvent(person, pick(['get', 'list']), {
        resource: pick(['pods', 'deployments', 'services']),
        namespace: pick(NAMESPACES),
      }),
  ],
  // People and CI doing things the upstream rules look at.
  [
    1,
    () =>
      auditEvent(
        person,
        'create',
        { resource: 'pods', subresource: 'exec', namespace: 'shop', name: `web-${Math.floor(random() * 50)}` },
        { requestURI: '/api/v1/namespaces/shop/pods/web-1/exec?command=sh&stdin=true&tty=true' },
      ),
  ],
  [
    1,
    () =>
      auditEvent(
        person,
        'create',
        { resource: 'configmaps', namespace: 'payments', name: 'settings' },
        {
          level: 'RequestResponse',
          requestObject: { kind: 'ConfigMap', data: { aws_access_key_id: 'AKIAIOSFODNN7EXAMPLE' } },
        },
      ),
  ],
  [
    1,
    () =>
      auditEvent(
        system('system:serviceaccount:ci:deployer'),
        'create',
        { resource: 'pods', namespace: 'ci', name: `debug-${Math.floor(random() * 1000)}` },
        {
          level: 'RequestResponse',
          requestObject: {
            kind: 'Pod',
            spec: {
              containers: [{ name: 'debug', image: 'busybox:1.36', securityContext: { privileged: true } }],
              volumes: [{ name: 'host', hostPath: { path: '/var/run/docker.sock' } }],
            },
          },
          responseObject: { kind: 'Pod', metadata: { name: 'debug' } },
        },
      ),
  ],
  [
    1,
    () =>
      auditEvent(
        person,
        'create',
        { resource: 'clusterrolebindings', apiGroup: 'rbac.authorization.k8s.io', name: 'ci-admin' },
        {
          level: 'RequestResponse',
          requestObject: {
            kind: 'ClusterRoleBinding',
            roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
            subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }],
          },
        },
      ),
  ],
];
const TOTAL_WEIGHT = TRAFFIC.reduce((sum, [w]) => sum + w, 0);

function trafficEvent(): object {
  let r = random() * TOTAL_WEIGHT;
  for (const [weight, make] of TRAFFIC) if ((r -= weight) < 0) return make();
  return TRAFFIC[0]![1]();
}

function bodies(): string[] {
  return Array.from({ length: Math.ceil(EVENTS / BATCH) }, () =>
    JSON.stringify({
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1',
      metadata: {},
      items: Array.from({ length: BATCH }, trafficEvent),
    }),
  );
}

interface Run {
  events: number;
  alerts: number;
  seconds: number;
}

async function post(url: string, all: readonly string[]): Promise<Run> {
  let next = 0;
  let events = 0;
  let alerts = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (next < all.length) {
        const body = all[next++]!;
        const res = await fetch(`${url}/k8s-audit`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const answer = (await res.json()) as { events: number; alerts: number };
        if (res.status !== 200) throw new Error(`POST /k8s-audit answered ${res.status}: ${JSON.stringify(answer)}`);
        events += answer.events;
        alerts += answer.alerts;
      }
    }),
  );
  return { events, alerts, seconds: (performance.now() - started) / 1000 };
}

const rows: Record<string, string | number>[] = [];
let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
  console.log(
    `\nAudit webhook → upstream k8s audit rules → stored alerts (${EVENTS} events, batches of ${BATCH}, ${SENDERS} senders)`,
  );
  console.table(rows);
});

it.each<[string, () => Record<string, string>]>([
  ['memory', () => ({})],
  ['redis', () => ({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: `${redis.prefix}${randomUUID()}:` })],
])('POST /k8s-audit, %s store', async (store, env) => {
  const hub = await startHub({ RULES_FILES: UPSTREAM_RULES, MEMORY_MAX_ALERTS: String(EVENTS), ...env() });
  try {
    const all = bodies();
    // A first batch warms the JIT and the rule index caches, as a running hub's would be.
    const warmed = await post(hub.url, all.slice(0, 5));
    const run = await post(hub.url, all);
    const stats = (await (await fetch(`${hub.url}/api/v1/alerts/stats`)).json()) as {
      total: number;
      truncated: boolean;
    };
    expect(run.events).toBe(all.length * BATCH);
    expect(run.alerts).toBeGreaterThan(0);
    // Every alert the hub reported raising is in the store (the warm-up's too).
    if (!stats.truncated) expect(stats.total).toBe(run.alerts + warmed.alerts);
    const perSecond = run.events / run.seconds;
    rows.push({
      store,
      'events/s': Math.round(perSecond),
      'alerts/s': Math.round(run.alerts / run.seconds),
      'alert share': `${((100 * run.alerts) / run.events).toFixed(1)}%`,
      target: TARGET,
      'vs target': `${(perSecond / TARGET).toFixed(2)}×`,
    });
  } finally {
    await hub.close();
  }
});
