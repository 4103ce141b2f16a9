// The floor-cost baseline for the ingest benchmark: a minimal Fastify + ioredis server that parses each JSON body
// and writes it to Redis (one SET per alert), nothing else. Prints "listening PORT". Args: REDIS_URL.
import { createRequire } from 'node:module';

// fastify and ioredis are the hub's dependencies; resolve them from there.
const require = createRequire(new URL('../../../apps/server/package.json', import.meta.url));
const Fastify = require('fastify');
const { Redis } = require('ioredis');

const redis = new Redis(process.argv[2]);
const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
let n = 0;
app.post('/', async (request) => {
  const alerts = Array.isArray(request.body) ? request.body : [request.body];
  await Promise.all(alerts.map((alert) => redis.set(`baseline:${n++}`, JSON.stringify(alert))));
  return 'ok';
});
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`listening ${app.server.address().port}\n`);
process.on(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => redis.quit())
      .then(() => process.exit(0)),
);
