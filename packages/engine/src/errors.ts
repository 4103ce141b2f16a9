/** Load diagnostics: Falco's stable codes and messages, with a position and a caret excerpt of the source. */

/** Error codes (Falco `falco_load_result.h`). */
export type LoadErrorCode =
  | 'LOAD_ERR_FILE_READ'
  | 'LOAD_ERR_YAML_PARSE'
  | 'LOAD_ERR_YAML_VALIDATE'
  | 'LOAD_ERR_COMPILE_CONDITION'
  | 'LOAD_ERR_COMPILE_OUTPUT'
  | 'LOAD_ERR_VALIDATE'
  | 'LOAD_ERR_EXTENSION';

/**
 * Warning codes: Falco's, plus `LOAD_UNSUPPORTED_FIELD` (Harrier): a rule whose condition reads a field no Harrier
 * sensor produces is loaded, reported with this code, and never evaluated.
 */
export type LoadWarningCode =
  | 'LOAD_UNKNOWN_SOURCE'
  | 'LOAD_UNSAFE_NA_CHECK'
  | 'LOAD_NO_EVTTYPE'
  | 'LOAD_UNKNOWN_FILTER'
  | 'LOAD_UNUSED_MACRO'
  | 'LOAD_UNUSED_LIST'
  | 'LOAD_UNKNOWN_ITEM'
  | 'LOAD_DEPRECATED_ITEM'
  | 'LOAD_WARNING_EXTENSION'
  | 'LOAD_APPEND_NO_VALUES'
  | 'LOAD_EXCEPTION_NAME_NOT_UNIQUE'
  | 'LOAD_INVALID_MACRO_NAME'
  | 'LOAD_INVALID_LIST_NAME'
  | 'LOAD_COMPILE_CONDITION'
  | 'LOAD_UNKNOWN_KEY'
  | 'LOAD_UNSUPPORTED_FIELD';

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

/**
 * A problem in a condition or output text, at a range of that text. The parser and the condition and output compilers
 * throw it; the rules compiler turns it into a diagnostic positioned in the rules file.
 */
export class ConditionError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number = start + 1,
    readonly code: LoadErrorCode = 'LOAD_ERR_COMPILE_CONDITION',
    /** Set when the problem is a field the source does not have (`skip-if-unknown-filter` drops such rules). */
    readonly unknownField?: string,
  ) {
    super(message);
    this.name = 'ConditionError';
  }
}

/** A text that is not in a file (a condition or an output) with a caret under `offset`, long lines windowed. */
export function renderTextExcerpt(text: string, at: number): string {
  // An error at the end of input points just after the last visible character, not at a trailing newline.
  const offset = Math.min(at, text.trimEnd().length);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return renderExcerpt(text, line, offset - lineStart + 1);
}
