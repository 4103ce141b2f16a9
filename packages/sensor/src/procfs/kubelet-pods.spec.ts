import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { containersOf, KubeletPods, splitImage, type KubeletPodsOptions } from './kubelet-pods.js';
import { KUBELET_POD_LIST, startKubelet, type Kubelet } from './testing/kubelet.js';

const NGINX = '3ad7b26ded6d';
const METRICS = 'c0ffee00c0ff';

let dir: string;
let kubelet: Kubelet;
let now: number;
const clock: Clock = { now: () => now, sleep: () => Promise.resolve() };
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'harrier-kubelet-'));
  writeFileSync(path.join(dir, 'token'), 'eyJhbGciOiJSUzI1NiJ9.sensor-token\n');
  kubelet = await startKubelet();
  now = 1_000_000;
});
afterEach(async () => {
  await kubelet.close();
  rmSync(dir, { recursive: true, force: true });
});

function pods(options: Partial<KubeletPodsOptions> = {}) {
  const warnings: string[] = [];
  const lookup = new KubeletPods({
    url: kubelet.url,
    tokenFile: path.join(dir, 'token'),
    clock,
    onWarning: (w) => warnings.push(w),
    ...options,
  });
  return { lookup, warnings };
}

describe('KubeletPods', () => {
  it("resolves a container id to its name, image, privilege, pod and namespace, with the service account's token", async () => {
    const { lookup } = pods();
    expect(await lookup.lookup(NGINX)).toEqual({
      'container.name': 'nginx',
      'container.image': 'docker.io/library/nginx:1.25.4',
      'container.image.repository': 'docker.io/library/nginx',
      'container.image.tag': '1.25.4',
      'container.privileged': false,
      'k8s.pod.name': 'web-7c9f8d6b5-x2kqp',
      'k8s.ns.name': 'shop',
    });
    expect(await lookup.lookup(METRICS)).toMatchObject({
      'container.name': 'metrics',
      'container.image.repository': 'registry.internal:5000/ops/exporter',
      'container.image.tag': '',
      'container.privileged': true,
    });
    expect(kubelet.requests).toEqual(['Bearer eyJhbGciOiJSUzI1NiJ9.sensor-token']);
  });

  it('knows init containers and CRI-O ids, not containers still being created', () => {
    const containers = containersOf(JSON.parse(KUBELET_POD_LIST));
    expect([...containers.entries()].map(([id, c]) => [id, c['k8s.pod.name'], c['container.name']])).toEqual([
      [METRICS, 'web-7c9f8d6b5-x2kqp', 'metrics'],
      [NGINX, 'web-7c9f8d6b5-x2kqp', 'nginx'],
      ['8f1e2d3c4b5a', 'web-7c9f8d6b5-x2kqp', 'migrate'],
      ['d00dfeedd00d', 'coredns-5d78c9869d-7hk2m', 'coredns'],
    ]);
  });

  it('uses the list for its TTL, and fetches early for an unknown container, at most every missRefreshMs', async () => {
    const { lookup } = pods({ ttlMs: 30_000, missRefreshMs: 2_000 });
    await lookup.lookup(NGINX);
    await lookup.lookup(METRICS);
    expect(kubelet.requests).toHaveLength(1);
    expect(await lookup.lookup('0123456789ab')).toBeUndefined();
    expect(kubelet.requests).toHaveLength(1);
    now += 2_000;
    await lookup.lookup('0123456789ab');
    expect(kubelet.requests).toHaveLength(2);
    now += 29_999;
    await lookup.lookup(NGINX);
    expect(kubelet.requests).toHaveLength(2);
    now += 1;
    await lookup.lookup(NGINX);
    expect(kubelet.requests).toHaveLength(3);
  });

  it('shares one fetch between lookups that arrive together', async () => {
    const { lookup } = pods();
    await Promise.all([lookup.lookup(NGINX), lookup.lookup(METRICS), lookup.lookup('d00dfeedd00d')]);
    expect(kubelet.requests).toHaveLength(1);
  });

  it('degrades to no metadata with one warning while the kubelet refuses, and says when it is back', async () => {
    kubelet.reply = (res) =>
      res
        .writeHead(403)
        .end('Forbidden (user=system:serviceaccount:harrier:sensor, verb=get, resource=nodes, subresource=proxy)');
    const { lookup, warnings } = pods({ missRefreshMs: 0 });
    expect(await lookup.lookup(NGINX)).toBeUndefined();
    now += 5_000;
    expect(await lookup.lookup(NGINX)).toBeUndefined();
    expect(kubelet.requests).toHaveLength(2);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^cannot read the kubelet pod list at http:\/\/127\.0\.0\.1:\d+\/pods \(answered 403 Forbidden: Forbidden \(user=system:serviceaccount/,
      ),
    ]);
    expect(warnings[0]).toContain('new containers get no image, container name or k8s.* fields until it can');
    kubelet.reply = (res) => res.writeHead(200).end(KUBELET_POD_LIST);
    now += 5_000;
    expect(await lookup.lookup(NGINX)).toMatchObject({ 'k8s.pod.name': 'web-7c9f8d6b5-x2kqp' });
    expect(warnings[1]).toMatch(/readable again$/);
  });

  it('keeps the last list read when the kubelet goes away', async () => {
    const { lookup, warnings } = pods({ ttlMs: 1_000 });
    await lookup.lookup(NGINX);
    await kubelet.close();
    now += 1_000;
    expect(await lookup.lookup(NGINX)).toMatchObject({ 'container.name': 'nginx' });
    expect(warnings).toEqual([expect.stringContaining('ECONNREFUSED')]);
  });

  it('warns about a body that is not a pod list', async () => {
    kubelet.reply = (res) => res.writeHead(200).end('{"kind":"Status"}');
    const { lookup, warnings } = pods();
    expect(await lookup.lookup(NGINX)).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining('not a PodList (no items)')]);
  });
});

describe('splitImage', () => {
  it.each([
    ['nginx', 'nginx', ''],
    ['nginx:1.25', 'nginx', '1.25'],
    ['docker.io/library/nginx:1.25.4', 'docker.io/library/nginx', '1.25.4'],
    ['registry:5000/team/app', 'registry:5000/team/app', ''],
    ['registry:5000/team/app:v1@sha256:abc', 'registry:5000/team/app', 'v1'],
    ['app@sha256:abc', 'app', ''],
  ])('%s → %s, %j', (image, repository, tag) => {
    expect(splitImage(image)).toEqual({ 'container.image.repository': repository, 'container.image.tag': tag });
  });
});
