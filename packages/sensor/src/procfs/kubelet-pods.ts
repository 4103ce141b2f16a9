/**
 * Container metadata for the procfs sensor from the kubelet's pod list (`GET https://NODE:10250/pods`, what
 * `kubectl get --raw /api/v1/nodes/NODE/proxy/pods` shows): container name, image and privileged flag, pod name and
 * namespace, keyed by the short container id the cgroup path gives. The list is cached for `ttlMs` and fetched again
 * early when an unknown container appears (a new pod), at most every `missRefreshMs`. When the kubelet cannot be
 * asked, the last list read stays in use and new containers get no metadata; one warning says so for each outage.
 */
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { systemClock, type Clock } from '../clock.js';

/** Falco's container and Kubernetes fields for one container. */
export interface ContainerInfo {
  'container.name': string;
  'container.image': string;
  'container.image.repository': string;
  'container.image.tag': string;
  'container.privileged': boolean;
  'k8s.pod.name': string;
  'k8s.ns.name': string;
}

/** Resolves a container id (12 hex digits) to its metadata; undefined when unknown. */
export interface ContainerLookup {
  lookup(containerId: string): Promise<ContainerInfo | undefined>;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeletPodsOptions {
  /** The pod list, e.g. `https://10.0.0.5:10250/pods` (the node's address from the downward API). */
  url: string;
  /** Bearer token, read again for every request (projected tokens rotate). Default: the service account's. */
  tokenFile?: string;
  /** CA that signed the kubelet's serving certificate. Default: the service account's `ca.crt`. */
  caFile?: string;
  /** Accept any certificate: kubelets commonly serve a self-signed one. Default false. */
  insecureSkipVerify?: boolean;
  /** How long a pod list is used. Default 30 s. */
  ttlMs?: number;
  /** Shortest time between two fetches caused by unknown containers. Default 2 s. */
  missRefreshMs?: number;
  /** Time allowed for one request. Default 5 s. */
  timeoutMs?: number;
  /** Told once per outage that metadata is unavailable. */
  onWarning?: (message: string) => void;
  clock?: Clock;
}

/** Largest pod list read (a node runs at most a few hundred pods). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export class KubeletPods implements ContainerLookup {
  private containers = new Map<string, ContainerInfo>();
  private fetchedAt = -Infinity;
  private fetching: Promise<void> | undefined;
  private failing = false;
  private readonly clock: Clock;

  constructor(private readonly options: KubeletPodsOptions) {
    this.clock = options.clock ?? systemClock;
  }

  async lookup(containerId: string): Promise<ContainerInfo | undefined> {
    const age = this.clock.now() - this.fetchedAt;
    const stale = age >= (this.options.ttlMs ?? 30_000);
    const missed = !this.containers.has(containerId) && age >= (this.options.missRefreshMs ?? 2_000);
    if (stale || missed) await this.refresh();
    return this.containers.get(containerId);
  }

  /** One fetch at a time; callers arriving meanwhile share it. */
  private refresh(): Promise<void> {
    this.fetching ??= this.fetch().finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  private async fetch(): Promise<void> {
    try {
      const podList = JSON.parse(await this.get()) as unknown;
      this.containers = containersOf(podList);
      if (this.failing) this.options.onWarning?.(`kubelet pod list at ${this.options.url} readable again`);
      this.failing = false;
    } catch (error) {
      if (!this.failing) {
        const reason = error instanceof Error ? error.message : String(error);
        this.options.onWarning?.(
          `cannot read the kubelet pod list at ${this.options.url} (${reason}): new containers get no image, ` +
            'container name or k8s.* fields until it can',
        );
      }
      this.failing = true;
    } finally {
      this.fetchedAt = this.clock.now();
    }
  }

  private async get(): Promise<string> {
    const url = new URL(this.options.url);
    const token = await readFile(this.options.tokenFile ?? `${SERVICE_ACCOUNT_DIR}/token`, 'utf8').then(
      (text) => text.trim(),
      () => undefined,
    );
    const https = url.protocol === 'https:';
    const ca = https
      ? await readFile(this.options.caFile ?? `${SERVICE_ACCOUNT_DIR}/ca.crt`).catch(() => undefined)
      : undefined;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers['authorization'] = `Bearer ${token}`;
    const timeoutMs = this.options.timeoutMs ?? 5_000;
    return new Promise((resolve, reject) => {
      const options = {
        method: 'GET',
        headers,
        timeout: timeoutMs,
        ...(https ? { rejectUnauthorized: this.options.insecureSkipVerify !== true, ...(ca ? { ca } : {}) } : {}),
      };
      const req = (https ? httpsRequest : httpRequest)(url, options, (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > MAX_BODY_BYTES) req.destroy(new Error(`pod list larger than ${MAX_BODY_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode === 200) resolve(text);
          else
            reject(
              new Error(`answered ${res.statusCode} ${res.statusMessage ?? ''}`.trim() + `: ${text.slice(0, 200)}`),
            );
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end();
    });
  }
}

type Json = Record<string, unknown>;
const object = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const array = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const string = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Each running container of a `PodList`, by the first 12 hex digits of its id (`containerd://…`, `cri-o://…`). */
export function containersOf(podList: unknown): Map<string, ContainerInfo> {
  const containers = new Map<string, ContainerInfo>();
  const items = object(podList)['items'];
  if (!Array.isArray(items)) throw new Error('not a PodList (no items)');
  for (const pod of items.map(object)) {
    const metadata = object(pod['metadata']);
    const spec = object(pod['spec']);
    const status = object(pod['status']);
    const specs = [
      ...array(spec['containers']),
      ...array(spec['initContainers']),
      ...array(spec['ephemeralContainers']),
    ].map(object);
    const statuses = [
      ...array(status['containerStatuses']),
      ...array(status['initContainerStatuses']),
      ...array(status['ephemeralContainerStatuses']),
    ].map(object);
    for (const containerStatus of statuses) {
      const id = /^[\w-]+:\/\/([0-9a-f]{12})[0-9a-f]*$/.exec(string(containerStatus['containerID']))?.[1];
      if (id === undefined) continue;
      const name = string(containerStatus['name']);
      const containerSpec = specs.find((c) => c['name'] === name) ?? {};
      const image = string(containerStatus['image']) || string(containerSpec['image']);
      containers.set(id, {
        'container.name': name,
        'container.image': image,
        ...splitImage(image),
        'container.privileged': object(containerSpec['securityContext'])['privileged'] === true,
        'k8s.pod.name': string(metadata['name']),
        'k8s.ns.name': string(metadata['namespace']),
      });
    }
  }
  return containers;
}

/** `registry:5000/team/app:v1@sha256:…` → repository `registry:5000/team/app`, tag `v1`. */
export function splitImage(image: string): Pick<ContainerInfo, 'container.image.repository' | 'container.image.tag'> {
  const name = image.split('@')[0] ?? '';
  const colon = name.lastIndexOf(':');
  const tagged = colon > name.lastIndexOf('/');
  return {
    'container.image.repository': tagged ? name.slice(0, colon) : name,
    'container.image.tag': tagged ? name.slice(colon + 1) : '',
  };
}
