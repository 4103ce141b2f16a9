/**
 * Condition parser: Falco's filter grammar (libs `filter/parser.h`) to an AST with ranges.
 *
 * ```
 * Expr        ::= OrExpr
 * OrExpr      ::= AndExpr ( 'or' ( Blank | &'(' ) AndExpr )*
 * AndExpr     ::= NotExpr ( 'and' ( Blank | &'(' ) NotExpr )*
 * NotExpr     ::= ( 'not' Blank )* ( 'not(' Expr ')' | Check )
 * Check       ::= '(' Expr ')' | Field Condition | Transformer Condition | Identifier     -- Identifier: a macro
 * Condition   ::= 'exists'
 *               | NumOp ( NumValue | RhsTransformer )
 *               | StrOp ( Modifier ListValue | RhsTransformer | StrValue )
 *               | ListOp ( ListValue | RhsTransformer )
 * ListValue   ::= '(' ( StrValue ( ',' StrValue )* )? ')' | Identifier
 * Field       ::= FieldName ( '[' ( QuotedStr | ArgBareStr ) ']' )?
 * Transformer ::= TrName '(' TrArg ( ',' TrArg )* ')' ( '[' ( QuotedStr | ArgBareStr ) ']' )?
 * TrArg       ::= Transformer | Field | QuotedStr | NumValue | '(' ( TrListArg ( ',' TrListArg )* )? ')'
 * TrListArg   ::= Field | Transformer | QuotedStr | NumValue
 * RhsTransformer ::= Transformer | 'val(' Field ')'
 * TrName      ::= 'tolower' | 'toupper' | 'b64' | 'basename' | 'len' | 'join' | 'concat' | 'getopt'
 * NumOp       ::= '<=' | '<' | '>=' | '>'
 * StrOp       ::= '==' | '=' | '!=' | ( 'glob' | 'iglob' | 'contains' | 'icontains' | 'bcontains'
 *               | 'startswith' | 'bstartswith' | 'endswith' | 'regex' ) Blank
 * Modifier    ::= 'oneof' | 'anyof' | 'allof'        -- only before '(' or an identifier other than and/or/not
 * ListOp      ::= 'intersects' | 'in' | 'pmatch'
 * StrValue    ::= QuotedStr | BareStr
 * NumValue    ::= HexNumber | Number
 * Identifier  ::= [a-zA-Z]+[a-zA-Z0-9_]*
 * FieldName   ::= [a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+
 * ArgBareStr  ::= [^][\"'[:space:]]+
 * BareStr     ::= [^()\"'[:space:]=,]+
 * HexNumber   ::= 0[xX][0-9a-fA-F]+
 * Number      ::= [+-]?[0-9]+[.]?[0-9]*([eE][+-][0-9]+)?
 * QuotedStr   ::= '"' … '"' | "'" … "'"   -- escapes \b \f \n \r \t \\ \/ \" \' \xHH
 * Blank       ::= ( ' ' | '\t' | '\b' | '\r' | '\n' )+
 * ```
 * Keywords and operators are lowercase. Blanks may separate any two tokens; they are required only where shown.
 */
import {
  LIST_OPERATORS,
  MODIFIERS,
  NUMERIC_OPERATORS,
  STRING_OPERATORS,
  TRANSFORMERS,
  type Check,
  type Expr,
  type FieldExpr,
  type FieldRef,
  type Modifier,
  type Operand,
  type Operator,
  type TransformerArg,
  type TransformerExpr,
  type TransformerName,
  type ValRef,
  type ValueList,
  type ValueLiteral,
} from './ast.js';
import { ConditionError } from './errors.js';
import { Lexer, type Token } from './lexer.js';
import { LIMITS } from './limits.js';

const WORD_STRING_OPERATORS: ReadonlySet<string> = new Set(STRING_OPERATORS.filter((op) => /^[a-z]/.test(op)));
const TRANSFORMER_NAMES: ReadonlySet<string> = new Set(TRANSFORMERS);
const MODIFIER_NAMES: ReadonlySet<string> = new Set(MODIFIERS);
const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not']);

/** Parses a condition; throws `ConditionError` with the offending range. */
export function parseCondition(text: string, maxDepth: number = LIMITS.maxParseDepth): Expr {
  return new Parser(text, maxDepth).parse();
}

class Parser {
  private readonly lex: Lexer;
  private depth = 0;
  /** The last token read, for "unexpected token after 'x'". */
  private last = '';

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {
    this.lex = new Lexer(text);
  }

  parse(): Expr {
    if (this.text.length === 0) throw new ConditionError('filter input string is empty', 0, 0);
    if (this.text.length > LIMITS.maxConditionLength) {
      throw new ConditionError(
        `condition is too long: ${this.text.length} characters, the limit is ${LIMITS.maxConditionLength}`,
        0,
        0,
      );
    }
    const expr = this.parseOr();
    this.lex.blanks();
    if (!this.lex.atEnd()) {
      throw this.error(`unexpected token after '${this.last}', expecting 'or', 'and'`);
    }
    return expr;
  }

  // OrExpr ::= AndExpr ( 'or' ( Blank | &'(' ) AndExpr )*
  private parseOr(): Expr {
    return this.nested(() => this.parseChain('or', () => this.parseAnd()));
  }

  // AndExpr ::= NotExpr ( 'and' ( Blank | &'(' ) NotExpr )*
  private parseAnd(): Expr {
    return this.nested(() => this.parseChain('and', () => this.parseNot()));
  }

  private parseChain(keyword: 'and' | 'or', operand: () => Expr): Expr {
    this.lex.blanks();
    const start = this.lex.pos;
    const children = [operand()];
    for (;;) {
      const before = this.lex.pos;
      this.lex.blanks();
      if (!this.keyword(keyword)) {
        this.lex.pos = before;
        break;
      }
      if (!this.lex.blanks() && this.lex.peek() !== '(') throw this.error(`expected blank or '(' after '${keyword}'`);
      children.push(operand());
    }
    if (children.length === 1) return children[0] as Expr;
    return { kind: keyword, children, range: { start, end: this.lex.pos } };
  }

  // NotExpr ::= ( 'not' Blank )* ( 'not(' Expr ')' | Check )
  private parseNot(): Expr {
    return this.nested(() => {
      this.lex.blanks();
      const start = this.lex.pos;
      let negated = false;
      for (;;) {
        if (this.lex.sees('not') && this.lex.isBlank(3)) {
          this.lex.pos += 3;
          this.lex.blanks();
          negated = !negated;
        } else break;
      }
      let child: Expr;
      if (this.lex.sees('not(')) {
        this.lex.pos += 4;
        negated = !negated;
        child = this.parseEmbedded();
      } else {
        child = this.parseCheck();
      }
      return negated ? { kind: 'not', child, range: { start, end: this.lex.pos } } : child;
    });
  }

  /** The rest of `'(' Expr ')'` once the `(` is read. */
  private parseEmbedded(): Expr {
    return this.nested(() => {
      const expr = this.parseOr();
      this.lex.blanks();
      if (!this.lex.literal(')')) throw this.error("expected a ')' token");
      this.last = ')';
      return expr;
    });
  }

  // Check ::= '(' Expr ')' | Field Condition | Transformer Condition | Identifier
  private parseCheck(): Expr {
    return this.nested(() => {
      this.lex.blanks();
      const start = this.lex.pos;
      if (this.lex.literal('(')) return this.parseEmbedded();
      const name = this.lex.fieldName();
      if (name) return this.parseConditionOf(this.parseFieldRest(name), start);
      const transformer = this.transformerName();
      if (transformer) return this.parseConditionOf(this.parseTransformerRest(transformer), start);
      const identifier = this.lex.identifier();
      if (identifier) {
        this.last = identifier.text;
        return { kind: 'macro', name: identifier.text, range: { start, end: identifier.end } };
      }
      throw this.error("expected a '(' token, a field check, or an identifier");
    });
  }

  // Field ::= FieldName ( '[' ( QuotedStr | ArgBareStr ) ']' )?
  private parseFieldRest(name: Token): FieldRef {
    this.last = name.text;
    const field: FieldRef = { kind: 'field', name: name.text, range: { start: name.start, end: name.end } };
    if (this.lex.literal('[')) {
      const arg = this.lex.quoted() ?? this.lex.fieldArgBare();
      if (!arg) throw this.error('expected a valid field argument: a quoted string or a bare string');
      if (!this.lex.literal(']')) throw this.error("expected a ']' token");
      field.arg = arg.text;
      field.argRange = { start: arg.start, end: arg.end };
      field.range.end = this.lex.pos;
      this.last = `${name.text}[${arg.text}]`;
    }
    return field;
  }

  /** A transformer name immediately followed by `(`, consumed with the parenthesis. */
  private transformerName(): Token | undefined {
    const before = this.lex.pos;
    const id = this.lex.identifier();
    if (id && TRANSFORMER_NAMES.has(id.text) && this.lex.literal('(')) return id;
    this.lex.pos = before;
    return undefined;
  }

  // Transformer ::= TrName '(' TrArg ( ',' TrArg )* ')' ( '[' ( QuotedStr | ArgBareStr ) ']' )?
  private parseTransformerRest(name: Token): TransformerExpr {
    return this.nested(() => {
      const args: TransformerArg[] = [];
      do {
        this.lex.blanks();
        args.push(this.parseTransformerArg(true));
        this.lex.blanks();
      } while (this.lex.literal(','));
      if (!this.lex.literal(')')) throw this.error("expected a ')' token closing the transformer");
      this.last = ')';
      const expr: TransformerExpr = {
        kind: 'transformer',
        name: name.text as TransformerName,
        args,
        range: { start: name.start, end: this.lex.pos },
      };
      if (this.lex.literal('[')) {
        const arg = this.lex.quoted() ?? this.lex.fieldArgBare();
        if (!arg || !this.lex.literal(']')) throw this.error('expected a valid transformer argument');
        expr.arg = arg.text;
        expr.range.end = this.lex.pos;
      }
      return expr;
    });
  }

  // TrArg ::= Transformer | Field | QuotedStr | NumValue | '(' ( TrListArg ( ',' TrListArg )* )? ')'
  private parseTransformerArg(allowList: boolean): TransformerArg {
    const start = this.lex.pos;
    const transformer = this.transformerName();
    if (transformer) return this.parseTransformerRest(transformer);
    const name = this.lex.fieldName();
    if (name) return this.parseFieldRest(name);
    const quoted = this.lex.quoted();
    if (quoted) return literal(quoted, true);
    const number = this.lex.number();
    if (number) return literal(number, false);
    if (allowList && this.lex.literal('(')) {
      const values: ValueLiteral[] = [];
      this.lex.blanks();
      if (!this.lex.sees(')')) {
        do {
          this.lex.blanks();
          const item = this.parseTransformerArg(false);
          if (item.kind !== 'value') throw new ConditionError('fields in transformer lists are not supported', start);
          values.push(item);
          this.lex.blanks();
        } while (this.lex.literal(','));
      }
      if (!this.lex.literal(')')) throw this.error("expected a ')' token");
      return { kind: 'list', values, range: { start, end: this.lex.pos } };
    }
    throw this.error(`expected a field or a nested valid transformer: ${quoteAll(['val', ...TRANSFORMERS])}`);
  }

  /** What follows the left-hand side of a check. */
  private parseConditionOf(left: FieldExpr, start: number): Check {
    return this.nested(() => {
      this.lex.blanks();
      const at = this.lex.pos;
      const check = (operator: Operator, right?: Operand, modifier?: Modifier): Check => ({
        kind: 'check',
        left,
        operator,
        ...(right === undefined ? {} : { right }),
        ...(modifier === undefined ? {} : { modifier }),
        range: { start, end: this.lex.pos },
      });
      if (this.lex.literal('exists')) {
        this.last = 'exists';
        return check('exists');
      }
      for (const op of NUMERIC_OPERATORS) {
        if (this.lex.literal(op)) return check(op, this.parseNumericOperand());
      }
      for (const op of STRING_OPERATORS) {
        if (!this.lex.sees(op)) continue;
        if (WORD_STRING_OPERATORS.has(op) && !this.lex.isBlank(op.length)) continue;
        this.lex.pos += op.length;
        this.last = op;
        const modifier = this.modifier();
        if (modifier) return check(op, this.parseListOperand(), modifier);
        return check(op, this.parseStringOperand());
      }
      for (const op of LIST_OPERATORS) {
        if (this.lex.literal(op)) {
          this.last = op;
          return check(op, this.parseListOperand());
        }
      }
      this.lex.pos = at;
      throw this.error(`expected a valid check operator: one of ${quoteAll(OPERATOR_NAMES)}`);
    });
  }

  /** `oneof`/`anyof`/`allof` when followed by `(` or an identifier other than a keyword. */
  private modifier(): Modifier | undefined {
    const before = this.lex.pos;
    this.lex.blanks();
    const id = this.lex.identifier();
    if (id && MODIFIER_NAMES.has(id.text)) {
      this.lex.blanks();
      if (this.lex.peek() === '(') return id.text as Modifier;
      const after = this.lex.pos;
      const next = this.lex.identifier();
      this.lex.pos = after;
      if (next && !KEYWORDS.has(next.text)) return id.text as Modifier;
    }
    this.lex.pos = before;
    return undefined;
  }

  // NumValue | RhsTransformer
  private parseNumericOperand(): Operand {
    return this.nested(() => {
      this.lex.blanks();
      const rhs = this.rhsTransformer();
      if (rhs) return rhs;
      const number = this.lex.number();
      if (number) {
        this.last = number.text;
        return literal(number, false);
      }
      throw this.error(`expected a number value or a field with a valid transformer: ${quoteAll(RHS_NAMES)}`);
    });
  }

  // RhsTransformer | StrValue
  private parseStringOperand(): Operand {
    return this.nested(() => {
      this.lex.blanks();
      const rhs = this.rhsTransformer();
      if (rhs) return rhs;
      const value = this.stringValue();
      if (value) return value;
      throw this.error(`expected a string value or a field with a valid transformer: ${quoteAll(RHS_NAMES)}`);
    });
  }

  // ListValue | RhsTransformer, where ListValue ::= '(' ( StrValue ( ',' StrValue )* )? ')' | Identifier
  private parseListOperand(): Operand {
    return this.nested(() => {
      this.lex.blanks();
      const start = this.lex.pos;
      if (this.lex.literal('(')) {
        const values: ValueLiteral[] = [];
        this.lex.blanks();
        const first = this.stringValue();
        if (first) {
          values.push(first);
          this.lex.blanks();
          while (this.lex.literal(',')) {
            this.lex.blanks();
            const next = this.stringValue();
            if (!next) throw this.error('expected a string value');
            values.push(next);
            this.lex.blanks();
          }
        }
        if (!this.lex.literal(')')) throw this.error("expected a ')' token");
        this.last = ')';
        const list: ValueList = { kind: 'list', values, range: { start, end: this.lex.pos } };
        return list;
      }
      const rhs = this.rhsTransformer();
      if (rhs) return rhs;
      const id = this.lex.identifier();
      if (id) {
        this.last = id.text;
        return { kind: 'list', values: [literal(id, false)], range: { start, end: id.end } };
      }
      throw this.error(`expected a list, an identifier, or a field with a valid transformer: ${quoteAll(RHS_NAMES)}`);
    });
  }

  private stringValue(): ValueLiteral | undefined {
    const quoted = this.lex.quoted();
    if (quoted) {
      this.last = quoted.text;
      return literal(quoted, true);
    }
    const bare = this.lex.bareString();
    if (bare) {
      this.last = bare.text;
      return literal(bare, false);
    }
    return undefined;
  }

  // RhsTransformer ::= Transformer | 'val(' Field ')'
  private rhsTransformer(): ValRef | TransformerExpr | undefined {
    const start = this.lex.pos;
    if (this.lex.literal('val(')) {
      this.lex.blanks();
      const name = this.lex.fieldName();
      if (!name) throw this.error("expected a field within 'val' transformer");
      const field = this.parseFieldRest(name);
      this.lex.blanks();
      if (!this.lex.literal(')')) throw this.error("expected a ')' token closing the transformer");
      this.last = ')';
      return { kind: 'val', field, range: { start, end: this.lex.pos } };
    }
    const transformer = this.transformerName();
    return transformer ? this.parseTransformerRest(transformer) : undefined;
  }

  /** Consumes `word` when it stands alone: not the start of a longer identifier. */
  private keyword(word: string): boolean {
    if (!this.lex.sees(word)) return false;
    const next = this.lex.peek(word.length);
    if (/[a-zA-Z0-9_.]/.test(next)) return false;
    this.lex.pos += word.length;
    this.last = word;
    return true;
  }

  /** Runs one production one level deeper, failing cleanly past the depth limit. */
  private nested<T>(production: () => T): T {
    if (++this.depth >= this.maxDepth) {
      throw new ConditionError(`exceeded max depth limit of ${this.maxDepth}`, this.lex.pos);
    }
    try {
      return production();
    } finally {
      this.depth--;
    }
  }

  private error(message: string): ConditionError {
    return new ConditionError(message, this.lex.pos);
  }
}

const OPERATOR_NAMES = ['exists', ...NUMERIC_OPERATORS, ...STRING_OPERATORS, ...LIST_OPERATORS];
const RHS_NAMES = ['val', ...TRANSFORMERS];

function literal(token: Token, quoted: boolean): ValueLiteral {
  return { kind: 'value', value: token.text, quoted, range: { start: token.start, end: token.end } };
}

function quoteAll(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}
