/**
 * Raw demo events — Kubernetes audit events and syscall events — for the engine to judge: most are what a cluster
 * does all day, some do what Harrier's default rules (engine `rules/harrier_rules.yaml`) alert on.
 */
import type { EngineEvent } from '@harrier/engine';
import type { SensorEvent } from '../source.js';
import { AUDIT_NODE, DEMO_K8S_USERS, DEMO_PODS, type DemoPod } from './cluster.js';
import { PacedSource, type PacedSourceOptions } from './paced.js';
import { integer, pick, pickWeighted, type Random } from './random.js';

interface Activity {
  /** What it is, for tests and people reading this list. */
  name: string;
  weight: number;
  make(random: Random, epochMs: number): SensorEvent;
}

const API_SERVER = { ip: '10.96.0.1', name: 'kubernetes.default.svc.cluster.local' };
const DEBUG_IMAGES = ['docker.io/library/busybox:1.36', 'docker.io/nicolaka/netshoot:v0.12'] as const;
const SENSITIVE_PATHS = ['/var/run/docker.sock', '/proc', '/etc', '/var/lib/kubelet'] as const;

const auditId = (random: Random) =>
  [8, 4, 4, 4, 12].map((n) => Array.from({ length: n }, () => integer(random, 0, 15).toString(16)).join('')).join('-');

/** An `audit.k8s.io/v1` Event as kube-apiserver writes it, with `overrides` on top. */
function auditEvent(random: Random, epochMs: number, overrides: Record<string, unknown>): SensorEvent {
  const stamp = new Date(epochMs).toISOString();
  const payload = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: auditId(random),
    stage: 'ResponseComplete',
    verb: 'create',
    user: { username: pick(random, DEMO_K8S_USERS), groups: ['system:authenticated'] },
    sourceIPs: [`10.0.${integer(random, 0, 3)}.${integer(random, 2, 254)}`],
    userAgent: 'kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819',
    responseStatus: { metadata: {}, code: 201 },
    requestReceivedTimestamp: stamp,
    stageTimestamp: stamp,
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' },
    ...overrides,
  };
  return { source: 'k8s_audit', event: { timeNs: BigInt(epochMs) * 1_000_000n, payload, hostname: AUDIT_NODE } };
}

/** A pod created in a namespace with `spec`. */
function podCreate(random: Random, epochMs: number, name: string, spec: Record<string, unknown>): SensorEvent {
  const pod = pick(random, DEMO_PODS);
  return auditEvent(random, epochMs, {
    requestURI: `/api/v1/namespaces/${pod.namespace}/pods`,
    objectRef: { resource: 'pods', namespace: pod.namespace, name, apiVersion: 'v1' },
    requestObject: { kind: 'Pod', apiVersion: 'v1', metadata: { name, namespace: pod.namespace }, spec },
    responseObject: { kind: 'Pod', apiVersion: 'v1', metadata: { name, namespace: pod.namespace } },
  });
}

/** A syscall event of a process in `pod`'s container. */
function inPod(pod: DemoPod, epochMs: number, fields: Record<string, unknown>): SensorEvent {
  const event: EngineEvent = {
    timeNs: BigInt(epochMs) * 1_000_000n,
    hostname: pod.node,
    payload: {
      'evt.dir': '<',
      'proc.pid': 0,
      'user.uid': 0,
      'user.name': 'root',
      'user.loginuid': -1,
      'container.id': pod.container.id,
      'container.name': pod.container.name,
      'container.image.repository': pod.image.repository,
      'container.image.tag': pod.image.tag,
      'k8s.pod.name': pod.name,
      'k8s.ns.name': pod.namespace,
      ...fields,
    },
  };
  return { source: 'syscall', event };
}

function processFields(random: Random, name: string, args: string, parent: string, tty: number) {
  const pid = integer(random, 300, 60_000);
  return {
    'proc.pid': pid,
    'proc.ppid': pid - integer(random, 1, 200),
    'proc.name': name,
    'proc.exe': name,
    'proc.args': args,
    'proc.cmdline': args === '' ? name : `${name} ${args}`,
    'proc.pname': parent,
    'proc.aname': [name, parent, 'containerd-shim', 'systemd'],
    'proc.tty': tty,
  };
}

const APPLICATION_PODS = DEMO_PODS.filter((p) => p.namespace !== 'kube-system');

export const DEMO_ACTIVITIES: readonly Activity[] = [
  {
    name: 'list pods (benign)',
    weight: 30,
    make: (random, at) => {
      const pod = pick(random, DEMO_PODS);
      return auditEvent(random, at, {
        verb: 'list',
        requestURI: `/api/v1/namespaces/${pod.namespace}/pods`,
        objectRef: { resource: 'pods', namespace: pod.namespace, apiVersion: 'v1' },
        responseStatus: { metadata: {}, code: 200 },
      });
    },
  },
  {
    name: 'create an ordinary pod (benign)',
    weight: 10,
    make: (random, at) =>
      podCreate(random, at, `web-${integer(random, 1000, 9999)}`, {
        containers: [{ name: 'web', image: 'ghcr.io/acme/web-frontend:3.8.0' }],
      }),
  },
  {
    name: 'entrypoint script runs a shell without a terminal (benign)',
    weight: 15,
    make: (random, at) =>
      inPod(pick(random, DEMO_PODS), at, {
        'evt.type': 'execve',
        ...processFields(random, 'sh', '-c /docker-entrypoint.sh', 'entrypoint.sh', 0),
      }),
  },
  {
    name: 'connect to a database (benign)',
    weight: 15,
    make: (random, at) => {
      const port = integer(random, 32768, 60999);
      return inPod(pick(random, APPLICATION_PODS), at, {
        'evt.type': 'connect',
        ...processFields(random, 'node', 'server.js', 'containerd-shim', 0),
        'fd.typechar': '4',
        'fd.l4proto': 'tcp',
        'fd.sip': '10.100.12.7',
        'fd.sport': 5432,
        'fd.name': `10.32.1.23:${port}->10.100.12.7:5432`,
      });
    },
  },
  {
    name: 'kubectl exec into a pod',
    weight: 6,
    make: (random, at) => {
      const pod = pick(random, APPLICATION_PODS);
      return auditEvent(random, at, {
        stage: 'ResponseStarted',
        requestURI: `/api/v1/namespaces/${pod.namespace}/pods/${pod.name}/exec?command=sh&container=${pod.container.name}&stdin=true&stdout=true&tty=true`,
        objectRef: {
          resource: 'pods',
          subresource: 'exec',
          namespace: pod.namespace,
          name: pod.name,
          apiVersion: 'v1',
        },
        responseStatus: { metadata: {}, code: 101 },
      });
    },
  },
  {
    name: 'terminal shell in a container',
    weight: 6,
    make: (random, at) =>
      inPod(pick(random, APPLICATION_PODS), at, {
        'evt.type': 'execve',
        ...processFields(random, pick(random, ['sh', 'bash']), '', 'runc', 34816 + integer(random, 0, 3)),
      }),
  },
  {
    name: 'container contacts the API server',
    weight: 5,
    make: (random, at) => {
      const port = integer(random, 32768, 60999);
      return inPod(pick(random, APPLICATION_PODS), at, {
        'evt.type': 'connect',
        ...processFields(random, 'curl', '-sk https://kubernetes.default.svc/api/v1/secrets', 'sh', 34816),
        'fd.typechar': '4',
        'fd.l4proto': 'tcp',
        'fd.sip': API_SERVER.ip,
        'fd.sport': 443,
        'fd.sip.name': API_SERVER.name,
        'fd.name': `10.32.1.23:${port}->${API_SERVER.ip}:443`,
      });
    },
  },
  {
    name: 'pod with a sensitive host path',
    weight: 4,
    make: (random, at) => {
      const hostPath = pick(random, SENSITIVE_PATHS);
      return podCreate(random, at, 'node-debugger', {
        containers: [{ name: 'debug', image: pick(random, DEBUG_IMAGES) }],
        volumes: [{ name: 'host', hostPath: { path: hostPath } }],
      });
    },
  },
  {
    name: 'privileged pod',
    weight: 4,
    make: (random, at) =>
      podCreate(random, at, 'privileged-debug', {
        containers: [{ name: 'debug', image: pick(random, DEBUG_IMAGES), securityContext: { privileged: true } }],
      }),
  },
  {
    name: 'configmap with credentials',
    weight: 3,
    make: (random, at) => {
      const pod = pick(random, APPLICATION_PODS);
      return auditEvent(random, at, {
        verb: pick(random, ['create', 'update']),
        requestURI: `/api/v1/namespaces/${pod.namespace}/configmaps`,
        objectRef: { resource: 'configmaps', namespace: pod.namespace, name: 'app-config', apiVersion: 'v1' },
        requestObject: { kind: 'ConfigMap', data: { 'settings.env': 'AWS_ACCESS_KEY_ID=AKIAEXAMPLE\n' } },
      });
    },
  },
  {
    name: 'binding to cluster-admin',
    weight: 2,
    make: (random, at) =>
      auditEvent(random, at, {
        requestURI: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
        objectRef: { resource: 'clusterrolebindings', name: 'ci-admin', apiGroup: 'rbac.authorization.k8s.io' },
        requestObject: {
          roleRef: { kind: 'ClusterRole', name: 'cluster-admin', apiGroup: 'rbac.authorization.k8s.io' },
          subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }],
        },
      }),
  },
];

export function createDemoActivity(random: Random, epochMs: number): SensorEvent {
  return pickWeighted(random, DEMO_ACTIVITIES).make(random, epochMs);
}

export interface DemoActivitySourceOptions extends PacedSourceOptions {
  /** Events per second; fractions allowed. Default 10. */
  rate?: number;
}

export class DemoActivitySource extends PacedSource<SensorEvent> {
  constructor(options: DemoActivitySourceOptions = {}) {
    super(options, 10, createDemoActivity);
  }
}
