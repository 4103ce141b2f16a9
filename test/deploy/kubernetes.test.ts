/** deploy/kubernetes: each overlay rendered, validated against the Kubernetes schemas, and cross-checked. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../apps/server/src/config/config.schema.js';
import { matchesLabels, podContainers, podLabels, podSpec, renderKustomization, type KubeObject } from './kustomize.js';
import { hubEnvNames, readYaml, readYamlDocuments, repoPath, type Json } from './repo.js';

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Secret': Secret,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'apps/v1/DaemonSet': DaemonSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
};
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const OVERLAYS = ['demo', 'production'] as const;
const render = (overlay: string) => renderKustomization(`deploy/kubernetes/overlays/${overlay}`);

const id = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const find = (objects: KubeObject[], kind: string, name: string, namespace?: string) =>
  objects.find(
    (o) =>
      o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace),
  );
const workloads = (objects: KubeObject[]) => objects.filter((o) => WORKLOADS.has(o.kind));
const spec = (o: KubeObject) => o['spec'] as Json;
const containerPorts = (container: Json) => (container['ports'] as Json[] | undefined) ?? [];

/** Whether a Service/probe port (a name or a number) is one the container declares. */
const declaresPort = (container: Json, port: unknown) =>
  containerPorts(container).some((p) => p['name'] === port || p['containerPort'] === port);

/** Secret and ConfigMap keys a workload reads, as `Kind/name` → the keys (an empty list: the whole object). */
function references(workload: KubeObject): Array<{ kind: 'Secret' | 'ConfigMap'; name: string; key?: string }> {
  const refs: Array<{ kind: 'Secret' | 'ConfigMap'; name: string; key?: string }> = [];
  for (const container of podContainers(workload)) {
    for (const env of (container['env'] as Json[] | undefined) ?? []) {
      const from = env['valueFrom'] as Json | undefined;
      const secret = from?.['secretKeyRef'] as Json | undefined;
      const config = from?.['configMapKeyRef'] as Json | undefined;
      if (secret) refs.push({ kind: 'Secret', name: String(secret['name']), key: String(secret['key']) });
      if (config) refs.push({ kind: 'ConfigMap', name: String(config['name']), key: String(config['key']) });
    }
    for (const envFrom of (container['envFrom'] as Json[] | undefined) ?? []) {
      const secret = envFrom['secretRef'] as Json | undefined;
      const config = envFrom['configMapRef'] as Json | undefined;
      if (secret) refs.push({ kind: 'Secret', name: String(secret['name']) });
      if (config) refs.push({ kind: 'ConfigMap', name: String(config['name']) });
    }
  }
  for (const volume of (podSpec(workload)?.['volumes'] as Json[] | undefined) ?? []) {
    const secret = volume['secret'] as Json | undefined;
    const config = volume['configMap'] as Json | undefined;
    if (secret) refs.push({ kind: 'Secret', name: String(secret['secretName']) });
    if (config) refs.push({ kind: 'ConfigMap', name: String(config['name']) });
  }
  return refs;
}

const dataOf = (o: KubeObject): Record<string, string> => ({
  ...((o['data'] as Record<string, string> | undefined) ?? {}),
  ...((o['stringData'] as Record<string, string> | undefined) ?? {}),
});

function hubOf(objects: KubeObject[]): { deployment: KubeObject; container: Json } {
  const deployment = find(objects, 'Deployment', 'harrier');
  const container = deployment && podContainers(deployment).find((c) => c['name'] === 'hub');
  if (!deployment || !container) throw new Error('no Deployment harrier with a container hub');
  return { deployment, container };
}

/** The hub container's environment as the kubelet would set it, Secrets and ConfigMaps resolved. */
function hubEnvironment(objects: KubeObject[]): Record<string, string> {
  const { deployment, container } = hubOf(objects);
  const env: Record<string, string> = {};
  for (const envFrom of (container['envFrom'] as Json[] | undefined) ?? []) {
    const ref = (envFrom['secretRef'] ?? envFrom['configMapRef']) as Json;
    const source = find(objects, envFrom['secretRef'] ? 'Secret' : 'ConfigMap', String(ref['name']));
    if (source) Object.assign(env, dataOf(source));
  }
  for (const entry of (container['env'] as Json[] | undefined) ?? []) {
    const name = String(entry['name']);
    const from = entry['valueFrom'] as Json | undefined;
    const keyRef = (from?.['secretKeyRef'] ?? from?.['configMapKeyRef']) as Json | undefined;
    if (keyRef) {
      const source = find(objects, from?.['secretKeyRef'] ? 'Secret' : 'ConfigMap', String(keyRef['name']));
      env[name] = source ? (dataOf(source)[String(keyRef['key'])] ?? '') : '';
    } else if (from?.['fieldRef']) {
      env[name] = `${deployment.metadata.name}-7d9f8b6c5-x2x4q`;
    } else {
      env[name] = (entry['value'] as string | undefined) ?? '';
    }
  }
  return env;
}

/** The config file the hub container reads, from the ConfigMap volume mounted at CONFIG_FILE's directory. */
function hubConfigFile(objects: KubeObject[]): Record<string, unknown> {
  const { deployment, container } = hubOf(objects);
  const file = hubEnvironment(objects)['CONFIG_FILE'];
  if (!file) throw new Error('the hub has no CONFIG_FILE');
  const mount = ((container['volumeMounts'] as Json[] | undefined) ?? []).find(
    (m) => path.posix.dirname(file) === m['mountPath'],
  );
  const volume = ((podSpec(deployment)?.['volumes'] as Json[] | undefined) ?? []).find(
    (v) => v['name'] === mount?.['name'],
  );
  const configMap = volume && find(objects, 'ConfigMap', String((volume['configMap'] as Json)['name']));
  const text = configMap && dataOf(configMap)[path.posix.basename(file)];
  if (text === undefined) throw new Error(`${file} is not in a mounted ConfigMap`);
  return parse(text) as Record<string, unknown>;
}

describe.each(OVERLAYS)('kubernetes overlay %s', (overlay) => {
  const objects = render(overlay);

  it('validates every object against the Kubernetes schemas', () => {
    expect(objects.length).toBeGreaterThan(5);
    for (const object of objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect(Model, `${object.source}: ${object.apiVersion} ${object.kind} has no schema here`).toBeDefined();
      const { source: _source, ...data } = object;
      expect(() => new Model!(data as never).validate(), `${object.source}: ${id(object)}`).not.toThrow();
    }
  });

  it('defines each object once, in a namespace the overlay creates', () => {
    const ids = objects.map(id);
    expect(new Set(ids).size).toBe(ids.length);
    const namespaces = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
    for (const object of objects.filter((o) => o.metadata.namespace !== undefined)) {
      expect(namespaces, id(object)).toContain(object.metadata.namespace);
    }
  });

  it('selects its own pods: workload, Service and PodDisruptionBudget selectors match pod template labels', () => {
    for (const workload of workloads(objects)) {
      const selector = (spec(workload)['selector'] as Json)['matchLabels'] as Record<string, string>;
      expect(matchesLabels(selector, podLabels(workload)), id(workload)).toBe(true);
    }
    for (const selecting of objects.filter((o) => o.kind === 'Service' || o.kind === 'PodDisruptionBudget')) {
      const raw = spec(selecting)['selector'] as Json;
      const selector = (selecting.kind === 'Service' ? raw : raw['matchLabels']) as Record<string, string>;
      expect(
        workloads(objects).some((w) => matchesLabels(selector, podLabels(w))),
        `${id(selecting)} selects no pods`,
      ).toBe(true);
    }
  });

  it('points Service targetPorts and probes at ports the containers declare', () => {
    for (const service of objects.filter((o) => o.kind === 'Service')) {
      const selector = spec(service)['selector'] as Record<string, string>;
      const containers = workloads(objects)
        .filter((w) => matchesLabels(selector, podLabels(w)))
        .flatMap(podContainers);
      for (const port of spec(service)['ports'] as Json[]) {
        const target = port['targetPort'] ?? port['port'];
        expect(
          containers.some((c) => declaresPort(c, target)),
          `${id(service)} → ${String(target)}`,
        ).toBe(true);
      }
    }
    for (const workload of workloads(objects)) {
      for (const container of podContainers(workload)) {
        for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
          const handler = container[probe] as Json | undefined;
          const port = ((handler?.['httpGet'] ?? handler?.['tcpSocket']) as Json | undefined)?.['port'];
          if (port !== undefined) expect(declaresPort(container, port), `${id(workload)} ${probe}`).toBe(true);
        }
      }
    }
  });

  it('defines every Secret, ConfigMap, key and ServiceAccount a workload uses', () => {
    for (const workload of workloads(objects)) {
      for (const ref of references(workload)) {
        const target = find(objects, ref.kind, ref.name, workload.metadata.namespace);
        expect(target, `${id(workload)} uses ${ref.kind} ${ref.name}`).toBeDefined();
        if (ref.key !== undefined) expect(Object.keys(dataOf(target!)), `${ref.kind} ${ref.name}`).toContain(ref.key);
      }
      const account = podSpec(workload)?.['serviceAccountName'] as string | undefined;
      if (account !== undefined) {
        expect(find(objects, 'ServiceAccount', account, workload.metadata.namespace), id(workload)).toBeDefined();
      }
    }
    for (const binding of objects.filter((o) => o.kind === 'ClusterRoleBinding')) {
      const roleRef = binding['roleRef'] as Json;
      expect(find(objects, String(roleRef['kind']), String(roleRef['name'])), id(binding)).toBeDefined();
      for (const subject of binding['subjects'] as Json[]) {
        expect(
          find(objects, String(subject['kind']), String(subject['name']), String(subject['namespace'])),
        ).toBeDefined();
      }
    }
  });

  it('runs the hub as two non-root replicas on a read-only root filesystem, probed on its endpoints', () => {
    const { deployment, container } = hubOf(objects);
    expect(spec(deployment)['replicas']).toBe(2);
    const pod = podSpec(deployment)!['securityContext'] as Json;
    const security = container['securityContext'] as Json;
    expect(pod['runAsNonRoot'] ?? security['runAsNonRoot']).toBe(true);
    expect(pod['runAsUser'] ?? security['runAsUser']).toBeGreaterThan(0);
    expect(security).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect((security['capabilities'] as Json)['drop']).toEqual(['ALL']);
    expect(container['readinessProbe']).toMatchObject({ httpGet: { path: '/healthz' } });
    expect(container['livenessProbe']).toMatchObject({ httpGet: { path: '/ping' } });
    const resources = container['resources'] as { requests?: Json; limits?: Json };
    expect(Object.keys(resources.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
    expect(resources.limits?.['memory']).toBeDefined();
    const instance = (container['env'] as Json[]).find((e) => e['name'] === 'HARRIER_INSTANCE');
    expect(instance).toMatchObject({ valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    const budget = objects.find((o) => o.kind === 'PodDisruptionBudget');
    expect(
      matchesLabels(
        (spec(budget!)['selector'] as Json)['matchLabels'] as Record<string, string>,
        podLabels(deployment),
      ),
    ).toBe(true);
  });

  it('runs the image the overlay names', () => {
    const { container } = hubOf(objects);
    expect(container['image']).not.toBe('harrier');
    for (const workload of workloads(objects)) {
      for (const c of podContainers(workload)) expect(String(c['image']), id(workload)).toMatch(/^[^:]+(:[\w.-]+)$/);
    }
  });

  it('gives the hub only environment variables it reads, and a config it starts with', () => {
    const env = hubEnvironment(objects);
    const known = hubEnvNames();
    for (const name of Object.keys(env)) expect(known, `hub env ${name}`).toContain(name);
    const config = loadConfig(env, hubConfigFile(objects));
    expect(config.warnings).toEqual([]);
    expect(config.store.kind).toBe('redis');
    expect(config.server.instance).toMatch(/^harrier-/);
    // The committed Secret holds placeholders only, so no output is on until someone fills it in.
    expect(config.outputs).toEqual([]);
  });

  it('turns each output on when its secret is filled in, with the settings in the config file', () => {
    const env = {
      ...hubEnvironment(objects),
      SLACK_WEBHOOKURL: 'https://hooks.slack.com/services/T0/B0/X',
      SMTP_HOSTPORT: 'smtp.example.com:587',
      SMTP_USER: 'falco',
      SMTP_PASSWORD: 'secret',
      WEBHOOK_ADDRESS: 'https://siem.example.com/falco',
    };
    const config = loadConfig(env, hubConfigFile(objects));
    expect(config.warnings).toEqual([]);
    expect(config.outputs.map((o) => o.name).sort()).toEqual(['slack', 'smtp', 'webhook']);
  });

  it('exposes the dashboard through a LoadBalancer limited to source ranges, and ingest inside the cluster', () => {
    const { deployment } = hubOf(objects);
    const services = objects.filter((o) => o.kind === 'Service');
    const selectsHub = (s: KubeObject) =>
      matchesLabels(spec(s)['selector'] as Record<string, string>, podLabels(deployment));
    const balancer = services.find((s) => spec(s)['type'] === 'LoadBalancer' && selectsHub(s));
    expect(balancer).toBeDefined();
    expect(spec(balancer!)['loadBalancerSourceRanges']).toEqual(
      expect.arrayContaining([expect.stringMatching(/\/\d+$/)]),
    );
    const ingest = find(objects, 'Service', 'harrier', 'harrier');
    expect(ingest && spec(ingest)['type']).toBe('ClusterIP');
    expect(ingest && selectsHub(ingest)).toBe(true);
    expect(spec(ingest!)['ports']).toEqual([expect.objectContaining({ port: 2801 })]);
  });
});

describe('kubernetes overlays differ where they should', () => {
  it('demo brings its own Redis with a volume claim and an append-only file, and the URL points at it', () => {
    const objects = render('demo');
    const redis = find(objects, 'StatefulSet', 'redis')!;
    expect(spec(redis)['volumeClaimTemplates']).toHaveLength(1);
    expect(podContainers(redis)[0]!['args']).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    const url = new URL(hubEnvironment(objects)['REDIS_URL']!);
    const [service, namespace] = url.hostname.split('.');
    const headless = find(objects, 'Service', service!, namespace);
    expect(headless && matchesLabels(spec(headless)['selector'] as Record<string, string>, podLabels(redis))).toBe(
      true,
    );
    expect((spec(headless!)['ports'] as Json[]).map((p) => p['port'])).toContain(Number(url.port));
  });

  it('production runs no Redis and no demo of its own', () => {
    const objects = render('production');
    expect(objects.filter((o) => o.kind === 'StatefulSet')).toEqual([]);
    expect(objects.filter((o) => o.kind === 'DaemonSet')).toEqual([]);
    expect(hubEnvironment(objects)['DEMO']).not.toBe('true');
  });

  it('the demo sensor posts to the hub Service and has exactly the host access the procfs source needs', () => {
    const objects = render('demo');
    const sensor = find(objects, 'DaemonSet', 'harrier-sensor')!;
    const container = podContainers(sensor)[0]!;
    const args = container['args'] as string[];
    expect(serviceBehind(objects, args[args.indexOf('--hub') + 1]!)).toBe('harrier');
    expect(podSpec(sensor)!['hostPID']).toBe(true);
    const security = container['securityContext'] as Json;
    expect(security).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
    });
    expect(security['capabilities']).toEqual({ drop: ['ALL'], add: ['SYS_PTRACE', 'DAC_READ_SEARCH'] });
    const hostPaths = ((podSpec(sensor)!['volumes'] as Json[]) ?? []).filter((v) => v['hostPath']);
    expect(hostPaths.map((v) => (v['hostPath'] as Json)['path']).sort()).toEqual(['/proc', '/sys/fs/cgroup']);
    for (const mount of container['volumeMounts'] as Json[])
      expect(mount['readOnly'], String(mount['name'])).toBe(true);
    const role = find(objects, 'ClusterRole', 'harrier-sensor')!;
    for (const rule of role['rules'] as Json[]) expect(rule['verbs']).toEqual(['get', 'list', 'watch']);
  });

  it('every manifest under deploy/kubernetes is part of an overlay, the Falco values or the audit setup', () => {
    const rendered = new Set(OVERLAYS.flatMap((o) => render(o)).map((o) => o.source));
    const standalone = /^deploy\/kubernetes\/(falco|audit)\//;
    for (const file of yamlFiles('deploy/kubernetes')) {
      if (file.endsWith('kustomization.yaml') || standalone.test(file)) continue;
      expect(rendered, file).toContain(file);
    }
  });
});

/** The name of the Service an in-cluster URL reaches, once it resolves to a Service port that selects the hub. */
function serviceBehind(objects: KubeObject[], url: string): string | undefined {
  const { hostname, port } = new URL(url);
  const match = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/.exec(hostname);
  if (!match) return undefined;
  const service = find(objects, 'Service', match[1]!, match[2]);
  const ports = ((service?.['spec'] as Json | undefined)?.['ports'] as Json[] | undefined) ?? [];
  const { deployment } = hubOf(objects);
  const selects = service && matchesLabels(spec(service)['selector'] as Record<string, string>, podLabels(deployment));
  return selects && ports.some((p) => p['port'] === Number(port || 80)) ? service.metadata.name : undefined;
}

describe('Falco and the audit webhook', () => {
  it('Falco sends JSON alerts with their output to the hub Service, with falcosidekick off', () => {
    const values = readYaml('deploy/kubernetes/falco/values.yaml') as Json;
    const falco = values['falco'] as Json;
    expect(falco).toMatchObject({
      json_output: true,
      json_include_output_property: true,
      http_output: { enabled: true },
    });
    const url = String((falco['http_output'] as Json)['url']);
    expect(url).toBe('http://harrier.harrier.svc.cluster.local:2801/');
    for (const overlay of OVERLAYS) expect(serviceBehind(render(overlay), url), overlay).toBe('harrier');
    expect(values['falcosidekick']).toEqual({ enabled: false });
  });

  it('the audit policy is a well-formed audit.k8s.io/v1 Policy that keeps Secret contents out', () => {
    const policy = readYaml('deploy/kubernetes/audit/audit-policy.yaml') as Json;
    expect(policy).toMatchObject({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy' });
    const rules = policy['rules'] as Json[];
    for (const rule of rules) expect(['None', 'Metadata', 'Request', 'RequestResponse']).toContain(rule['level']);
    const secrets = rules.find((r) =>
      ((r['resources'] as Json[] | undefined) ?? []).some((g) => (g['resources'] as string[]).includes('secrets')),
    );
    expect(secrets?.['level']).toBe('Metadata');
    expect(rules.indexOf(secrets!)).toBe(0);
    expect(Object.keys(rules.at(-1)!)).toEqual(['level']);
  });

  it('the webhook kubeconfig sends to POST /k8s-audit through its current context', () => {
    const [config] = readYamlDocuments('deploy/kubernetes/audit/audit-webhook-kubeconfig.yaml') as Json[];
    expect(config).toMatchObject({ apiVersion: 'v1', kind: 'Config' });
    const context = (config!['contexts'] as Json[]).find((c) => c['name'] === config!['current-context']);
    const clusterName = (context?.['context'] as Json | undefined)?.['cluster'];
    const cluster = (config!['clusters'] as Json[]).find((c) => c['name'] === clusterName);
    expect(new URL(String((cluster?.['cluster'] as Json | undefined)?.['server'])).pathname).toBe('/k8s-audit');
  });
});

function yamlFiles(dir: string): string[] {
  return readdirSync(repoPath(dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(relative);
    return /\.ya?ml$/.test(entry.name) ? [relative] : [];
  });
}
