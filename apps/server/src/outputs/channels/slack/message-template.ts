/**
 * The part of Go's text/template that falcosidekick users write in `slack.messageformat`, over the alert:
 *
 *   template := ( text | action )*
 *   action   := "{{" ["- "] ( comment | field | index ) [" -"] "}}"
 *   comment  := "/*" ... "*\/"
 *   field    := "." ( "UUID" | "Output" | "Priority" | "Rule" | "Time" | "OutputFields" | "Source" | "Tags" | "Hostname" )
 *   index    := "index" ".OutputFields" string          string := Go "quoted" or `raw`
 *
 * Anything else is rejected when the config is validated, instead of falcosidekick's silent "never sent".
 */
import type { Alert } from '@harrier/alert';
import { goTimeString } from '../shared/go-time.js';

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

type Part = { kind: 'text'; value: string } | { kind: 'field'; name: FieldName } | { kind: 'index'; key: string };

const FIELD_NAMES = [
  'UUID',
  'Output',
  'Priority',
  'Rule',
  'Time',
  'OutputFields',
  'Source',
  'Tags',
  'Hostname',
] as const;
type FieldName = (typeof FIELD_NAMES)[number];

const SUPPORTED = `{{ .Rule }}, {{ .Priority }}, {{ .Output }}, {{ .Time }}, {{ .Source }}, {{ .Hostname }}, {{ .Tags }}, {{ .OutputFields }}, {{ .UUID }}, {{ index .OutputFields "key" }}`;

/** Go prints a missing map entry (and a nil value) like this. */
export const NO_VALUE = '<no value>';

const FIELD = /^\.([A-Za-z_][A-Za-z0-9_]*)$/;
const INDEX = /^index\s+\.OutputFields\s+("(?:[^"\\\n]|\\.)*"|`[^`]*`)$/;

function parseAction(body: string, offset: number): Part | undefined {
  if (body.startsWith('/*')) {
    if (!body.endsWith('*/')) throw new TemplateError(`unclosed comment at offset ${offset}`);
    return undefined;
  }
  const field = FIELD.exec(body);
  if (field) {
    const name = field[1] as FieldName;
    if (!FIELD_NAMES.includes(name)) {
      throw new TemplateError(
        `unknown field ".${field[1]}" at offset ${offset}; an alert has ${FIELD_NAMES.map((f) => `.${f}`).join(', ')}`,
      );
    }
    return { kind: 'field', name };
  }
  const index = INDEX.exec(body);
  if (index) {
    const literal = index[1]!;
    let key: string;
    try {
      key = literal.startsWith('`') ? literal.slice(1, -1) : (JSON.parse(literal) as string);
    } catch {
      throw new TemplateError(`bad string ${literal} at offset ${offset}`);
    }
    return { kind: 'index', key };
  }
  const shown = body.length > 60 ? `${body.slice(0, 60)}…` : body;
  throw new TemplateError(`unsupported action "{{ ${shown} }}" at offset ${offset}; supported: ${SUPPORTED}`);
}

function parse(source: string): Part[] {
  const parts: Part[] = [];
  let text = '';
  let pos = 0;
  while (pos < source.length) {
    const open = source.indexOf('{{', pos);
    if (open === -1) {
      text += source.slice(pos);
      break;
    }
    text += source.slice(pos, open);
    const close = source.indexOf('}}', open + 2);
    if (close === -1) throw new TemplateError(`unclosed action "{{" at offset ${open}`);
    let body = source.slice(open + 2, close);
    let next = close + 2;
    // Go's trim markers need a space next to the dash: "{{- " and " -}}".
    if (/^-\s/.test(body)) {
      body = body.slice(1);
      text = text.replace(/\s+$/, '');
    }
    let trimAfter = false;
    if (/\s-$/.test(body)) {
      body = body.slice(0, -1);
      trimAfter = true;
    }
    const part = parseAction(body.trim(), open);
    if (text !== '') parts.push({ kind: 'text', value: text });
    text = '';
    if (part) parts.push(part);
    if (trimAfter) {
      while (next < source.length && /\s/.test(source[next]!)) next++;
    }
    pos = next;
  }
  if (text !== '') parts.push({ kind: 'text', value: text });
  return parts;
}

/** Go's `%v` of a decoded JSON value; objects and arrays inside fields as compact JSON. */
function goValue(value: unknown): string {
  if (value === undefined || value === null) return NO_VALUE;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

function fieldValue(alert: Alert, name: FieldName): string {
  switch (name) {
    case 'UUID':
      return alert.id;
    case 'Output':
      return alert.output;
    case 'Priority':
      return alert.priority;
    case 'Rule':
      return alert.rule;
    case 'Time':
      return goTimeString(alert.time);
    case 'Source':
      return alert.source;
    case 'Hostname':
      return alert.hostname;
    case 'Tags':
      return `[${alert.tags.join(' ')}]`;
    case 'OutputFields': {
      const keys = Object.keys(alert.output_fields).sort();
      return `map[${keys.map((k) => `${k}:${goValue(alert.output_fields[k])}`).join(' ')}]`;
    }
  }
}

export interface MessageTemplate {
  /** Renders over an alert; `escape` is applied to every value taken from the alert, never to the template's own text. */
  render(alert: Alert, escape: (value: string) => string): string;
}

/** Parses once; throws TemplateError with the offset of the first problem. */
export function compileMessageTemplate(source: string): MessageTemplate {
  const parts = parse(source);
  return {
    render(alert, escape) {
      return parts
        .map((part) => {
          switch (part.kind) {
            case 'text':
              return part.value;
            case 'field':
              return escape(fieldValue(alert, part.name));
            case 'index':
              return escape(
                Object.hasOwn(alert.output_fields, part.key) ? goValue(alert.output_fields[part.key]) : NO_VALUE,
              );
          }
        })
        .join('');
    },
  };
}
