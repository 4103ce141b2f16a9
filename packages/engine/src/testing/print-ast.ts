/** Test helper: an AST as a compact S-expression, so case files can state the expected tree in one line. */
import type { Expr, FieldExpr, Operand, TransformerArg } from '../ast.js';

export function printExpr(expr: Expr | FieldExpr | Operand | TransformerArg): string {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return `(${expr.kind} ${expr.children.map(printExpr).join(' ')})`;
    case 'not':
      return `(not ${printExpr(expr.child)})`;
    case 'macro':
      return expr.name;
    case 'check': {
      const parts = [printExpr(expr.left), expr.operator];
      if (expr.modifier) parts.push(expr.modifier);
      if (expr.right) parts.push(printExpr(expr.right));
      return `[${parts.join(' ')}]`;
    }
    case 'field':
      return expr.arg === undefined ? expr.name : `${expr.name}[${JSON.stringify(expr.arg)}]`;
    case 'transformer':
      return `${expr.name}(${expr.args.map(printExpr).join(', ')})${expr.arg === undefined ? '' : `[${expr.arg}]`}`;
    case 'val':
      return `val(${printExpr(expr.field)})`;
    case 'value':
      return JSON.stringify(expr.value);
    case 'list':
      return `(${expr.values.map(printExpr).join(', ')})`;
  }
}
