/** The field registry of each event source Harrier knows. */
import { K8S_AUDIT_FIELDS } from './k8s-audit.js';
import { SYSCALL_FIELDS } from './syscall.js';
import type { FieldRegistry } from './types.js';

export const FIELD_REGISTRIES: ReadonlyMap<string, FieldRegistry> = new Map([
  ['syscall', SYSCALL_FIELDS],
  ['k8s_audit', K8S_AUDIT_FIELDS],
]);

/** Event sources Harrier evaluates, in a stable order. */
export const SOURCES = [...FIELD_REGISTRIES.keys()];
