/**
 * Renders a kustomization the way `kubectl apply -k` would, for the only features our manifests use:
 * `resources` (files and directories), `namespace` and `images`. Any other field fails the render, so a
 * patch or generator added later cannot go unchecked.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { isObject, readYaml, readYamlDocuments, repoPath, type Json } from './repo.js';

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

export interface KubeObject extends Json {
  apiVersion: string;
  kind: string;
  metadata: Json & { name: string; namespace?: string };
  /** The repository file it came from. */
  source: string;
}

interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
}

export function renderKustomization(dir: string): KubeObject[] {
  const file = path.posix.join(dir, 'kustomization.yaml');
  const kustomization = readYaml(file);
  if (!isObject(kustomization)) throw new Error(`${file}: not a map`);
  const unsupported = Object.keys(kustomization).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0) throw new Error(`${file}: the test renderer does not support ${unsupported.join(', ')}`);

  const objects = ((kustomization['resources'] as string[] | undefined) ?? []).flatMap((resource) => {
    const target = path.posix.normalize(path.posix.join(dir, resource));
    return statSync(repoPath(target)).isDirectory() ? renderKustomization(target) : readManifests(target);
  });
  const namespace = kustomization['namespace'] as string | undefined;
  const images = (kustomization['images'] as ImageOverride[] | undefined) ?? [];
  for (const object of objects) {
    if (namespace !== undefined && !CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = namespace;
    for (const container of podContainers(object))
      container['image'] = overrideImage(String(container['image']), images);
  }
  return objects;
}

export function readManifests(file: string): KubeObject[] {
  return readYamlDocuments(file)
    .filter((doc) => doc !== null)
    .map((doc) => {
      if (!isObject(doc) || typeof doc['kind'] !== 'string' || !isObject(doc['metadata'])) {
        throw new Error(`${file}: a document without kind or metadata`);
      }
      return { ...doc, source: file } as KubeObject;
    });
}

function overrideImage(image: string, overrides: ImageOverride[]): string {
  const [name, tag] = splitImage(image);
  const override = overrides.find((o) => o.name === name);
  if (!override) return image;
  const newTag = override.newTag ?? tag;
  return `${override.newName ?? name}${newTag === undefined ? '' : `:${newTag}`}`;
}

/** `registry:5000/name:tag` → [`registry:5000/name`, `tag`]. */
export function splitImage(image: string): [string, string | undefined] {
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/') ? [image.slice(0, at), image.slice(at + 1)] : [image, undefined];
}

export function podSpec(object: KubeObject): Json | undefined {
  const spec = object['spec'];
  if (!isObject(spec)) return undefined;
  const template = spec['template'];
  return isObject(template) && isObject(template['spec']) ? template['spec'] : undefined;
}

export function podLabels(object: KubeObject): Record<string, string> {
  const template = (object['spec'] as Json | undefined)?.['template'] as Json | undefined;
  return ((template?.['metadata'] as Json | undefined)?.['labels'] as Record<string, string> | undefined) ?? {};
}

export function podContainers(object: KubeObject): Json[] {
  const spec = podSpec(object);
  if (!spec) return [];
  return [
    ...((spec['initContainers'] as Json[] | undefined) ?? []),
    ...((spec['containers'] as Json[] | undefined) ?? []),
  ];
}

export function matchesLabels(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}
