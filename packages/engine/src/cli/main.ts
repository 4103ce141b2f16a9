/** `harrier-rules`: argument dispatch and usage; each command lives in its own file. */
import { validateCommand } from './validate.js';

/** Where a command writes: stdout for its results, stderr for usage errors. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const USAGE = `Usage: harrier-rules <command> [arguments]

Commands:
  validate FILE...   Read Falco rules files and report load errors and warnings,
                     each as file:line:column with the offending line.

Options:
  -h, --help         Show this help.

Exit status: 0 when no file has errors, 1 when any file has errors, 2 on a usage error.
`;

const HELP_FLAGS = new Set(['-h', '--help']);

/** Runs the CLI and resolves to its exit status. */
export async function runRulesCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || argv.some((a) => HELP_FLAGS.has(a))) {
    io.out(USAGE);
    return 0;
  }
  if (command === 'validate') {
    if (args.length === 0) return usageError(io, 'validate needs at least one rules file');
    const option = args.find((a) => a.startsWith('-'));
    if (option !== undefined) return usageError(io, `unknown option '${option}'`);
    return validateCommand(args, io);
  }
  return usageError(io, `unknown command '${command}'`);
}

function usageError(io: CliIo, problem: string): number {
  io.err(`harrier-rules: ${problem}\n\n${USAGE}`);
  return 2;
}
