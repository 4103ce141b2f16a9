// A webhook receiver for the compose demo: logs one line per alert Harrier delivers and answers 204.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 8080);

/** One log line for a delivered body: the alert's priority, rule and output when it is a Falco alert. */
export function describeDelivery(method, url, headers, body) {
  const signed = headers['x-harrier-signature'] ? ' signed' : '';
  try {
    const alert = JSON.parse(body);
    return `${method} ${url}${signed}: ${alert.priority} ${alert.rule}: ${alert.output}`;
  } catch {
    return `${method} ${url}${signed}: ${body.length} bytes, not JSON`;
  }
}

export function createReceiver(log = console.log) {
  return createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/healthz') {
      response.writeHead(200).end('ok\n');
      return;
    }
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      log(describeDelivery(request.method, request.url, request.headers, Buffer.concat(chunks).toString('utf8')));
      response.writeHead(204).end();
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = createReceiver().listen(port, () => console.log(`webhook receiver listening on :${port}`));
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
