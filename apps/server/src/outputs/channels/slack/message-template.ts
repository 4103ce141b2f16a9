/**
 * `slack.messageformat`: a Go text/template (`common/go-template.ts`) over the alert as falcosidekick hands it to
 * the template, with Go's field names. A template that does not parse, or names a field an alert does not have, is
 * refused when the config is validated, instead of falcosidekick's silent "never sent".
 */
import type { Alert } from '@harrier/alert';
import { compileGoTemplate } from '../../../common/go-template.js';
import { goTimeString } from '../shared/go-time.js';

export { NO_VALUE, TemplateError } from '../../../common/go-template.js';

const FIELD_NAMES = ['UUID', 'Output', 'Priority', 'Rule', 'Time', 'OutputFields', 'Source', 'Tags', 'Hostname'];

/** The alert as the template sees it: falcosidekick's `types.FalcoPayload` field names. */
function templateData(alert: Alert): Record<string, unknown> {
  return {
    UUID: alert.id,
    Output: alert.output,
    Priority: alert.priority,
    Rule: alert.rule,
    Time: goTimeString(alert.time),
    OutputFields: alert.output_fields,
    Source: alert.source,
    Tags: alert.tags,
    Hostname: alert.hostname,
  };
}

export interface MessageTemplate {
  /**
   * Renders over an alert; `escape` is applied to every value taken from the alert, never to the template's own
   * text. Empty when executing fails (a field of a text, a comparison of a number and a text): falcosidekick then
   * sends no text either.
   */
  render(alert: Alert, escape: (value: string) => string): string;
}

/** Parses once; throws TemplateError with the offset of the first problem. */
export function compileMessageTemplate(source: string): MessageTemplate {
  const template = compileGoTemplate(source, { rootFields: FIELD_NAMES });
  return {
    render: (alert, escape) => {
      const { text, failed } = template.run(templateData(alert), escape);
      return failed ? '' : text;
    },
  };
}
