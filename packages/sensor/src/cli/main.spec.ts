import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { validateFalcoAlert } from '@harrier/alert';
import { describe, expect, it } from 'vitest';
import { startKubelet } from '../procfs/testing/kubelet.js';
import { containerShell, writeBaseTree, writeProcess } from '../procfs/testing/proc-tree.js';
import { runSensorCli, USAGE } from './main.js';

class Collector extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function run(argv: string[], signal = new AbortController().signal) {
  const stdout = new Collector();
  const stderr = new Collector();
  const status = await runSensorCli(argv, { stdout, stderr, signal });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('harrier-sensor', () => {
  it.each([[[]], [['--help']], [['-h']], [['help']], [['demo', '--help']]])('prints usage for %j', async (argv) => {
    expect(await run(argv)).toEqual({ status: 0, stdout: USAGE, stderr: '' });
  });

  it.each([
    [['frob'], "unknown command 'frob'"],
    [['demo', 'extra'], "unexpected argument 'extra'"],
    [['demo', '--rate', 'fast'], "--rate must be a positive number, got 'fast'"],
    [['demo', '--rate', '0'], "--rate must be a positive number, got '0'"],
    [['demo', '--count', '1.5'], "--count must be a positive whole number, got '1.5'"],
    [['demo', '--seed', 'x'], "--seed must be a whole number, got 'x'"],
    [['demo', '--hub', 'localhost'], "--hub must be an http(s) URL such as http://localhost:2801, got 'localhost'"],
    [['demo', '--hub', 'ftp://h/'], "--hub must be an http(s) URL such as http://localhost:2801, got 'ftp://h/'"],
    [['demo', '--stdout', '--hub', 'http://h'], 'use either --hub or --stdout, not both'],
    [['demo', '--verbose'], "Unknown option '--verbose'"],
    [['--source', 'frob'], "--source must be audit-webhook, audit-log, procfs or demo, got 'frob'"],
    [
      ['--source', 'audit-webhook', '--listen', 'localhost'],
      "--listen must be [HOST]:PORT such as :9765 or 127.0.0.1:9765, got 'localhost'",
    ],
    [
      ['--source', 'audit-webhook', '--listen', ':70000'],
      "--listen must be [HOST]:PORT such as :9765 or 127.0.0.1:9765, got ':70000'",
    ],
    [['--source', 'audit-webhook', '--tls-cert', 'c.pem'], '--tls-cert and --tls-key go together'],
    [['--source', 'audit-log', '--stdout'], '--source audit-log needs --audit-log-path'],
    [['--source', 'procfs', '--interval', '0'], "--interval must be a positive number of milliseconds, got '0'"],
    [['--source', 'procfs', '--rescan', 'x'], "--rescan must be a positive number of milliseconds, got 'x'"],
    [
      ['--source', 'procfs', '--kubelet-url', 'node-1:10250'],
      "--kubelet-url must be an http(s) URL such as https://10.0.0.5:10250/pods, got 'node-1:10250'",
    ],
    [['--source', 'demo', '--buffer=-1'], "--buffer must be a positive whole number, got '-1'"],
    [['demo', '--source', 'demo'], 'use either the demo command or --source, not both'],
  ])('rejects %j with usage on stderr and status 2', async (argv, problem) => {
    const result = await run(argv);
    expect(result).toMatchObject({ status: 2, stdout: '' });
    expect(result.stderr).toContain(`harrier-sensor: ${problem}`);
    expect(result.stderr).toContain(USAGE);
  });

  it('prints demo alerts as JSON lines, the same ones for the same seed', async () => {
    const argv = ['demo', '--stdout', '--count', '5', '--rate', '1000', '--seed', '9'];
    const first = await run(argv);
    expect(first.status).toBe(0);
    const alerts = lines(first.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(alerts).toHaveLength(5);
    for (const alert of alerts) expect(validateFalcoAlert(alert).ok).toBe(true);
    const second = await run(argv);
    const rules = (text: string) => lines(text).map((l) => (JSON.parse(l) as { rule: string }).rule);
    expect(rules(second.stdout)).toEqual(rules(first.stdout));
    expect(lines(first.stderr)).toEqual([
      'harrier-sensor: sending demo alerts to stdout at 1000/s, 5 in all (seed 9)',
      expect.stringMatching(/^harrier-sensor: 1 alert sent, latest: \w+ .+/),
      'harrier-sensor: done: 5 alerts sent',
    ]);
  });

  it('posts demo alerts to the hub', async () => {
    const received: unknown[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const hub = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const result = await run(['demo', '--hub', hub, '--count', '3', '--rate', '1000']);
      expect(result).toMatchObject({ status: 0, stdout: '' });
      expect(received).toHaveLength(3);
      expect(lines(result.stderr).at(-1)).toBe('harrier-sensor: done: 3 alerts sent');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('stops cleanly when interrupted', async () => {
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 50);
    const result = await run(['demo', '--stdout', '--rate', '200'], interrupt.signal);
    expect(result.status).toBe(0);
    expect(lines(result.stdout).length).toBeGreaterThan(0);
    expect(lines(result.stderr).at(-1)).toMatch(/^harrier-sensor: stopped: \d+ alerts? sent$/);
  });

  it('--source demo: evaluates demo events with the default rules and prints the alerts of several rules', async () => {
    const result = await run(['--source', 'demo', '--stdout', '--count', '300', '--rate', '100000', '--seed', '4']);
    expect(result.status).toBe(0);
    const alerts = lines(result.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const alert of alerts) expect(validateFalcoAlert(alert).ok).toBe(true);
    expect(new Set(alerts.map((a) => a['rule'])).size).toBeGreaterThanOrEqual(5);
    // Falco's append_output: every alert says which namespace it is about (null for cluster-wide objects), whatever
    // its rule's output names.
    const namespaces = alerts.map((alert) => {
      const fields = alert['output_fields'] as Record<string, unknown>;
      const key = alert['source'] === 'syscall' ? 'k8s.ns.name' : 'ka.target.namespace';
      expect(fields).toHaveProperty([key]);
      return fields[key];
    });
    expect(namespaces.filter((ns) => typeof ns === 'string').length).toBeGreaterThan(alerts.length / 2);
    const syscall = alerts.find((a) => a['source'] === 'syscall');
    expect(syscall?.['output']).toMatch(/ container_id=\w+ container_name=\S+ .* k8s_pod_name=\S+ k8s_ns_name=\S+$/);
    expect(lines(result.stderr).at(-1)).toBe(
      `harrier-sensor: done: 300 events read, ${alerts.length} alerts, ${alerts.length} sent, 0 dropped, 0 refused by the hub`,
    );
  });

  it('--source audit-log: alerts on a log file with the rules given, and summarises when interrupted', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'harrier-cli-'));
    try {
      const log = path.join(dir, 'audit.log');
      const rules = path.join(dir, 'rules.yaml');
      writeFileSync(
        rules,
        '- rule: Secret read\n  desc: d\n  condition: ka.target.resource = secrets\n  output: secret %ka.target.name\n' +
          '  priority: WARNING\n  source: k8s_audit\n',
      );
      const event = (resource: string) =>
        JSON.stringify({
          kind: 'Event',
          auditID: `id-${resource}`,
          stage: 'ResponseComplete',
          verb: 'get',
          objectRef: { resource, name: 'db', namespace: 'default' },
          stageTimestamp: '2024-05-01T10:00:00Z',
        });
      writeFileSync(log, `${event('secrets')}\n${event('pods')}\nnot json\n`);
      const interrupt = new AbortController();
      setTimeout(() => interrupt.abort(), 400);
      const argv = ['--source', 'audit-log', '--audit-log-path', log, '-r', rules, '--stdout'];
      const result = await run(argv, interrupt.signal);
      expect(result.status).toBe(0);
      expect(lines(result.stdout).map((l) => (JSON.parse(l) as { output: string }).output)).toEqual([
        expect.stringMatching(/Warning secret db$/),
      ]);
      expect(result.stderr).toContain(`harrier-sensor: ${log} at byte `);
      expect(lines(result.stderr).at(-1)).toBe(
        'harrier-sensor: stopped: 2 events read, 1 alerts, 1 sent, 0 dropped, 0 refused by the hub',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--source audit-webhook: serves the audit webhook and alerts on what kube-apiserver posts', async () => {
    const stdout = new Collector();
    const stderr = new Collector();
    const interrupt = new AbortController();
    const dir = mkdtempSync(path.join(tmpdir(), 'harrier-cli-'));
    const tokenFile = path.join(dir, 'tokens');
    writeFileSync(tokenFile, 'old-token-0123456789\naudit-token-0123456789\n');
    const authorization = 'Bearer audit-token-0123456789';
    const argv = [
      '--source',
      'audit-webhook',
      '--listen',
      '127.0.0.1:0',
      '--webhook-token-file',
      tokenFile,
      '--stdout',
    ];
    const done = runSensorCli(argv, { stdout, stderr, signal: interrupt.signal });
    try {
      await expect
        .poll(() => stderr.text, { timeout: 10_000 })
        .toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\/k8s-audit/);
      const url = /listening on (\S+)/.exec(stderr.text)![1]!;
      const pod = (name: string, hostPath: string) => ({
        kind: 'Event',
        auditID: `a-${name}`,
        stage: 'ResponseComplete',
        verb: 'create',
        objectRef: { resource: 'pods', namespace: 'payments', name },
        responseStatus: { code: 201 },
        requestObject: {
          kind: 'Pod',
          spec: { containers: [{ image: 'ubuntu' }], volumes: [{ hostPath: { path: hostPath } }] },
        },
        responseObject: { kind: 'Pod', metadata: { name } },
        stageTimestamp: '2024-05-01T10:00:00Z',
      });
      const body = JSON.stringify({
        kind: 'EventList',
        items: [pod('sock', '/var/run/docker.sock'), pod('fine', '/srv')],
      });
      expect((await fetch(url, { method: 'POST', body })).status).toBe(401);
      const res = await fetch(url, { method: 'POST', body, headers: { authorization } });
      expect(res.status).toBe(200);
      expect((await fetch(url, { method: 'POST', body: '{"hello":1}', headers: { authorization } })).status).toBe(400);
      await expect.poll(() => lines(stdout.text).length, { timeout: 10_000 }).toBe(1);
      expect(JSON.parse(lines(stdout.text)[0]!)).toMatchObject({ rule: 'Harrier: Pod Mounts Sensitive Host Path' });
    } finally {
      interrupt.abort();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(await done).toBe(0);
    expect(stderr.text).not.toContain('has no --webhook-token-file');
    expect(lines(stderr.text).slice(-2)).toEqual([
      'harrier-sensor: audit webhook: 3 requests, 2 refused, 1 audit values skipped',
      'harrier-sensor: stopped: 2 events read, 1 alerts, 1 sent, 0 dropped, 0 refused by the hub',
    ]);
  });

  it('--source audit-webhook: a port in use ends the start with the reason', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const result = await run(['--source', 'audit-webhook', '--listen', `127.0.0.1:${port}`, '--stdout']);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('cannot listen for audit events: listen EADDRINUSE');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("--source procfs: Falco's rule fires on a container shell, the alert naming pod and image from the kubelet", async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'harrier-cli-procfs-'));
    const kubelet = await startKubelet();
    const stdout = new Collector();
    const stderr = new Collector();
    const interrupt = new AbortController();
    writeBaseTree(root);
    const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
    const shared = process.env['HARRIER_SHARED'] ?? path.resolve(repoRoot, '../shared');
    const argv = ['--source', 'procfs', '--proc-root', path.join(root, 'proc'), '--etc-root', root];
    argv.push(
      '--interval',
      '20',
      '--rescan',
      '20',
      '--kubelet-url',
      kubelet.url,
      '--kubelet-token-file',
      path.join(root, 'none'),
    );
    argv.push('-r', path.join(shared, 'reference/falco/falco_rules.yaml'), '--stdout');
    const done = runSensorCli(argv, { stdout, stderr, signal: interrupt.signal });
    try {
      await expect.poll(() => stderr.text, { timeout: 10_000 }).toContain('reading procfs events');
      writeProcess(path.join(root, 'proc'), containerShell);
      await expect.poll(() => lines(stdout.text).length, { timeout: 10_000 }).toBeGreaterThan(0);
      const alert = JSON.parse(lines(stdout.text)[0]!) as { rule: string; output_fields: Record<string, unknown> };
      expect(alert.rule).toBe('Terminal shell in container');
      expect(alert.output_fields).toMatchObject({
        'container.name': 'nginx',
        'container.image.repository': 'docker.io/library/nginx',
        'k8s.pod.name': 'web-7c9f8d6b5-x2kqp',
        'k8s.ns.name': 'shop',
      });
    } finally {
      interrupt.abort();
      await done;
      await kubelet.close();
      rmSync(root, { recursive: true, force: true });
    }
  }, 30_000);

  it('reloads the rules when the file changes and on SIGHUP, keeping the previous ones when a reload fails', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'harrier-cli-'));
    const rule = (resource: string) =>
      `- rule: ${resource} read\n  desc: d\n  condition: ka.target.resource = ${resource}\n` +
      `  output: read %ka.target.resource\n  priority: WARNING\n  source: k8s_audit\n`;
    const event = (resource: string, i: number) =>
      `${JSON.stringify({
        kind: 'Event',
        auditID: `id-${resource}-${i}`,
        stage: 'ResponseComplete',
        verb: 'get',
        objectRef: { resource, name: 'x', namespace: 'default' },
        stageTimestamp: '2024-05-01T10:00:00Z',
      })}\n`;
    const stdout = new Collector();
    const stderr = new Collector();
    const interrupt = new AbortController();
    let hangup: (() => void) | undefined;
    const onHangup = (listener: () => void) => ((hangup = listener), () => (hangup = undefined));
    const outputs = () => lines(stdout.text).map((l) => (JSON.parse(l) as { output: string }).output.split(' ').at(-1));
    const patiently = { timeout: 10_000, interval: 50 };
    try {
      const log = path.join(dir, 'audit.log');
      const rules = path.join(dir, 'rules.yaml');
      writeFileSync(rules, rule('secrets'));
      writeFileSync(log, '');
      const argv = ['--source', 'audit-log', '--audit-log-path', log, '-r', rules, '--stdout'];
      const done = runSensorCli(argv, { stdout, stderr, signal: interrupt.signal, onHangup });
      await expect.poll(() => stderr.text, patiently).toContain('reading audit-log events');
      appendFileSync(log, event('secrets', 1) + event('configmaps', 1));
      await expect.poll(outputs, patiently).toEqual(['secrets']);

      writeFileSync(rules, rule('configmaps'));
      await expect.poll(() => stderr.text, patiently).toContain('rules reloaded (a rules file changed): 1 rules');
      appendFileSync(log, event('secrets', 2) + event('configmaps', 2));
      await expect.poll(outputs, patiently).toEqual(['secrets', 'configmaps']);

      writeFileSync(rules, `${rule('pods')}- rule: Broken\n  condition: ka.verb=(\n`);
      await expect.poll(() => stderr.text, patiently).toContain('failed; the previous 1 rules stay in force');
      expect(stderr.text).toContain(`${rules}:`);
      appendFileSync(log, event('pods', 3) + event('configmaps', 3));
      await expect.poll(outputs, patiently).toEqual(['secrets', 'configmaps', 'configmaps']);

      hangup?.();
      await expect.poll(() => stderr.text, patiently).toContain('rules reload (SIGHUP) failed');
      interrupt.abort();
      expect(await done).toBe(0);
      expect(hangup).toBeUndefined();
    } finally {
      interrupt.abort();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when interrupted while the hub is down, stops at once and counts the alerts it could not send as dropped', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const hub = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise((resolve) => server.close(resolve));
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 300);
    const started = Date.now();
    const result = await run(['--source', 'demo', '--rate', '2000', '--seed', '4', '--hub', hub], interrupt.signal);
    // Before, the sensor slept out its backoff and drain time (5 s and more) with the hub down.
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('ECONNREFUSED');
    const summary = lines(result.stderr).at(-1) ?? '';
    const [, alerts, dropped] =
      /stopped: \d+ events read, (\d+) alerts, 0 sent, (\d+) dropped, 0 refused/.exec(summary) ?? [];
    expect(Number(alerts)).toBeGreaterThan(0);
    expect(dropped).toBe(alerts);
  });

  it('refuses to start with rules that fail to load', async () => {
    const result = await run(['--source', 'demo', '--stdout', '-r', '/nonexistent/rules.yaml']);
    expect(result.status).toBe(1);
    expect(lines(result.stderr).at(-1)).toBe('harrier-sensor: rules failed to load; not starting');
  });
});
