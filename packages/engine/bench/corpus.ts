/** A generated, mixed corpus of Kubernetes audit events (JSON lines) for the engine benchmark; deterministic. */

/** A small linear congruential generator: the same corpus on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const VERBS = ['create', 'update', 'patch', 'delete', 'get', 'list', 'watch'];
const RESOURCES = [
  'pods',
  'configmaps',
  'secrets',
  'roles',
  'clusterroles',
  'rolebindings',
  'clusterrolebindings',
  'services',
  'deployments',
  'namespaces',
  'serviceaccounts',
];
const USERS = [
  'kubernetes-admin',
  'alice',
  'system:serviceaccount:kube-system:replicaset-controller',
  'system:kube-scheduler',
  'system:anonymous',
  'minikube-user',
];
const NAMESPACES = ['default', 'kube-system', 'payments', 'monitoring'];
const IMAGES = ['nginx:1.25', 'redis:7', 'docker.io/calico/node:v3.27', 'busybox', 'evil/miner:latest'];
const STAGES = ['ResponseComplete', 'ResponseComplete', 'ResponseComplete', 'RequestReceived', 'ResponseStarted'];

export function generateAuditCorpus(count: number, seed = 42): string[] {
  const rand = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const lines: string[] = [];
  const base = Date.UTC(2024, 4, 1, 10);
  for (let i = 0; i < count; i++) {
    const resource = pick(RESOURCES);
    const verb = pick(VERBS);
    const namespace = resource.startsWith('cluster') || resource === 'namespaces' ? undefined : pick(NAMESPACES);
    const name = `${resource.slice(0, -1)}-${i % 97}`;
    const subresource =
      resource === 'pods' && rand() < 0.08 ? pick(['exec', 'log', 'status', 'portforward']) : undefined;
    const event: Record<string, unknown> = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'RequestResponse',
      auditID: `6f1d3c2a-${String(i).padStart(8, '0')}`,
      stage: pick(STAGES),
      requestURI: `/api/v1/${namespace ? `namespaces/${namespace}/` : ''}${resource}/${name}${subresource ? `/${subresource}?command=sh` : ''}`,
      verb,
      user: { username: pick(USERS), groups: ['system:authenticated'] },
      sourceIPs: [`10.0.${i % 256}.${(i * 7) % 256}`],
      userAgent: 'kubectl/v1.30.0 (linux/amd64) kubernetes/7c48c2b',
      objectRef: {
        resource,
        ...(namespace ? { namespace } : {}),
        name,
        apiVersion: 'v1',
        ...(subresource ? { subresource } : {}),
      },
      responseStatus: { metadata: {}, code: rand() < 0.9 ? (verb === 'create' ? 201 : 200) : 403 },
      requestReceivedTimestamp: new Date(base + i).toISOString(),
      stageTimestamp: new Date(base + i + 1).toISOString().replace('Z', '123Z'),
      annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' },
    };
    const mutating = verb === 'create' || verb === 'update' || verb === 'patch';
    const requestObject = mutating ? body(resource, rand, pick) : undefined;
    if (requestObject) event['requestObject'] = requestObject;
    // At the RequestResponse level the API server also logs the object it returns, with its server-set metadata.
    if ((mutating || verb === 'get') && event['stage'] === 'ResponseComplete') {
      event['responseObject'] = {
        kind: resource,
        apiVersion: 'v1',
        metadata: {
          name,
          ...(namespace ? { namespace } : {}),
          uid: `0f3c${String(i).padStart(8, '0')}-8e8f-4b2e-9c2a-5f0d1c9e7a61`,
          resourceVersion: String(100000 + i),
          creationTimestamp: '2024-05-01T09:59:00Z',
          labels: { app: name, team: pick(['core', 'payments', 'platform']) },
          managedFields: [
            {
              manager: 'kubectl-client-side-apply',
              operation: 'Update',
              apiVersion: 'v1',
              time: '2024-05-01T09:59:00Z',
              fieldsType: 'FieldsV1',
              fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {}, 'f:team': {} } } },
            },
          ],
        },
        ...requestObject,
      };
    }
    lines.push(JSON.stringify(event));
  }
  return lines;
}

function body(resource: string, rand: () => number, pick: <T>(xs: readonly T[]) => T): Record<string, unknown> {
  switch (resource) {
    case 'pods':
      return {
        kind: 'Pod',
        spec: {
          ...(rand() < 0.1 ? { hostNetwork: true } : {}),
          ...(rand() < 0.05 ? { hostPID: true } : {}),
          containers: Array.from({ length: 1 + Math.floor(rand() * 2) }, (_, j) => ({
            name: `c${j}`,
            image: pick(IMAGES),
            ...(rand() < 0.1 ? { securityContext: { privileged: true } } : {}),
          })),
          volumes:
            rand() < 0.2 ? [{ name: 'host', hostPath: { path: pick(['/proc', '/var/log', '/etc', '/data']) } }] : [],
        },
      };
    case 'configmaps':
      return {
        kind: 'ConfigMap',
        data: { 'app.properties': rand() < 0.2 ? 'password=hunter2' : 'color=blue\nsize=3' },
      };
    case 'secrets':
      return { kind: 'Secret', type: 'Opaque', data: { token: 'c2VjcmV0' } };
    case 'roles':
    case 'clusterroles':
      return {
        kind: 'Role',
        rules: [
          {
            apiGroups: [''],
            resources: [pick(['pods', '*', 'pods/exec', 'secrets'])],
            verbs: [pick(['get', '*', 'create'])],
          },
        ],
      };
    case 'rolebindings':
    case 'clusterrolebindings':
      return {
        roleRef: { kind: 'ClusterRole', name: pick(['view', 'edit', 'cluster-admin']) },
        subjects: [{ kind: 'User', name: 'bob' }],
      };
    case 'services':
      return { spec: { type: pick(['ClusterIP', 'ClusterIP', 'NodePort', 'LoadBalancer']), ports: [{ port: 80 }] } };
    case 'deployments':
      return { spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image: pick(IMAGES) }] } } } };
    default:
      return { metadata: { labels: { team: 'core' } } };
  }
}
