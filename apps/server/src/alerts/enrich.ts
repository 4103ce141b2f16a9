/**
 * falcosidekick's enrichment, in its order: custom fields overwrite output fields; templated fields are Go templates
 * run over those output fields (custom fields included), each result stored as a string (a missing key renders
 * `<no value>`; an execution error keeps what was rendered); custom tags join the tags (sorted, once).
 */
import type { FalcoAlert } from '@harrier/alert';
import { compileGoTemplate } from '../common/go-template.js';
import type { HarrierConfig } from '../config/config.schema.js';

export interface Enricher {
  enrich(alert: FalcoAlert): FalcoAlert;
  /** Whether it adds output fields to every alert (falcosidekick checks that an alert has some only after). */
  readonly addsFields: boolean;
}

/** Compiles the templates once (the config was checked when it loaded). */
export function createEnricher({ customFields, templatedFields, customTags }: HarrierConfig['enrichment']): Enricher {
  const templates = Object.entries(templatedFields).map(([key, source]) => [key, compileGoTemplate(source)] as const);
  const addsFields = Object.keys(customFields).length > 0 || templates.length > 0;
  if (!addsFields && customTags.length === 0) return { enrich: (alert) => alert, addsFields };
  return {
    addsFields,
    enrich: (alert) => {
      const fields: Record<string, unknown> = { ...alert.output_fields, ...customFields };
      // Every template sees the same fields, whatever order the keys come in.
      const rendered = templates.map(([key, template]) => [key, template.execute(fields)] as const);
      return {
        ...alert,
        output_fields: { ...fields, ...Object.fromEntries(rendered) },
        tags: [...new Set([...alert.tags, ...customTags])].sort(),
      };
    },
  };
}
