/** `harrier-sensor`: argument parsing, usage and dispatch; each command lives in its own file. */
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { runDemo, type DemoCommandOptions } from './demo.js';

/** stdout carries results (JSON lines, help); stderr carries progress and errors for a person. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  /** Aborts a running command, e.g. on Ctrl-C. */
  signal: AbortSignal;
}

export const DEFAULT_HUB = 'http://localhost:2801';

export const USAGE = `Usage: harrier-sensor <command> [options]

Commands:
  demo             Generate realistic Falco alerts (shell in container, privileged and sensitive-mount
                   pods, credentials in configmaps, API server contact, dropped binaries) and post them
                   to a Harrier hub.

Options for demo:
  --hub URL        Hub to post alerts to (default ${DEFAULT_HUB}).
  --rate N         Alerts per second; fractions allowed, e.g. 0.2 (default 1).
  --count N        Stop after N alerts (default: run until Ctrl-C).
  --seed N         Seed for the generator; the same seed gives the same alerts (default: random).
  --stdout         Print alerts as JSON lines on stdout instead of posting them.
  -h, --help       Show this help.

Progress and errors go to stderr.
Exit status: 0 when done, 1 when the hub could not take an alert, 2 on a usage error.
`;

const OPTIONS = {
  hub: { type: 'string' },
  rate: { type: 'string' },
  count: { type: 'string' },
  seed: { type: 'string' },
  stdout: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Parsed = ReturnType<typeof parse>;

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS });
}

/** Runs the CLI and resolves to its exit status. */
export async function runSensorCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    return usageError(io, error instanceof Error ? error.message : String(error));
  }
  const [command, ...extra] = parsed.positionals;
  if (parsed.values.help || command === undefined || command === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (command !== 'demo') return usageError(io, `unknown command '${command}'`);
  if (extra.length > 0) return usageError(io, `unexpected argument '${extra.join(' ')}'`);
  const options = demoOptions(parsed.values);
  return typeof options === 'string' ? usageError(io, options) : runDemo(options, io);
}

/** The demo command's options, or what is wrong with them. */
function demoOptions(values: Parsed['values']): DemoCommandOptions | string {
  if (values.stdout && values.hub !== undefined) return 'use either --hub or --stdout, not both';
  const rate = number(values.rate, 1);
  if (!(rate > 0 && Number.isFinite(rate))) return `--rate must be a positive number, got '${values.rate}'`;
  const count = number(values.count, undefined);
  if (count !== undefined && !(Number.isInteger(count) && count > 0)) {
    return `--count must be a positive whole number, got '${values.count}'`;
  }
  const seed = number(values.seed, Math.floor(Math.random() * 2 ** 32));
  if (!Number.isSafeInteger(seed)) return `--seed must be a whole number, got '${values.seed}'`;
  if (values.stdout) return { rate, seed, count, hub: undefined };
  const hub = values.hub ?? DEFAULT_HUB;
  if (!(URL.canParse(hub) && /^https?:$/.test(new URL(hub).protocol))) {
    return `--hub must be an http(s) URL such as ${DEFAULT_HUB}, got '${hub}'`;
  }
  return { rate, seed, count, hub };
}

/** An option's number, `fallback` when absent; NaN when it is not a number at all. */
function number<F extends number | undefined>(value: string | undefined, fallback: F): number | F {
  if (value === undefined) return fallback;
  return value.trim() === '' ? NaN : Number(value);
}

function usageError(io: CliIo, problem: string): number {
  io.stderr.write(`harrier-sensor: ${problem}\n\n${USAGE}`);
  return 2;
}
