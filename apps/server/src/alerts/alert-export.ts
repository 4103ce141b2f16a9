/**
 * Export of the filtered alerts as CSV, a JSON array or JSON lines: the store's pages read one after another and
 * written out as they come, so an export of any size holds one page in memory.
 */
import {
  alertNamespace,
  alertPod,
  MAX_LIMIT,
  parseAlertQuery,
  type Alert,
  type AlertFilter,
  type FieldIssue,
  type QueryParams,
} from '@harrier/alert';
import { Inject, Injectable } from '@nestjs/common';
import { ALERT_STORE, type AlertStore } from './alert.store.js';
import { ValidationFailedError } from './alerts.errors.js';

export const EXPORT_FORMATS = ['csv', 'json', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

const CSV_COLUMNS = [
  'id',
  'time',
  'priority',
  'rule',
  'source',
  'hostname',
  'namespace',
  'pod',
  'tags',
  'output',
  'output_fields',
] as const;

/** Cells a spreadsheet would read as a formula (OWASP CSV injection) start with one of these. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: formula-like text defused with a leading `'`, then quoted when it holds a quote, comma or newline. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvRow(alert: Alert): string {
  const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
    id: alert.id,
    time: alert.time,
    priority: alert.priority,
    rule: alert.rule,
    source: alert.source,
    hostname: alert.hostname,
    namespace: alertNamespace(alert) ?? '',
    pod: alertPod(alert) ?? '',
    tags: alert.tags.join(' '),
    output: alert.output,
    output_fields: JSON.stringify(alert.output_fields),
  };
  return `${CSV_COLUMNS.map((column) => csvCell(cells[column])).join(',')}\r\n`;
}

export interface ExportRequest {
  format: ExportFormat;
  filter: AlertFilter;
}

/** `format` plus the alert filter; paging parameters make no sense for an export and are refused. */
export function parseExportRequest(params: QueryParams): ExportRequest {
  const { format = 'json', ...filterParams } = params;
  const issues: FieldIssue[] = [];
  if (typeof format !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
    issues.push({ field: 'format', message: `must be one of ${EXPORT_FORMATS.join(', ')}` });
  }
  for (const name of ['limit', 'cursor'] as const) {
    if (filterParams[name] !== undefined) issues.push({ field: name, message: 'not accepted: an export is not paged' });
  }
  const query = parseAlertQuery(filterParams);
  if (!query.ok) issues.push(...query.issues);
  if (issues.length > 0 || !query.ok) throw new ValidationFailedError('query', issues);
  return { format: format as ExportFormat, filter: query.value.filter };
}

@Injectable()
export class AlertExportService {
  constructor(@Inject(ALERT_STORE) private readonly store: AlertStore) {}

  /** The export's text in chunks (one per store page), newest alert first. */
  async *export({ format, filter }: ExportRequest): AsyncGenerator<string> {
    if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\r\n`;
    if (format === 'json') yield '[';
    let first = true;
    let cursor: string | undefined;
    do {
      const page = await this.store.query({ filter, limit: MAX_LIMIT, ...(cursor ? { cursor } : {}) });
      let chunk = '';
      for (const alert of page.alerts) {
        if (format === 'csv') chunk += csvRow(alert);
        else if (format === 'ndjson') chunk += `${JSON.stringify(alert)}\n`;
        else chunk += `${first ? '\n' : ',\n'}${JSON.stringify(alert)}`;
        first = false;
      }
      if (chunk !== '') yield chunk;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    if (format === 'json') yield first ? ']\n' : '\n]\n';
  }
}
