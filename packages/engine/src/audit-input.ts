/**
 * Accepting Kubernetes audit events (k8saudit plugin `source.go`, rules-language.md §12.1): a JSON value is an
 * `Event`, an `EventList` of events, or an array of such values; anything else is reported and skipped. Each event
 * needs a `stageTimestamp`, which becomes its time, and may not exceed the plugin's maximum size.
 */
import type { EngineEvent } from './fields/types.js';
import { parseRfc3339 } from './fields/time.js';
import { LIMITS } from './limits.js';

export interface AuditInputProblem {
  /** 1-based line of JSON-lines input; absent for a whole-document input or a value given directly. */
  line?: number;
  message: string;
}

export interface AuditInput {
  events: EngineEvent[];
  problems: AuditInputProblem[];
}

const NOT_RECOGNIZED = 'data not recognized as a k8s audit event';

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The events of one JSON value. An array with any unrecognised element is discarded whole, valid elements
 * included, as upstream does. `sizeKnownSmall` skips the size check when the caller knows the text was small.
 */
export function auditEventsFromJson(value: Json, line?: number, sizeKnownSmall = false): AuditInput {
  const result: AuditInput = { events: [], problems: [] };
  const problem = (message: string): void => {
    result.problems.push(line === undefined ? { message } : { line, message });
  };
  const candidates: Array<Record<string, Json>> = [];
  if (!collect(value, candidates)) {
    problem(NOT_RECOGNIZED);
    return result;
  }
  for (const candidate of candidates) {
    const stamp = candidate['stageTimestamp'];
    const timeNs = typeof stamp === 'string' ? parseRfc3339(stamp) : undefined;
    if (timeNs === undefined) {
      problem("can't read stageTimestamp");
      continue;
    }
    if (!sizeKnownSmall) {
      const size = Buffer.byteLength(JSON.stringify(candidate));
      if (size > LIMITS.maxAuditEventBytes) {
        problem(`event larger than maxEventSize: size=${size}`);
        continue;
      }
    }
    result.events.push({ timeNs, payload: candidate });
  }
  return result;
}

/** Arrays of arrays of events are accepted this deep; deeper nesting is hostile (it overflowed the stack). */
const MAX_ARRAY_NESTING = 32;

/** Adds the events a value holds to `out`; false when the value (or any part of an array) is not recognised. */
function collect(value: Json, out: Array<Record<string, Json>>, depth = 0): boolean {
  if (Array.isArray(value)) {
    if (depth >= MAX_ARRAY_NESTING) return false;
    const found: Array<Record<string, Json>> = [];
    for (const element of value) if (!collect(element, found, depth + 1)) return false;
    out.push(...found);
    return true;
  }
  if (!isObject(value)) return false;
  if (value['kind'] === 'Event') {
    out.push(value);
    return true;
  }
  if (value['kind'] === 'EventList' && Array.isArray(value['items'])) {
    for (const item of value['items']) if (isObject(item)) out.push(item);
    return true;
  }
  return false;
}

/**
 * Audit events from a text: one JSON document (an `Event`, an `EventList` or an array, possibly pretty-printed),
 * or JSON lines. Malformed and unrecognised lines are reported and skipped; they never stop the input.
 */
export function parseAuditInput(text: string): AuditInput {
  const trimmed = text.trim();
  if (trimmed === '') return { events: [], problems: [] };
  if (!trimmed.includes('\n')) return parseLine(trimmed, 1);
  let whole: Json;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    return parseLines(text);
  }
  return auditEventsFromJson(whole);
}

function parseLines(text: string): AuditInput {
  const result: AuditInput = { events: [], problems: [] };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    const { events, problems } = parseLine(line, i + 1);
    for (const e of events) result.events.push(e);
    for (const p of problems) result.problems.push(p);
  }
  return result;
}

/** One line of JSON-lines input. */
export function parseLine(line: string, number: number): AuditInput {
  let value: Json;
  try {
    value = JSON.parse(line);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { events: [], problems: [{ line: number, message: `malformed JSON: ${reason}` }] };
  }
  // A compact re-serialisation is never longer than its source line, so a short line needs no size check.
  const small = line.length * 3 <= LIMITS.maxAuditEventBytes;
  if (small && isObject(value) && value['kind'] === 'Event') {
    // The common case, without the general path's intermediate arrays.
    const stamp = value['stageTimestamp'];
    const timeNs = typeof stamp === 'string' ? parseRfc3339(stamp) : undefined;
    if (timeNs !== undefined) return { events: [{ timeNs, payload: value }], problems: [] };
  }
  return auditEventsFromJson(value, number, small);
}
