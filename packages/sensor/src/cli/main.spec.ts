import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { validateFalcoAlert } from '@harrier/alert';
import { describe, expect, it } from 'vitest';
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
});
