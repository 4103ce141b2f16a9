/**
 * The webhook body: the alert as falcosidekick serialises its event (Go's encoding/json over types.FalcoPayload),
 * so receivers written for falcosidekick parse it unchanged, byte for byte where it matters.
 */
import type { Alert } from '@harrier/alert';
import { goRfc3339Nano } from '../shared/go-time.js';

/** Go marshals maps with sorted keys, at every depth. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((k) => [k, sortKeys(record[k])]),
    );
  }
  return value;
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
