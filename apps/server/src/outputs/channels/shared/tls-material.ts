/** TLS client options for an HTTP output, from `checkcert`, `mutualtls` and the certificate file keys. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import type { HttpClientConfig } from './config-fields.js';

export interface TlsClientOptions {
  rejectUnauthorized: boolean;
  ca?: string[];
  cert?: Buffer;
  key?: Buffer;
}

function readPem(what: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`cannot read the ${what} "${file}" (${code})`, { cause: error });
  }
}

/** The system roots plus a PEM CA file; throws naming the file when it cannot be read. */
export function withSystemRoots(caFile: string): string[] {
  // Node's `ca` replaces the trust store; falcosidekick adds its CA to the system pool, and so do we.
  return [...rootCertificates, readPem('CA certificate', caFile).toString('utf8')];
}

/**
 * Reads the certificate files once, when the channel is built, so a missing file fails the start.
 * With `mutualtls` the client certificate comes from `certfile`/`keyfile`, or falcosidekick's fallback
 * `<mutualtlsfilespath>/client.crt|client.key|ca.crt`; the server is then always verified (`checkcert` is
 * ignored, as in falcosidekick).
 */
export function loadTlsClientOptions(config: HttpClientConfig): TlsClientOptions {
  const dir = config.mutualtlsfilespath || '/etc/certs';
  if (config.mutualtls) {
    const caFile = config.cacertfile || path.join(dir, 'ca.crt');
    const hasCa = config.cacertfile !== '' || existsSync(caFile);
    return {
      rejectUnauthorized: true,
      cert: readPem('client certificate', config.certfile || path.join(dir, 'client.crt')),
      key: readPem('client key', config.keyfile || path.join(dir, 'client.key')),
      ...(hasCa ? { ca: withSystemRoots(caFile) } : {}),
    };
  }
  return {
    rejectUnauthorized: config.checkcert,
    ...(config.cacertfile ? { ca: withSystemRoots(config.cacertfile) } : {}),
  };
}
