/** `harrier-rules validate -r FILE...`: loads rules files and prints every diagnostic. */
import { formatDiagnostic, type LoadDiagnostic, type Severity } from '../errors.js';
import { loadRules } from '../load.js';
import { parseOptions, usageError, VALIDATE_USAGE, type CliIo } from './main.js';

export async function validateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseOptions(args, { rules: { type: 'string', short: 'r', multiple: true } }, io, VALIDATE_USAGE);
  if (!parsed) return 2;
  const files = parsed.values.rules ?? [];
  if (parsed.positionals.length > 0) {
    return usageError(
      io,
      `unexpected argument '${parsed.positionals[0]}' (rules files are given with -r)`,
      VALIDATE_USAGE,
    );
  }
  if (files.length === 0) return usageError(io, 'validate needs at least one rules file (-r FILE)', VALIDATE_USAGE);
  const result = await loadRules(files);
  printDiagnostics(result, (text) => io.out(text));
  io.out(
    `${plural(files.length, 'file')}, ${plural(result.rules.length, 'rule')}: ` +
      `${plural(result.errors.length, 'error')}, ${plural(result.warnings.length, 'warning')}\n`,
  );
  return result.errors.length > 0 ? 1 : 0;
}

/** Errors and warnings in file order (a warning before the error that stopped a file comes first). */
export function printDiagnostics(
  result: { errors: readonly LoadDiagnostic<string>[]; warnings: readonly LoadDiagnostic<string>[] },
  write: (text: string) => void,
): void {
  const found: Array<[LoadDiagnostic<string>, Severity, number]> = [
    ...result.errors.map((d, i): [LoadDiagnostic<string>, Severity, number] => [d, 'error', i]),
    ...result.warnings.map((d, i): [LoadDiagnostic<string>, Severity, number] => [d, 'warning', i]),
  ];
  const fileOrder = new Map<string, number>();
  for (const [d] of found) if (!fileOrder.has(d.file)) fileOrder.set(d.file, fileOrder.size);
  found.sort(
    ([a, , i], [b, , j]) =>
      (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) || a.line - b.line || a.column - b.column || i - j,
  );
  for (const [diagnostic, severity] of found) write(`${formatDiagnostic(diagnostic, severity)}\n`);
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
