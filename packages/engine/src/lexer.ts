/**
 * Condition lexer: the token recognisers of Falco's filter language (libs `filter/parser.cpp`), applied at a cursor.
 * The language is context-sensitive (a bare string and a field name overlap), so the parser asks for the token it
 * expects next instead of consuming a token stream.
 */
import { ConditionError } from './errors.js';

/** A token's text (escapes resolved for quoted strings) and where it lies in the input. */
export interface Token {
  text: string;
  start: number;
  end: number;
}

// POSIX classes from the grammar; `[:space:]` is space, \t, \n, \v, \f, \r.
const IDENTIFIER = /[a-zA-Z]+[a-zA-Z0-9_]*/y;
const FIELD_NAME = /[a-zA-Z]+[a-zA-Z0-9_]*(?:\.[a-zA-Z]+[a-zA-Z0-9_]*)+/y;
const FIELD_ARG_BARE = /[^\]["' \t\n\v\f\r]+/y;
const BARE_STRING = /[^()"' \t\n\v\f\r=,]+/y;
const HEX_NUMBER = /0[xX][0-9a-fA-F]+/y;
const NUMBER = /[+-]?[0-9]+\.?[0-9]*(?:[eE][+-][0-9]+)?/y;
/** The blanks of the grammar: space, \t, \b, \r, \n. */
const BLANKS = /[ \t\b\r\n]+/y;

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  '\\': '\\',
  '/': '/',
};

export class Lexer {
  pos = 0;

  constructor(readonly input: string) {}

  atEnd(): boolean {
    return this.pos >= this.input.length;
  }

  /** The character at the cursor, or '' at the end. */
  peek(offset = 0): string {
    return this.input.charAt(this.pos + offset);
  }

  /** Skips blanks; true when there were some. */
  blanks(): boolean {
    return this.regex(BLANKS) !== undefined;
  }

  isBlank(offset = 0): boolean {
    const c = this.peek(offset);
    return c === ' ' || c === '\t' || c === '\b' || c === '\r' || c === '\n';
  }

  /** Consumes `text` if the input continues with it. */
  literal(text: string): Token | undefined {
    if (!this.input.startsWith(text, this.pos)) return undefined;
    const start = this.pos;
    this.pos += text.length;
    return { text, start, end: this.pos };
  }

  /** Whether the input continues with `text`, without consuming it. */
  sees(text: string): boolean {
    return this.input.startsWith(text, this.pos);
  }

  identifier(): Token | undefined {
    return this.regex(IDENTIFIER);
  }

  fieldName(): Token | undefined {
    return this.regex(FIELD_NAME);
  }

  fieldArgBare(): Token | undefined {
    return this.regex(FIELD_ARG_BARE);
  }

  bareString(): Token | undefined {
    return this.regex(BARE_STRING);
  }

  number(): Token | undefined {
    return this.regex(HEX_NUMBER) ?? this.regex(NUMBER);
  }

  /** A `"…"` or `'…'` string with its escapes resolved; throws on a bad escape or a missing closing quote. */
  quoted(): Token | undefined {
    const quote = this.peek();
    if (quote !== '"' && quote !== "'") return undefined;
    const start = this.pos;
    let text = '';
    let i = start + 1;
    const input = this.input;
    for (;;) {
      const c = input.charAt(i);
      if (c === '') throw new ConditionError(`unterminated quoted string`, start, i);
      if (c === quote) break;
      if (c !== '\\') {
        text += c;
        i++;
        continue;
      }
      const next = input.charAt(i + 1);
      const simple = SIMPLE_ESCAPES[next];
      if (simple !== undefined) {
        text += simple;
        i += 2;
      } else if (next === quote) {
        text += quote;
        i += 2;
      } else if (next === ' ') {
        // Legacy quirk kept by Falco: a backslash before a space stands for itself.
        text += '\\ ';
        i += 2;
      } else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(input.slice(i + 2, i + 4))) {
        text += String.fromCharCode(parseInt(input.slice(i + 2, i + 4), 16));
        i += 4;
      } else {
        throw new ConditionError('unsupported string escape sequence', i, i + 2);
      }
    }
    this.pos = i + 1;
    return { text, start, end: this.pos };
  }

  private regex(re: RegExp): Token | undefined {
    re.lastIndex = this.pos;
    const match = re.exec(this.input);
    if (match === null) return undefined;
    const start = this.pos;
    this.pos += match[0].length;
    return { text: match[0], start, end: this.pos };
  }
}
