/** Kubernetes audit events as kube-apiserver's webhook backend sends them, for tests that post them to the hub. */

/** A `create pods` event (ResponseComplete, allowed) for a pod in `payments` mounting the given host paths. */
export function podCreated(name: string, hostPaths: readonly string[]): Record<string, unknown> {
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: `audit-${name}`,
    stage: 'ResponseComplete',
    verb: 'create',
    requestURI: '/api/v1/namespaces/payments/pods',
    user: { username: 'alice@example.com' },
    objectRef: { resource: 'pods', namespace: 'payments', name, apiVersion: 'v1' },
    responseStatus: { code: 201 },
    requestObject: {
      kind: 'Pod',
      spec: {
        containers: [{ name: 'main', image: 'ubuntu:22.04' }],
        volumes: hostPaths.map((path, i) => ({ name: `v${i}`, hostPath: { path } })),
      },
    },
    responseObject: { kind: 'Pod', metadata: { name, namespace: 'payments' } },
    annotations: { 'authorization.k8s.io/decision': 'allow' },
    requestReceivedTimestamp: new Date().toISOString(),
    stageTimestamp: new Date().toISOString(),
  };
}
