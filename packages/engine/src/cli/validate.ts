/** `harrier-rules validate FILE...`: reads rules files and prints every diagnostic. */
import { formatDiagnostic, type LoadDiagnostic, type Severity } from '../errors.js';
import { readRulesFiles } from '../rules/reader.js';
import type { CliIo } from './main.js';

export async function validateCommand(files: readonly string[], io: CliIo): Promise<number> {
  const reads = await readRulesFiles(files);
  let errors = 0;
  let warnings = 0;
  let items = 0;
  for (const read of reads) {
    const found: Array<[LoadDiagnostic, Severity]> = [
      ...read.errors.map((d): [LoadDiagnostic, Severity] => [d, 'error']),
      ...read.warnings.map((d): [LoadDiagnostic, Severity] => [d, 'warning']),
    ];
    // In file order, so a warning before the error that stopped reading is shown before it.
    found.sort(([a], [b]) => a.line - b.line || a.column - b.column);
    for (const [diagnostic, severity] of found) io.out(`${formatDiagnostic(diagnostic, severity)}\n`);
    errors += read.errors.length;
    warnings += read.warnings.length;
    items += read.items.length;
  }
  io.out(
    `${plural(reads.length, 'file')}, ${plural(items, 'item')}: ` +
      `${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`,
  );
  return errors > 0 ? 1 : 0;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
