import type { FalcoAlert } from '@harrier/alert';
import type { HarrierConfig } from '../config/config.schema.js';

/** falcosidekick's enrichment: custom fields overwrite output fields, custom tags join the tags (sorted, once). */
export function enrich(alert: FalcoAlert, { customFields, customTags }: HarrierConfig['enrichment']): FalcoAlert {
  if (Object.keys(customFields).length === 0 && customTags.length === 0) return alert;
  return {
    ...alert,
    output_fields: { ...alert.output_fields, ...customFields },
    tags: [...new Set([...alert.tags, ...customTags])].sort(),
  };
}
