import { describe, expect, it } from 'vitest';
import { createDiagnostic, formatDiagnostic, renderExcerpt } from './errors.js';

describe('renderExcerpt', () => {
  it('puts a caret under the column of the numbered line', () => {
    expect(renderExcerpt('- list: a\n- macro: [m]\n', 2, 10)).toBe(' 2 | - macro: [m]\n   |          ^');
  });

  it('widens the gutter with the line number', () => {
    const source = `${'\n'.repeat(11)}- rule: x`;
    expect(renderExcerpt(source, 12, 3)).toBe(' 12 | - rule: x\n    |   ^');
  });

  it('keeps tabs before the caret and drops a CRLF carriage return', () => {
    expect(renderExcerpt('a\r\n\tkey: v\r\n', 2, 2)).toBe(' 2 | \tkey: v\n   | \t^');
  });

  it('cuts a long line to a window around the column', () => {
    const source = `${'a'.repeat(200)}X${'b'.repeat(200)}`;
    const [text, caret] = renderExcerpt(source, 1, 201).split('\n');
    expect(text).toBe(` 1 | …${'a'.repeat(60)}X${'b'.repeat(59)}…`);
    expect(caret?.indexOf('^')).toBe(text?.indexOf('X'));
  });

  it('is empty for positions outside the text', () => {
    expect(renderExcerpt('one line', 0, 0)).toBe('');
    expect(renderExcerpt('one line', 3, 1)).toBe('');
  });
});

describe('formatDiagnostic', () => {
  it('prints file:line:col, severity, code, message and item, then the excerpt', () => {
    const d = createDiagnostic(
      'LOAD_UNKNOWN_KEY',
      "Unknown key 'x'. The key will be ignored.",
      { file: 'r.yaml', line: 2, column: 3 },
      '- rule: a\n  x: 1\n',
      "rule 'a'",
    );
    expect(formatDiagnostic(d, 'warning')).toBe(
      "r.yaml:2:3: warning LOAD_UNKNOWN_KEY Unknown key 'x'. The key will be ignored. (rule 'a')\n" +
        ' 2 |   x: 1\n   |   ^',
    );
  });

  it('names only the file when the diagnostic has no position', () => {
    const d = createDiagnostic('LOAD_ERR_FILE_READ', 'gone', { file: 'r.yaml', line: 0, column: 0 }, '');
    expect(d).not.toHaveProperty('item');
    expect(formatDiagnostic(d, 'error')).toBe('r.yaml: error LOAD_ERR_FILE_READ gone');
  });
});
