/** The imaginary cluster the demo's alerts happen in: a few namespaces of ordinary workloads on three GKE nodes. */

export const DEMO_NODES = [
  'gke-prod-default-pool-6f1c2b7e-4mzq',
  'gke-prod-default-pool-6f1c2b7e-b7wn',
  'gke-prod-default-pool-6f1c2b7e-tq2x',
] as const;

/** Where Falco with the k8saudit plugin runs, and so the hostname on every audit alert. */
export const AUDIT_NODE = DEMO_NODES[0];

export const DEMO_NAMESPACES = ['default', 'payments', 'kube-system', 'monitoring'] as const;

export type DemoNamespace = (typeof DEMO_NAMESPACES)[number];

export interface DemoPod {
  namespace: DemoNamespace;
  name: string;
  node: string;
  container: { id: string; name: string };
  image: { repository: string; tag: string };
}

function pod(
  namespace: DemoNamespace,
  name: string,
  node: 0 | 1 | 2,
  containerId: string,
  containerName: string,
  image: string,
): DemoPod {
  const [repository = image, tag = 'latest'] = image.split(/:(?=[^:/]+$)/);
  return {
    namespace,
    name,
    node: DEMO_NODES[node],
    container: { id: containerId, name: containerName },
    image: { repository, tag },
  };
}

export const DEMO_PODS: readonly DemoPod[] = [
  pod('default', 'nginx-7854ff8877-h6p8k', 0, '5f3ac1c6e3e0', 'nginx', 'docker.io/library/nginx:1.25.3'),
  pod('default', 'web-frontend-6d5f9c7b8-qx2lm', 1, '9c81ea20d30a', 'web', 'ghcr.io/acme/web-frontend:3.8.0'),
  pod('payments', 'payments-api-5c8d7f6b9d-7vkzp', 1, 'a41f0c9e27d3', 'api', 'ghcr.io/acme/payments-api:2.14.1'),
  pod(
    'payments',
    'payments-worker-84b6d5c9f-mt9sd',
    2,
    '2be7d4a9f160',
    'worker',
    'ghcr.io/acme/payments-worker:2.14.1',
  ),
  pod('payments', 'postgres-0', 2, 'e0d93b71c8a4', 'postgres', 'docker.io/library/postgres:16.2'),
  pod(
    'kube-system',
    'coredns-5d78c9869d-8kq2w',
    0,
    '7a6e5c14b9f2',
    'coredns',
    'registry.k8s.io/coredns/coredns:v1.11.1',
  ),
  pod('kube-system', 'kube-proxy-x7r2n', 2, 'c3b8e2f05d71', 'kube-proxy', 'registry.k8s.io/kube-proxy:v1.29.2'),
  pod('monitoring', 'prometheus-server-0', 1, '4d2a9f7b3e18', 'prometheus', 'quay.io/prometheus/prometheus:v2.51.0'),
  pod('monitoring', 'grafana-7b9c6d8f5-tz4pw', 0, 'f8e1c6a2d097', 'grafana', 'docker.io/grafana/grafana:10.4.1'),
];

/** Who talks to the API server in the audit scenarios: people, CI and controllers. */
export const DEMO_K8S_USERS = [
  'alice@example.com',
  'bob@example.com',
  'system:serviceaccount:argocd:argocd-application-controller',
  'system:serviceaccount:ci:deployer',
] as const;
