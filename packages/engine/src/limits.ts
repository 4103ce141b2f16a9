/** Hard limits: hostile or broken input fails with a clear error instead of exhausting the stack, memory or time. */
export const LIMITS = {
  /** Longest condition text accepted, after lists are substituted into it (characters). */
  maxConditionLength: 1_000_000,
  /**
   * Deepest parser recursion (Falco libs count it the same way, one level per production entered, and use 1000 for
   * rules): roughly 200 nested parentheses.
   */
  maxParseDepth: 1000,
  /** Most nodes a rule's condition may reach once every macro is expanded in place (catches macro bombs). */
  maxExpandedNodes: 200_000,
  /** Deepest nesting once macros are expanded: keeps compile and evaluation recursion far from the stack limit. */
  maxExpandedDepth: 500,
  /** Longest chain of macros using macros (upstream files nest a handful). */
  maxMacroNesting: 100,
  /** Longest output format accepted (characters). */
  maxOutputLength: 100_000,
  /** Lists print at most this many bytes of their elements, as Falco truncates them. */
  maxListOutputBytes: 1023,
  /** The k8saudit plugin's `maxEventSize`: larger audit events are dropped. */
  maxAuditEventBytes: 262_144,
} as const;
