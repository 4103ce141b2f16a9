#!/usr/bin/env node
import { runSensorCli } from './cli/main.js';

// The first Ctrl-C (or SIGTERM, as container runtimes send) stops the sensor cleanly, with a summary; a second
// signal, with no listener left, ends the process at once. SIGHUP reloads the rules, as in Falco.
const interrupted = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => interrupted.abort());

process.exitCode = await runSensorCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: interrupted.signal,
  onHangup: (listener) => {
    process.on('SIGHUP', listener);
    return () => void process.off('SIGHUP', listener);
  },
});
