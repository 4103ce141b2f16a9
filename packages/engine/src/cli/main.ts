/** `harrier-rules`: argument dispatch and usage texts; each command lives in its own file. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { fieldsCommand } from './fields.js';
import { pspConvertCommand } from './psp.js';
import { replayCommand } from './replay.js';
import { validateCommand } from './validate.js';

/** Where a command writes: stdout for its results, stderr for diagnostics and usage errors. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Reads a file (or standard input for `-`); tests give their own. */
  readFile?(path: string): Promise<string>;
}

export const USAGE = `Usage: harrier-rules <command> [options]

Commands:
  validate -r FILE [-r FILE...]
      Load Falco rules files in order and print every error and warning as
      file:line:column with the offending line.
  replay -r FILE [-r FILE...] -e EVENTS [--rule-matching first|all] [--min-priority LEVEL]
      Evaluate Kubernetes audit events against the rules; print one Falco JSON
      alert per line on stdout.
  fields [--source S]
      List the fields of each event source, with descriptions.
  psp convert PSP.yaml [--name-prefix P]
      Write rules that flag pods violating a PodSecurityPolicy (k8s audit).

Run 'harrier-rules <command> --help' for a command's options.
Exit status: 0 on success, 1 when rules do not load (or the input is invalid), 2 on a usage error.
`;

export const VALIDATE_USAGE = `Usage: harrier-rules validate -r FILE [-r FILE...]

Loads the rules files in the order given, as Falco does with -r, and prints every
error and warning (file:line:column, code, message, item, and the offending line)
on stdout, then a summary.

Options:
  -r, --rules FILE   A rules file; repeat for several, later files change earlier ones.
  -h, --help         Show this help.

Exit status: 0 when the rules load (warnings allowed), 1 with errors, 2 on a usage error.
`;

export const REPLAY_USAGE = `Usage: harrier-rules replay -r FILE [-r FILE...] -e EVENTS [--rule-matching first|all] [--min-priority LEVEL]

Evaluates Kubernetes audit events against the rules (source k8s_audit) and prints
one Falco JSON alert per line on stdout, and nothing else there. Rule diagnostics,
skipped input and a summary go to stderr.

EVENTS is a file of audit events (or - for standard input): JSON lines, a single
Event, an EventList, or an array of them. A line that is not a k8s audit event is
skipped with a warning on stderr.

Options:
  -r, --rules FILE             A rules file; repeat for several.
  -e, --events EVENTS          The audit events.
      --rule-matching MODE     first (default: only the first matching rule per
                               event, in load order) or all.
      --min-priority LEVEL     Skip rules less severe than LEVEL (emergency, alert,
                               critical, error, warning, notice, informational|info,
                               debug; default debug).
      --hostname NAME          The alerts' hostname (default: this host's name).
  -h, --help                   Show this help.

Exit status: 0 whenever the rules loaded, 1 when they did not or EVENTS cannot be
read, 2 on a usage error.
`;

export const FIELDS_USAGE = `Usage: harrier-rules fields [--source S]

Lists the fields usable in conditions and outputs, with their descriptions, for
every event source or only source S (k8s_audit, syscall). List fields are marked
(list); syscall fields no Harrier sensor produces are marked (not produced).

Options:
  -s, --source S   Only the fields of source S.
  -h, --help       Show this help.
`;

export const PSP_USAGE = `Usage: harrier-rules psp convert PSP.yaml [--name-prefix P]

Converts a PodSecurityPolicy (policy/v1beta1) into a rules file, written to stdout,
whose k8s_audit rules flag pods that violate it. The annotation
falco-rules-psp-images: "[img,...]" limits the rules to pods whose images all come
from those repositories; falco-rules-psp-namespaces: "[ns,...]" to those namespaces.

Options:
  -p, --name-prefix P   Prefix of the generated names (default: the PSP's name).
  -h, --help            Show this help.
`;

const HELP_FLAGS = new Set(['-h', '--help']);

/** Parses a command's options; undefined (after printing the usage error) when they are wrong. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  args: readonly string[],
  options: T,
  io: CliIo,
  usage: string,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> | undefined {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    usageError(io, error instanceof Error ? error.message : String(error), usage);
    return undefined;
  }
}

/** Runs the CLI and resolves to its exit status. */
export async function runRulesCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  const help = args.some((a) => HELP_FLAGS.has(a));
  switch (command) {
    case undefined:
    case 'help':
    case '-h':
    case '--help':
      io.out(USAGE);
      return 0;
    case 'validate':
      if (help) return printHelp(io, VALIDATE_USAGE);
      return validateCommand(args, io);
    case 'replay':
      if (help) return printHelp(io, REPLAY_USAGE);
      return replayCommand(args, io);
    case 'fields':
      if (help) return printHelp(io, FIELDS_USAGE);
      return fieldsCommand(args, io);
    case 'psp':
      if (help) return printHelp(io, PSP_USAGE);
      if (args[0] !== 'convert') return usageError(io, "psp needs the subcommand 'convert'", PSP_USAGE);
      return pspConvertCommand(args.slice(1), io);
    default:
      return usageError(io, `unknown command '${command}'`, USAGE);
  }
}

function printHelp(io: CliIo, usage: string): number {
  io.out(usage);
  return 0;
}

export function usageError(io: CliIo, problem: string, usage: string): number {
  io.err(`harrier-rules: ${problem}\n\n${usage}`);
  return 2;
}
