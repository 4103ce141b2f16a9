#!/usr/bin/env node
import { runSensorCli } from './cli/main.js';

// The first Ctrl-C stops the demo cleanly; a second one, with no listener left, ends the process at once.
const interrupted = new AbortController();
process.once('SIGINT', () => interrupted.abort());

process.exitCode = await runSensorCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: interrupted.signal,
});
