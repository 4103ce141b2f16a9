/**
 * A kubelet for tests: `GET /pods` on 127.0.0.1, answering with a pod list shaped as a kubelet on a containerd node
 * answers (hand-written after one: a Deployment's pod with an init container, a CRI-O pod, a pod still creating).
 */
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const KUBELET_POD_LIST = readFileSync(new URL('./kubelet-pods.json', import.meta.url), 'utf8');

export interface Kubelet {
  url: string;
  /** The Authorization header of each request. */
  requests: Array<string | undefined>;
  reply: (res: ServerResponse) => void;
  close(): Promise<void>;
}

/** A kubelet on 127.0.0.1 serving `GET /pods`. */
export async function startKubelet(): Promise<Kubelet> {
  const kubelet: Kubelet = {
    url: '',
    requests: [],
    reply: (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(KUBELET_POD_LIST),
    close: () => Promise.resolve(),
  };
  const server = createServer((req, res) => {
    if (req.url !== '/pods') return void res.writeHead(404).end();
    kubelet.requests.push(req.headers.authorization);
    kubelet.reply(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  kubelet.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pods`;
  kubelet.close = () => new Promise((resolve) => server.close(() => resolve()));
  return kubelet;
}
