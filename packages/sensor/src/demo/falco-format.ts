/** Falco's output conventions, as far as the demo needs them: `%field` substitution and its two clocks. */

/** A field value as Falco's JSON carries it: text, a number, a list of texts, or null when missing. */
export type FieldValue = string | number | readonly string[] | null;

/** `%field` or `%field[arg]`, e.g. `%proc.aname[2]`, `%jevt.value[/requestObject/spec/volumes]`. */
const TOKEN = /%([A-Za-z_][\w.]*(?:\[[^\]]*\])?)/g;

/**
 * Substitutes every `%field` in `format`, and gives the `output_fields` entry for each one, keyed as written.
 * As Falco prints: a missing value is `<NA>`, a list is `(a,b)`.
 */
export function renderOutput(
  format: string,
  values: Readonly<Record<string, FieldValue>>,
): { text: string; fields: Record<string, FieldValue> } {
  const fields: Record<string, FieldValue> = {};
  const text = format.replace(TOKEN, (_, field: string) => {
    const value = values[field] ?? null;
    fields[field] = value;
    if (value === null) return '<NA>';
    return Array.isArray(value) ? `(${value.join(',')})` : String(value);
  });
  return { text, fields };
}

/** An instant with Falco's nanosecond precision. */
export interface FalcoInstant {
  epochMs: number;
  /** Nanoseconds within the millisecond, 0–999999. */
  nanos: number;
}

/** The alert's `time`: RFC 3339 in UTC with nine fractional digits. */
export function rfc3339Nanos({ epochMs, nanos }: FalcoInstant): string {
  return new Date(epochMs).toISOString().replace(/Z$/, `${String(nanos).padStart(6, '0')}Z`);
}

/** The text line's `HH:MM:SS.nnnnnnnnn` (Falco prints host time; the demo's hosts run on UTC). */
export function clockNanos(instant: FalcoInstant): string {
  return rfc3339Nanos(instant).slice(11, 29);
}

/** `evt.time` in nanoseconds; as a JSON number it loses the last digits, as it does for any JSON reader of Falco. */
export function evtTime({ epochMs, nanos }: FalcoInstant): number {
  return epochMs * 1_000_000 + nanos;
}
