/**
 * falcosidekick's `tlsserver`: the hub serves HTTPS on PORT (with `mutualtls`, only to clients whose certificate
 * the CA signed), and the paths in `notlspaths` (probes, scrapers) also over plain HTTP on `notlsport`, where
 * every other path is 404.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { SecureServerOptions } from 'node:http2';
import type { FastifyInstance } from 'fastify';
import { ConfigError, type HarrierConfig } from '../config/config.schema.js';

type TlsConfig = NonNullable<HarrierConfig['server']['tls']>;

function read(file: string, variable: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ConfigError(`Invalid configuration: ${variable}: cannot read ${file}: ${(error as Error).message}`);
  }
}

/** Options for Fastify's `https`; files are read once, at start (a rotated certificate needs a restart). */
export function httpsOptions(tls: TlsConfig): SecureServerOptions {
  return {
    cert: read(tls.certFile, 'TLSSERVER_CERTFILE'),
    key: read(tls.keyFile, 'TLSSERVER_KEYFILE'),
    minVersion: 'TLSv1.2',
    ...(tls.caFile
      ? { ca: read(tls.caFile, 'TLSSERVER_CACERTFILE'), requestCert: true, rejectUnauthorized: true }
      : {}),
  };
}

/** Starts the plain listener with the main one and closes it with the app. */
export function installPlainPaths(fastify: FastifyInstance, tls: TlsConfig, host: string): void {
  if (tls.noTlsPaths.length === 0) return;
  const allowed = new Set(tls.noTlsPaths);
  let plain: Server | undefined;
  fastify.addHook('onListen', async () => {
    plain = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0]!;
      if (allowed.has(path)) {
        fastify.routing(request, response);
        return;
      }
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ statusCode: 404, message: `Only ${[...allowed].join(', ')} are served without TLS` }),
      );
    });
    await new Promise<void>((resolve, reject) => {
      plain!.once('error', reject);
      plain!.listen(tls.noTlsPort, host, resolve);
    });
  });
  fastify.addHook('onClose', async () => {
    if (!plain) return;
    plain.closeAllConnections();
    await new Promise((resolve) => plain!.close(resolve));
  });
}
