// The floor-cost references for the ingest benchmark, minimal Fastify + ioredis servers:
// - the baseline (args: REDIS_URL) parses each JSON body and writes each alert to Redis (one SET), nothing else;
// - the minimal forwarder (args: REDIS_URL RECEIVER_URL) also POSTs each alert's JSON to the receiver, sent once
//   the alert is stored and after the answer, as falcosidekick forwards: the floor cost of an alert with one
//   output. No queue, retries, indexes, counters or stream; sends are bounded only by undici's connections (16, the
//   hub's default concurrency), and what waits is held in memory.
// Prints "listening PORT".
import { createRequire } from 'node:module';

// fastify, ioredis and undici are the hub's dependencies; resolve them from there.
const require = createRequire(new URL('../../../apps/server/package.json', import.meta.url));
const Fastify = require('fastify');
const { Redis } = require('ioredis');
const { Agent } = require('undici');

const [redisUrl, receiverUrl] = process.argv.slice(2);
const redis = new Redis(redisUrl);
const receiver = receiverUrl ? new URL(receiverUrl) : undefined;
const agent = new Agent({ connections: 16 });
const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
let n = 0;

function forward(alert) {
  agent
    .request({
      origin: receiver.origin,
      path: receiver.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alert),
    })
    .then((response) => response.body.dump())
    .catch((error) => process.stderr.write(`forwarder: ${error.message}\n`));
}

app.post('/', async (request) => {
  const alerts = Array.isArray(request.body) ? request.body : [request.body];
  await Promise.all(
    alerts.map((alert) => redis.set(`${receiver ? 'forwarder' : 'baseline'}:${n++}`, JSON.stringify(alert))),
  );
  if (receiver) setImmediate(() => alerts.forEach(forward));
  return 'ok';
});
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`listening ${app.server.address().port}\n`);
process.on(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => agent.close())
      .then(() => redis.quit())
      .then(() => process.exit(0)),
);
