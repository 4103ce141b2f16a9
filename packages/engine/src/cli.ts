#!/usr/bin/env node
import { runRulesCli } from './cli/main.js';

process.exitCode = await runRulesCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
