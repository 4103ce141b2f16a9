/** Validation of incoming Falco alerts, matching falcosidekick's rules but naming every bad field. */
import type { FalcoAlert } from './alert.js';
import { PRIORITIES, parsePriority } from './priority.js';

export interface FieldIssue {
  field: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/i;

/** RFC 3339 date-time with real calendar values (Feb 30 and hour 25 are rejected, as Go's parser does). */
export function isRfc3339(value: string): boolean {
  const m = RFC3339.exec(value);
  if (!m) return false;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 61 &&
    (m[9] === undefined || (Number(m[9]) < 24 && Number(m[10]) < 60)) &&
    Date.parse(value) > 0
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** falcosidekick panics on non-string k8s names; we keep them, as strings. */
const STRINGIFIED_FIELDS = ['k8s.ns.name', 'k8s.pod.name'];

export interface ValidateOptions {
  /**
   * Fields will be added to every alert (falcosidekick's `customfields`, applied before its check): `output_fields`
   * may then be empty or missing.
   */
  fieldsAdded?: boolean;
}

/**
 * Checks and normalises a Falco alert: priority canonicalised, `source` defaulted to `syscalls`
 * (`internal` for falcosidekick's "Test rule"), tags sorted, unknown keys (and `uuid`) dropped.
 */
export function validateFalcoAlert(
  input: unknown,
  { fieldsAdded = false }: ValidateOptions = {},
): Validated<FalcoAlert> {
  if (!isPlainObject(input)) {
    return {
      ok: false,
      issues: [{ field: '(body)', message: `must be a JSON object, got ${describe(input)}` }],
    };
  }
  const issues: FieldIssue[] = [];
  const optionalString = (field: string): string => {
    const value = input[field];
    if (value === undefined || value === null) return '';
    if (typeof value === 'string') return value;
    issues.push({ field, message: `must be a string, got ${describe(value)}` });
    return '';
  };

  const rawPriority = input['priority'];
  const priority = typeof rawPriority === 'string' ? parsePriority(rawPriority) : undefined;
  if (priority === undefined) {
    issues.push({
      field: 'priority',
      message:
        typeof rawPriority === 'string'
          ? `unknown priority "${rawPriority.slice(0, 64)}"; expected one of ${PRIORITIES.join(', ')} (case-insensitive, "info" accepted)`
          : rawPriority === undefined
            ? 'is required'
            : `must be a string, got ${describe(rawPriority)}`,
    });
  }

  const rule = input['rule'];
  if (typeof rule !== 'string' || rule.trim() === '') {
    issues.push({
      field: 'rule',
      message:
        rule === undefined
          ? 'is required'
          : typeof rule === 'string'
            ? 'must not be empty'
            : `must be a string, got ${describe(rule)}`,
    });
  }

  const time = input['time'];
  if (typeof time !== 'string' || !isRfc3339(time)) {
    issues.push({
      field: 'time',
      message:
        time === undefined
          ? 'is required'
          : typeof time === 'string'
            ? `"${time.slice(0, 64)}" is not an RFC 3339 date-time (e.g. 2024-05-17T15:31:56.746609046Z)`
            : `must be an RFC 3339 string, got ${describe(time)}`,
    });
  }

  const fields = input['output_fields'] ?? (fieldsAdded ? {} : undefined);
  if (!isPlainObject(fields)) {
    issues.push({
      field: 'output_fields',
      message: fields === undefined ? 'is required' : `must be an object, got ${describe(fields)}`,
    });
  } else if (Object.keys(fields).length === 0 && !fieldsAdded) {
    issues.push({ field: 'output_fields', message: 'must have at least one field' });
  }

  const rawTags = input['tags'];
  let tags: string[] = [];
  if (Array.isArray(rawTags) && rawTags.every((t) => typeof t === 'string')) {
    tags = [...new Set(rawTags)].sort();
  } else if (rawTags !== undefined && rawTags !== null) {
    issues.push({ field: 'tags', message: 'must be an array of strings' });
  }

  const output = optionalString('output');
  const hostname = optionalString('hostname');
  const source = optionalString('source');

  if (issues.length > 0 || priority === undefined || !isPlainObject(fields)) {
    return { ok: false, issues };
  }
  const outputFields: Record<string, unknown> = { ...fields };
  for (const key of STRINGIFIED_FIELDS) {
    const value = outputFields[key];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      outputFields[key] = JSON.stringify(value);
    }
  }
  return {
    ok: true,
    value: {
      time: time as string,
      rule: rule as string,
      priority,
      source: rule === 'Test rule' ? 'internal' : source || 'syscalls',
      output,
      output_fields: outputFields,
      tags,
      hostname,
    },
  };
}
