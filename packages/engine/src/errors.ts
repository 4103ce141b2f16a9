/** Load diagnostics: Falco's stable codes and messages, with a position and a caret excerpt of the source. */

/** Error codes the reader stage produces (Falco `falco_load_result.h`); later stages add theirs. */
export type LoadErrorCode = 'LOAD_ERR_FILE_READ' | 'LOAD_ERR_YAML_PARSE' | 'LOAD_ERR_YAML_VALIDATE';

/** Warning codes the reader stage produces. */
export type LoadWarningCode = 'LOAD_UNKNOWN_ITEM' | 'LOAD_UNKNOWN_KEY';

export type Severity = 'error' | 'warning';

/** A place in a rules file; `line` and `column` count from 1, and are 0 when the whole file is meant. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export interface LoadDiagnostic<Code extends string = LoadErrorCode | LoadWarningCode> extends SourcePosition {
  code: Code;
  message: string;
  /** The item the diagnostic is about, as `kind 'name'` (e.g. `rule 'Terminal shell in container'`). */
  item?: string;
  /** The offending line with a caret under the column; empty when there is no position. */
  excerpt: string;
}

export type LoadError = LoadDiagnostic<LoadErrorCode>;
export type LoadWarning = LoadDiagnostic<LoadWarningCode>;

/** Longest excerpt line; longer lines are cut to a window around the column. */
const EXCERPT_WIDTH = 120;

/**
 * The source line at `line` (1-based) with a caret under `column`, gutter-numbered like a compiler:
 * ```
 *   3 | - macro: [m]
 *     |          ^
 * ```
 */
export function renderExcerpt(source: string, line: number, column: number): string {
  const text = source.split('\n')[line - 1];
  if (line < 1 || text === undefined) return '';
  let content = text.replace(/\r$/, '');
  let caret = Math.max(column - 1, 0);
  if (content.length > EXCERPT_WIDTH) {
    const start = Math.max(0, Math.min(caret - EXCERPT_WIDTH / 2, content.length - EXCERPT_WIDTH));
    const cut = content.slice(start, start + EXCERPT_WIDTH);
    content = `${start > 0 ? '…' : ''}${cut}${start + EXCERPT_WIDTH < content.length ? '…' : ''}`;
    caret = caret - start + (start > 0 ? 1 : 0);
  }
  const number = String(line);
  const gutter = ' '.repeat(number.length);
  // Keep the line's own tabs before the caret so it lines up however the terminal renders them.
  const pad = content.slice(0, caret).replace(/[^\t]/g, ' ');
  return ` ${number} | ${content}\n ${gutter} | ${pad}^`;
}

/** Builds a diagnostic at `position`, rendering its excerpt from the file's text. */
export function createDiagnostic<Code extends string>(
  code: Code,
  message: string,
  position: SourcePosition,
  source: string,
  item?: string,
): LoadDiagnostic<Code> {
  return {
    code,
    message,
    ...position,
    ...(item === undefined ? {} : { item }),
    excerpt: renderExcerpt(source, position.line, position.column),
  };
}

/** `file:line:col: severity CODE message (item)` followed by the excerpt, as compilers print it. */
export function formatDiagnostic(diagnostic: LoadDiagnostic<string>, severity: Severity): string {
  const { file, line, column, code, message, item, excerpt } = diagnostic;
  const where = line > 0 ? `${file}:${line}:${column}` : file;
  const about = item === undefined ? '' : ` (${item})`;
  const head = `${where}: ${severity} ${code} ${message}${about}`;
  return excerpt === '' ? head : `${head}\n${excerpt}`;
}
