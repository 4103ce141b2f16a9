/** The procfs sensor's kubelet lookup over TLS, as in a cluster: the kubelet's serving certificate, a CA, a token. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeletPods } from '@harrier/sensor';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../apps/server/src/outputs/channels/testing/certs.js';
import { KUBELET_POD_LIST } from '../../packages/sensor/src/procfs/testing/kubelet.js';

let pki: TestPki;
let server: Server;
let url: string;
let dir: string;
const authorizations: Array<string | undefined> = [];

beforeAll(async () => {
  pki = createTestPki();
  dir = mkdtempSync(path.join(tmpdir(), 'harrier-kubelet-tls-'));
  writeFileSync(path.join(dir, 'token'), 'sensor-token');
  server = createServer({ cert: pki.serverCert, key: pki.serverKey }, (req, res) => {
    authorizations.push(req.headers.authorization);
    res.writeHead(200, { 'content-type': 'application/json' }).end(KUBELET_POD_LIST);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/pods`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  pki.remove();
  rmSync(dir, { recursive: true, force: true });
});

function lookup(options: { caFile?: string; insecureSkipVerify?: boolean }) {
  const warnings: string[] = [];
  const pods = new KubeletPods({
    url,
    tokenFile: path.join(dir, 'token'),
    caFile: options.caFile ?? path.join(dir, 'no-ca.crt'),
    onWarning: (w) => warnings.push(w),
    ...(options.insecureSkipVerify === undefined ? {} : { insecureSkipVerify: options.insecureSkipVerify }),
  });
  return { pods, warnings };
}

it('reads the pod list over TLS, trusting the CA given, with the bearer token', async () => {
  const { pods, warnings } = lookup({ caFile: pki.caFile });
  expect(await pods.lookup('3ad7b26ded6d')).toMatchObject({
    'k8s.pod.name': 'web-7c9f8d6b5-x2kqp',
    'k8s.ns.name': 'shop',
  });
  expect(warnings).toEqual([]);
  expect(authorizations.at(-1)).toBe('Bearer sensor-token');
});

it('refuses a certificate it cannot verify, with one warning, unless told to accept any', async () => {
  const strict = lookup({});
  expect(await strict.pods.lookup('3ad7b26ded6d')).toBeUndefined();
  expect(strict.warnings).toEqual([expect.stringMatching(/certificate/i)]);
  const lax = lookup({ insecureSkipVerify: true });
  expect(await lax.pods.lookup('3ad7b26ded6d')).toMatchObject({ 'container.name': 'nginx' });
});
