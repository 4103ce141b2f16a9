/** One demo alert, exactly as Falco would send it with `json_output: true`. */
import type { FalcoAlert } from '@harrier/alert';
import { clockNanos, evtTime, renderOutput, rfc3339Nanos } from './falco-format.js';
import { integer, pickWeighted, type Random } from './random.js';
import { APPEND_OUTPUT } from '../append-output.js';
import { DEMO_SCENARIOS } from './scenarios.js';

export function createDemoAlert(random: Random, epochMs: number): FalcoAlert {
  const scenario = pickWeighted(random, DEMO_SCENARIOS);
  const instant = { epochMs, nanos: integer(random, 0, 999_999) };
  const { hostname, values } = scenario.occur(random, instant);
  const appended = APPEND_OUTPUT[scenario.source];
  const { text, fields } = renderOutput(scenario.output + appended.output, values);
  for (const field of appended.fields) fields[field] = values[field] ?? null;
  fields['evt.time'] = evtTime(instant);
  // Keys in alphabetical order, at both levels, as Falco's JSON writer puts them.
  return {
    hostname,
    output: `${clockNanos(instant)}: ${scenario.priority} ${text}`,
    output_fields: Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1))),
    priority: scenario.priority,
    rule: scenario.rule,
    source: scenario.source,
    tags: [...scenario.tags],
    time: rfc3339Nanos(instant),
  };
}
