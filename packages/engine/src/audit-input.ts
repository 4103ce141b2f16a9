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

/** Why a body yielded no audit event at all: the answer to give its sender (a 400's message). */
export function describeNoAuditEvents(problems: readonly AuditInputProblem[]): string {
  if (problems.length === 0) {
    return 'The body holds no Kubernetes audit event (expected an audit.k8s.io/v1 EventList, an Event, an array or JSON lines)';
  }
  const reasons = problems
    .slice(0, 5)
    .map((p) => (p.line === undefined ? p.message : `line ${p.line}: ${p.message}`))
    .join('; ');
  return `The body holds no usable Kubernetes audit event: ${reasons}`;
}
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * How many times longer than its source text an event's compact serialisation can be, in UTF-8 bytes: 3 for
 * characters outside ASCII, and exponent notation (`1e20`) prints longer still, at most 6 times.
 */
const MAX_GROWTH = 6;
/** Events whose source text is at most this long need no size check. */
const SMALL_SOURCE_CHARS = Math.floor(LIMITS.maxAuditEventBytes / MAX_GROWTH);

/**
 * The events of one JSON value. An array with any unrecognised element is discarded whole, valid elements
 * included, as upstream does. `sizeKnownSmall` skips the size check when the caller knows the text was small;
 * `text`, the value's source, lets it skip the check for each event whose own text is small.
 */
export function auditEventsFromJson(value: Json, line?: number, sizeKnownSmall = false, text?: string): AuditInput {
  const result: AuditInput = { events: [], problems: [] };
  const problem = (message: string): void => {
    result.problems.push(line === undefined ? { message } : { line, message });
  };
  const candidates: Array<Record<string, Json>> = [];
  if (!collect(value, candidates)) {
    problem(NOT_RECOGNIZED);
    return result;
  }
  const sourceLengths = sizeKnownSmall || text === undefined ? undefined : eventSourceLengths(value, candidates, text);
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i]!;
    const stamp = candidate['stageTimestamp'];
    const timeNs = typeof stamp === 'string' ? parseRfc3339(stamp) : undefined;
    if (timeNs === undefined) {
      problem("can't read stageTimestamp");
      continue;
    }
    // Serialising every event again to measure it would cost more than parsing the body did.
    const small = sizeKnownSmall || (sourceLengths !== undefined && sourceLengths[i]! <= SMALL_SOURCE_CHARS);
    if (!small) {
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

/**
 * The length of each candidate's source text, when the value is a plain list of events (an `EventList` of objects,
 * or an array of `Event`s) so that candidates and the list's elements correspond; otherwise undefined.
 */
function eventSourceLengths(
  value: Json,
  candidates: readonly Record<string, Json>[],
  text: string,
): number[] | undefined {
  const list = Array.isArray(value)
    ? value.every((v) => isObject(v) && v['kind'] === 'Event')
      ? value
      : undefined
    : isObject(value) && value['kind'] === 'EventList' && Array.isArray(value['items'])
      ? value['items'].every(isObject)
        ? value['items']
        : undefined
      : undefined;
  if (list === undefined || list.length !== candidates.length) return undefined;
  const lengths = listElementLengths(text);
  return lengths?.length === candidates.length ? lengths : undefined;
}

/**
 * The source length of each element of a JSON text's event list: the top-level array, or the top-level object's
 * `items` array. A structural scan (strings skipped whole), far cheaper than serialising each element again;
 * undefined when the text is not shaped so. The text is known to be valid JSON (it was parsed).
 */
export function listElementLengths(text: string): number[] | undefined {
  const n = text.length;
  let i = 0;
  const skipSpace = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++i));
  };
  /** From an opening quote to just after the closing one. */
  const skipString = () => {
    for (let from = i + 1; ;) {
      const quote = text.indexOf('"', from);
      if (quote < 0) {
        i = n;
        return;
      }
      let backslashes = 0;
      while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
      from = quote + 1;
      if (backslashes % 2 === 0) {
        i = from;
        return;
      }
    }
  };
  const skipValue = () => {
    const first = text.charCodeAt(i);
    if (first === 34) return skipString();
    if (first !== 123 && first !== 91) {
      for (let c = first; i < n && c !== 44 && c !== 125 && c !== 93 && c > 32; c = text.charCodeAt(++i));
      return;
    }
    let depth = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        skipString();
        continue;
      }
      i++;
      if (c === 123 || c === 91) depth++;
      else if ((c === 125 || c === 93) && --depth === 0) return;
    }
  };
  const elements = (): number[] => {
    const lengths: number[] = [];
    i++;
    skipSpace();
    if (text.charCodeAt(i) === 93) {
      i++;
      return lengths;
    }
    for (;;) {
      skipSpace();
      const start = i;
      skipValue();
      lengths.push(i - start);
      skipSpace();
      if (text.charCodeAt(i++) !== 44) return lengths;
    }
  };
  skipSpace();
  if (text.charCodeAt(i) === 91) return elements();
  if (text.charCodeAt(i) !== 123) return undefined;
  i++;
  let found: number[] | undefined;
  for (skipSpace(); i < n && text.charCodeAt(i) === 34; skipSpace()) {
    const keyStart = i;
    skipString();
    const key = text.slice(keyStart, i);
    // JSON.parse keeps the last of duplicate keys, and an escaped key may spell `items`: trust only one plain one.
    if (key.includes('\\') || (key === '"items"' && found !== undefined)) return undefined;
    skipSpace();
    i++; // the colon
    skipSpace();
    if (key === '"items"' && text.charCodeAt(i) === 91) found = elements();
    else skipValue();
    skipSpace();
    if (text.charCodeAt(i++) !== 44) return found;
  }
  return found;
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
  return auditEventsFromJson(whole, undefined, false, trimmed);
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
  const small = line.length <= SMALL_SOURCE_CHARS;
  if (small && isObject(value) && value['kind'] === 'Event') {
    // The common case, without the general path's intermediate arrays.
    const stamp = value['stageTimestamp'];
    const timeNs = typeof stamp === 'string' ? parseRfc3339(stamp) : undefined;
    if (timeNs !== undefined) return { events: [{ timeNs, payload: value }], problems: [] };
  }
  return auditEventsFromJson(value, number, small, line);
}
