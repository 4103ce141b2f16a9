/** The container image an alert is about, from Falco's syscall fields or an audited pod spec. */
import type { Alert } from '@harrier/alert';

function text(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) {
    const items = value.map(text).filter((item) => item !== undefined);
    return items.length > 0 ? items.join(', ') : undefined;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function alertImage(alert: Pick<Alert, 'output_fields'>): string | undefined {
  const fields = alert.output_fields;
  const repository = text(fields['container.image.repository']);
  if (repository !== undefined) {
    const tag = text(fields['container.image.tag']);
    return tag === undefined ? repository : `${repository}:${tag}`;
  }
  return text(fields['ka.req.pod.containers.image']);
}
