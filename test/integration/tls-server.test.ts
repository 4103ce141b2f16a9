/** falcosidekick's tlsserver: HTTPS on PORT, optional mutual TLS, the notlspaths also plain on notlsport. */
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../apps/server/src/outputs/channels/testing/certs.js';
import { falcoAlert } from '../support/alerts.js';
import { startHub, type RunningHub } from '../support/app.js';
import { CSRF, TEST_USER } from '../support/auth.js';
import { freePort } from '../support/ports.js';

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => {
  pki.remove();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function https(
  url: string,
  {
    method = 'GET',
    body,
    headers = {},
    client = false,
  }: { method?: string; body?: string; headers?: Record<string, string>; client?: boolean } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method,
        headers,
        ca: pki.ca,
        ...(client ? { cert: readFileSync(pki.clientCertFile), key: readFileSync(pki.clientKeyFile) } : {}),
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function startTlsHub(env: Record<string, string>): Promise<{ hub: RunningHub; url: string; plainUrl: string }> {
  const plainPort = await freePort();
  const hub = await startHub({
    TLSSERVER_DEPLOY: 'true',
    TLSSERVER_CERTFILE: pki.serverCertFile,
    TLSSERVER_KEYFILE: pki.serverKeyFile,
    TLSSERVER_NOTLSPORT: String(plainPort),
    TLSSERVER_NOTLSPATHS: '/healthz,/metrics',
    ...env,
  });
  return { hub, url: hub.url.replace('http:', 'https:'), plainUrl: `http://127.0.0.1:${plainPort}` };
}

describe('TLS', () => {
  let hub: RunningHub;
  let url: string;
  let plainUrl: string;
  beforeAll(async () => {
    ({ hub, url, plainUrl } = await startTlsHub({ AUTH_USERS: TEST_USER.htpasswd }));
  });
  afterAll(async () => {
    await hub.close();
  });

  it('serves the API and ingest over HTTPS only', async () => {
    expect((await https(`${url}/healthz`)).status).toBe(200);
    const posted = await https(`${url}/`, { method: 'POST', body: JSON.stringify(falcoAlert({ rule: 'over tls' })) });
    expect(posted.status).toBe(200);
    await expect(fetch(`${hub.url}/healthz`)).rejects.toThrow();
  });

  it('serves only the notlspaths on the plain port', async () => {
    expect((await fetch(`${plainUrl}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${plainUrl}/metrics`)).text()).toContain('falcosidekick_inputs');
    for (const [method, path] of [
      ['GET', '/api/v1/alerts'],
      ['POST', '/'],
      ['GET', '/'],
    ] as const) {
      expect({ path, status: (await fetch(`${plainUrl}${path}`, { method })).status }).toEqual({ path, status: 404 });
    }
  });

  it('marks the session cookie Secure', async () => {
    const res = await https(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: CSRF,
      body: JSON.stringify({ username: TEST_USER.name, password: TEST_USER.password }),
    });
    expect(res.status).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
  });
});

describe('mutual TLS', () => {
  let hub: RunningHub;
  let url: string;
  beforeAll(async () => {
    ({ hub, url } = await startTlsHub({ TLSSERVER_MUTUALTLS: 'true', TLSSERVER_CACERTFILE: pki.caFile }));
  });
  afterAll(async () => {
    await hub.close();
  });

  it('refuses a client without a certificate signed by the CA and serves one with', async () => {
    await expect(https(`${url}/healthz`)).rejects.toThrow();
    expect((await https(`${url}/healthz`, { client: true })).status).toBe(200);
    const posted = await https(`${url}/`, {
      method: 'POST',
      client: true,
      body: JSON.stringify(falcoAlert({ rule: 'over mtls' })),
    });
    expect(posted.status).toBe(200);
  });
});

it('refuses to start when the certificate cannot be read, naming the setting', async () => {
  await expect(
    startHub({
      TLSSERVER_DEPLOY: 'true',
      TLSSERVER_CERTFILE: '/nonexistent/server.crt',
      TLSSERVER_KEYFILE: pki.serverKeyFile,
    }),
  ).rejects.toThrow(/TLSSERVER_CERTFILE: cannot read \/nonexistent\/server.crt/);
});
