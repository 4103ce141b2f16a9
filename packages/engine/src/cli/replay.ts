/** `harrier-rules replay`: audit events through the rules, one JSON alert per line on stdout. */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { parsePriority } from '@harrier/alert';
import { parseAuditInput } from '../audit-input.js';
import { RuleSet } from '../evaluate.js';
import { loadRules } from '../load.js';
import { parseOptions, REPLAY_USAGE, usageError, type CliIo } from './main.js';
import { plural, printDiagnostics } from './validate.js';

export async function replayCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseOptions(
    args,
    {
      rules: { type: 'string', short: 'r', multiple: true },
      events: { type: 'string', short: 'e' },
      'rule-matching': { type: 'string' },
      'min-priority': { type: 'string' },
      hostname: { type: 'string' },
    },
    io,
    REPLAY_USAGE,
  );
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  if (positionals.length > 0) return usageError(io, `unexpected argument '${positionals[0]}'`, REPLAY_USAGE);
  const files = values.rules ?? [];
  if (files.length === 0) return usageError(io, 'replay needs at least one rules file (-r FILE)', REPLAY_USAGE);
  if (values.events === undefined) return usageError(io, 'replay needs the audit events (-e EVENTS)', REPLAY_USAGE);
  const matching = values['rule-matching'] ?? 'first';
  if (matching !== 'first' && matching !== 'all') {
    return usageError(io, `--rule-matching must be first or all, not '${matching}'`, REPLAY_USAGE);
  }
  const minPriority = parsePriority(values['min-priority'] ?? 'debug');
  if (minPriority === undefined) {
    return usageError(io, `--min-priority: unknown priority '${values['min-priority'] ?? ''}'`, REPLAY_USAGE);
  }

  const loaded = await loadRules(files);
  printDiagnostics(loaded, (text) => io.err(text));
  if (loaded.errors.length > 0) {
    io.err(`harrier-rules: the rules did not load (${plural(loaded.errors.length, 'error')})\n`);
    return 1;
  }
  let text: string;
  try {
    text = await (io.readFile ?? readInput)(values.events);
  } catch (error) {
    io.err(`harrier-rules: cannot read ${values.events}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const input = parseAuditInput(text);
  for (const problem of input.problems) {
    const where = problem.line === undefined ? values.events : `${values.events}:${problem.line}`;
    io.err(`${where}: warning: ${problem.message}, skipped\n`);
  }
  const ruleSet = new RuleSet(loaded.rules, {
    ruleMatching: matching,
    minPriority,
    hostname: values.hostname ?? hostname(),
  });
  let alerts = 0;
  for (const event of input.events) {
    for (const alert of ruleSet.evaluate(event, 'k8s_audit')) {
      // JSON numbers lose nanoseconds; print evt.time exactly, as Falco does (the only unescaped "evt.time" key).
      const line = JSON.stringify(alert).replace(/"evt\.time":\d+/, `"evt.time":${event.timeNs}`);
      io.out(`${line}\n`);
      alerts++;
    }
  }
  io.err(
    `${plural(input.events.length, 'event')}, ${plural(alerts, 'alert')}` +
      `${input.problems.length > 0 ? `, ${plural(input.problems.length, 'input problem')} skipped` : ''}\n`,
  );
  return 0;
}

async function readInput(path: string): Promise<string> {
  if (path !== '-') return readFile(path, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
