// The load generator for the ingest benchmark, in its own process: autocannon POSTs demo alerts (one per request,
// or arrays of BATCH) to URL for SECONDS with CONNECTIONS, and prints autocannon's result as JSON on stdout.
// Args: URL SECONDS CONNECTIONS BATCH
import autocannon from 'autocannon';
import { createDemoAlert, seededRandom } from '../../../packages/sensor/dist/index.js';

const [url, seconds, connections, batch] = process.argv.slice(2);
const random = seededRandom(11);
const size = Number(batch);
const bodies = Array.from({ length: 1_000 }, () => {
  const alerts = Array.from({ length: size }, () => createDemoAlert(random, Date.now()));
  return JSON.stringify(size === 1 ? alerts[0] : alerts);
});
let next = 0;
const result = await autocannon({
  url,
  method: 'POST',
  duration: Number(seconds),
  connections: Number(connections),
  headers: { 'content-type': 'application/json' },
  requests: [{ setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }) }],
});
process.stdout.write(JSON.stringify(result));
