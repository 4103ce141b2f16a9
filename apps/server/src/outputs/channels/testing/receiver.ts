/** Test peers: a real HTTP(S) server on 127.0.0.1, recording what it receives and answering as told. */
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The client certificate's subject CN, over mutual TLS. */
  clientCn?: string;
  /** When the body had arrived (ms since the epoch). */
  receivedAt: number;
  /** The status the receiver answered with, once it has answered. */
  answeredStatus?: number;
}

export type Responder = (req: ReceivedRequest, res: ServerResponse) => void;

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** What the next requests get; the default answers 200 "ok". */
  respond(responder: Responder): void;
  /** Stops listening and drops open connections: clients get connection refused until `listenAgain`. */
  refuseConnections(): Promise<void>;
  /** Listens again on the same port. */
  listenAgain(): Promise<void>;
  close(): Promise<void>;
}

export const ok: Responder = (_req, res) => res.end('ok');
export const status =
  (code: number, headers: Record<string, string> = {}, body = ''): Responder =>
  (_req, res) => {
    res.writeHead(code, headers).end(body);
  };
/** Never answers (until the server closes). */
export const hang: Responder = () => undefined;

export async function startReceiver(tls?: ServerOptions): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  let responder: Responder = ok;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const socket = req.socket as TLSSocket;
      const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
      const cn = peer?.subject?.CN;
      const received: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        ...(typeof cn === 'string' ? { clientCn: cn } : {}),
        receivedAt: Date.now(),
      };
      requests.push(received);
      res.on('finish', () => {
        received.answeredStatus = res.statusCode;
      });
      responder(received, res);
    });
  };
  const server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stopListening = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    respond(next) {
      responder = next;
    },
    refuseConnections: stopListening,
    listenAgain: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: () => (server.listening ? stopListening() : Promise.resolve()),
  };
}
