/**
 * Macro resolution: every macro reference in a condition is replaced by that macro's own (resolved) AST, shared,
 * not copied — so a macro used by many rules is one subtree, and compiles once per source.
 */
import type { Expr, MacroRef } from './ast.js';
import { ConditionError } from './errors.js';
import { LIMITS } from './limits.js';

/** Resolves a macro reference to its expression, or undefined when no visible macro has that name. */
export type MacroLookup = (ref: MacroRef) => Expr | undefined;

/** Returns `expr` with macro references replaced; throws `ConditionError` for an undefined macro. */
export function resolveMacros(expr: Expr, lookup: MacroLookup): Expr {
  switch (expr.kind) {
    case 'macro': {
      const target = lookup(expr);
      if (target === undefined) {
        throw new ConditionError(
          `Undefined macro '${expr.name}' used in filter.`,
          expr.range.start,
          expr.range.end,
          'LOAD_ERR_VALIDATE',
        );
      }
      return target;
    }
    case 'and':
    case 'or': {
      const children = expr.children.map((child) => resolveMacros(child, lookup));
      return children.every((c, i) => c === expr.children[i]) ? expr : { ...expr, children };
    }
    case 'not': {
      const child = resolveMacros(expr.child, lookup);
      return child === expr.child ? expr : { ...expr, child };
    }
    case 'check':
      return expr;
  }
}

interface Extent {
  nodes: number;
  depth: number;
}

const extents = new WeakMap<Expr, Extent>();

/** Nodes and depth of a resolved condition, counting shared macro subtrees at every use. */
function extentOf(expr: Expr): Extent {
  const known = extents.get(expr);
  if (known) return known;
  let extent: Extent;
  switch (expr.kind) {
    case 'and':
    case 'or': {
      let nodes = 1;
      let depth = 0;
      for (const child of expr.children) {
        const e = extentOf(child);
        nodes += e.nodes;
        depth = Math.max(depth, e.depth);
      }
      extent = { nodes, depth: depth + 1 };
      break;
    }
    case 'not': {
      const e = extentOf(expr.child);
      extent = { nodes: e.nodes + 1, depth: e.depth + 1 };
      break;
    }
    case 'check':
    case 'macro':
      extent = { nodes: 1, depth: 1 };
      break;
  }
  extents.set(expr, extent);
  return extent;
}

/** Throws when a resolved condition is beyond the expansion limits (a macro bomb, or absurd nesting). */
export function checkExpansion(expr: Expr): void {
  const { nodes, depth } = extentOf(expr);
  if (nodes > LIMITS.maxExpandedNodes || depth > LIMITS.maxExpandedDepth) {
    throw new ConditionError(
      `condition is too large once macros are expanded: ${nodes} nodes, depth ${depth} ` +
        `(limits ${LIMITS.maxExpandedNodes} and ${LIMITS.maxExpandedDepth})`,
      expr.range.start,
      expr.range.end,
    );
  }
}
