/** The compose demo's webhook receiver logs what Harrier delivers and answers its health check. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script that the compose file runs with node; no types.
import { createReceiver } from '../../deploy/compose/webhook-receiver.mjs';

describe('deploy/compose/webhook-receiver.mjs', () => {
  const lines: string[] = [];
  const server = (createReceiver as (log: (line: string) => void) => Server)((line) => lines.push(line));
  let url = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers 204 and logs the priority, rule and output of each alert', async () => {
    const alert = { priority: 'Warning', rule: 'Terminal shell in container', output: 'A shell was spawned' };
    const response = await fetch(`${url}/falco`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-harrier-signature': 'sha256=00' },
      body: JSON.stringify(alert),
    });
    expect(response.status).toBe(204);
    expect(lines).toContain('POST /falco signed: Warning Terminal shell in container: A shell was spawned');
  });

  it('answers its health check', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});
