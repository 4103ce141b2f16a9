// A webhook receiver in its own process for the latency benchmark, so the load generator does not slow it.
// Each alert carries output_fields["bench.sent"] (ms since the epoch); GET /stats answers [[index, latencyMs], …].
import http from 'node:http';

const seen = [];
const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(seen));
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const now = Date.now();
    const alert = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    seen.push([alert.output_fields['bench.index'], now - alert.output_fields['bench.sent']]);
    res.end('ok');
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
