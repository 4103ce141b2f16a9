/** Test helper: reads the data-driven case files under packages/engine/cases. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { EngineEvent } from '../fields/types.js';
import { parseRfc3339 } from '../fields/time.js';

export const CASES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../cases');

/** Every `*.yaml` file of a case group, parsed, with its file name. */
export function caseFiles<T>(group: string): Array<[string, T]> {
  const dir = path.join(CASES_DIR, group);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f, parse(readFileSync(path.join(dir, f), 'utf8')) as T]);
}

export const DEFAULT_TIME_NS = 1_714_557_600_000_000_000n;

/** An event for the engine from a case's payload; an audit payload's `stageTimestamp` gives its time. */
export function caseEvent(payload: unknown): EngineEvent {
  const stamp = (payload as { stageTimestamp?: unknown } | null)?.stageTimestamp;
  const timeNs = typeof stamp === 'string' ? (parseRfc3339(stamp) ?? DEFAULT_TIME_NS) : DEFAULT_TIME_NS;
  return { timeNs, payload };
}
