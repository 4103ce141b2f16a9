/** The condition AST (Falco libs `filter/ast.h`). Every node carries its range in the condition text. */

/** Offsets into the condition text: `start` inclusive, `end` exclusive. */
export interface Range {
  start: number;
  end: number;
}

export type Expr = AndExpr | OrExpr | NotExpr | MacroRef | Check;

export interface AndExpr {
  kind: 'and';
  children: Expr[];
  range: Range;
}

export interface OrExpr {
  kind: 'or';
  children: Expr[];
  range: Range;
}

export interface NotExpr {
  kind: 'not';
  child: Expr;
  range: Range;
}

/** A bare identifier: a reference to a macro, replaced by the macro's AST when rules are compiled. */
export interface MacroRef {
  kind: 'macro';
  name: string;
  range: Range;
}

export const UNARY_OPERATORS = ['exists'] as const;
export const NUMERIC_OPERATORS = ['<=', '<', '>=', '>'] as const;
/** In the order the parser tries them: `==` before `=`, word operators need a blank after them. */
export const STRING_OPERATORS = [
  '==',
  '=',
  '!=',
  'glob',
  'iglob',
  'contains',
  'icontains',
  'bcontains',
  'startswith',
  'bstartswith',
  'endswith',
  'regex',
] as const;
/** `intersects` before `in`, as Falco tries them. */
export const LIST_OPERATORS = ['intersects', 'in', 'pmatch'] as const;
export const MODIFIERS = ['oneof', 'anyof', 'allof'] as const;
export const TRANSFORMERS = ['tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'] as const;

export type UnaryOperator = (typeof UNARY_OPERATORS)[number];
export type NumericOperator = (typeof NUMERIC_OPERATORS)[number];
export type StringOperator = (typeof STRING_OPERATORS)[number];
export type ListOperator = (typeof LIST_OPERATORS)[number];
export type Operator = UnaryOperator | NumericOperator | StringOperator | ListOperator;
export type Modifier = (typeof MODIFIERS)[number];
export type TransformerName = (typeof TRANSFORMERS)[number];

/** Every operator name, `==` included, for validating exception `comps`. */
export const OPERATORS: readonly Operator[] = [
  ...UNARY_OPERATORS,
  ...NUMERIC_OPERATORS,
  ...STRING_OPERATORS,
  ...LIST_OPERATORS,
];

/** `field op value`, `field exists`, or `field op modifier (list)`. */
export interface Check {
  kind: 'check';
  left: FieldExpr;
  operator: Operator;
  /** Absent for `exists`. */
  right?: Operand;
  modifier?: Modifier;
  range: Range;
}

/** A field with its optional `[argument]`. */
export interface FieldRef {
  kind: 'field';
  name: string;
  arg?: string;
  /** Range of the argument text, for argument errors. */
  argRange?: Range;
  range: Range;
}

export interface TransformerExpr {
  kind: 'transformer';
  name: TransformerName;
  args: TransformerArg[];
  /** `getopt(…)[c]`. */
  arg?: string;
  range: Range;
}

/** The left side of a check, or the argument of a transformer. */
export type FieldExpr = FieldRef | TransformerExpr;

export type TransformerArg = FieldExpr | ValueLiteral | ValueList;

/** A literal: quoted (escapes resolved), bare, or a number; compiled against the field's type later. */
export interface ValueLiteral {
  kind: 'value';
  value: string;
  quoted: boolean;
  range: Range;
}

/** `(a, b, …)`, or a bare identifier standing for a one-element list. */
export interface ValueList {
  kind: 'list';
  values: ValueLiteral[];
  range: Range;
}

/** `val(field)`: another field's value on the right-hand side. */
export interface ValRef {
  kind: 'val';
  field: FieldRef;
  range: Range;
}

export type Operand = ValueLiteral | ValueList | ValRef | TransformerExpr;

/** `name[arg]` as written in conditions and outputs (a quoted argument loses its quotes). */
export function fieldText(field: Pick<FieldRef, 'name' | 'arg'>): string {
  return field.arg === undefined ? field.name : `${field.name}[${field.arg}]`;
}
