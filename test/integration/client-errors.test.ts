/** Requests Node cannot parse get a JSON 4xx that closes the connection, so keep-alive clients do not reuse it. */
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../support/app.js';

let hub: RunningHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.close();
});

function raw(request: string): Promise<string> {
  const { hostname, port } = new URL(hub.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

it('answers oversized headers with 431 and Connection: close', async () => {
  const answer = await raw(`GET /api/v1/alerts?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: hub\r\n\r\n`);
  expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\nConnection: close\r\n/);
  expect(answer).toContain('"message":"The request line and headers exceed 16 KiB"');
});

it('answers a malformed request line with 400 and Connection: close', async () => {
  const answer = await raw('NOT HTTP AT ALL\r\n\r\n');
  expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\nConnection: close\r\n/);
});
