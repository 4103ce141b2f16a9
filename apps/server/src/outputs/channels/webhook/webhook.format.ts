/**
 * The webhook body: the alert as falcosidekick serialises its event (Go's encoding/json over types.FalcoPayload),
 * so receivers written for falcosidekick parse it unchanged, byte for byte where it matters.
 */
import type { Alert } from '@harrier/alert';
import { goRfc3339Nano } from '../shared/go-time.js';

/**
 * Go marshals maps with sorted keys, at every depth. Falco's own JSON has them sorted already, so what is sorted
 * and flat is passed through as it is, without a copy.
 */
function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.some(isObject) ? value.map(sortKeys) : value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let inOrder = true;
  for (let i = 0; i < keys.length && inOrder; i++) {
    inOrder = (i === 0 || keys[i - 1]! < keys[i]!) && !isObject(record[keys[i]!]);
  }
  if (inOrder) return record;
  return Object.fromEntries(keys.sort().map((k) => [k, sortKeys(record[k])]));
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object';
}

/** encoding/json's HTML-safe escaping of `<`, `>`, `&`, U+2028 and U+2029. */
function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Keys in falcosidekick's order: uuid (the hub's alert id), output, priority, rule, time, output_fields, source,
 * tags and hostname (both omitted when empty); ends with a newline, as json.Encoder does.
 */
export function webhookBody(alert: Alert): string {
  const event = {
    uuid: alert.id,
    output: alert.output,
    priority: alert.priority,
    rule: alert.rule,
    time: goRfc3339Nano(alert.time),
    output_fields: sortKeys(alert.output_fields),
    source: alert.source,
    ...(alert.tags.length > 0 ? { tags: alert.tags } : {}),
    ...(alert.hostname !== '' ? { hostname: alert.hostname } : {}),
  };
  return `${goEscape(JSON.stringify(event))}\n`;
}
