import type { Alert } from '@harrier/alert';
import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, parseExportRequest } from './alert-export.js';
import { ValidationFailedError } from './alerts.errors.js';

describe('csvCell', () => {
  it('defuses text a spreadsheet would run as a formula', () => {
    expect(['=1+1', '+cmd', '-2', '@SUM(A1)', '\tx'].map(csvCell)).toEqual([
      "'=1+1",
      "'+cmd",
      "'-2",
      "'@SUM(A1)",
      "'\tx",
    ]);
  });

  it('quotes cells with quotes, commas or newlines, doubling quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"\nbye')).toBe('"say ""hi""\nbye"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('plain')).toBe('plain');
  });
});

describe('csvRow', () => {
  it('writes the columns in order with namespace, pod and tags taken from the alert', () => {
    const alert: Alert = {
      id: '01J00000000000000000000001',
      time: '2026-01-01T00:00:00Z',
      rule: 'Shell',
      priority: 'Notice',
      source: 'syscall',
      output: '=cmd|evil',
      output_fields: { 'k8s.ns.name': 'prod', 'k8s.pod.name': 'web-1' },
      tags: ['a', 'b'],
      hostname: 'node',
    };
    expect(csvRow(alert)).toBe(
      "01J00000000000000000000001,2026-01-01T00:00:00Z,Notice,Shell,syscall,node,prod,web-1,a b,'=cmd|evil," +
        '"{""k8s.ns.name"":""prod"",""k8s.pod.name"":""web-1""}"\r\n',
    );
  });
});

describe('parseExportRequest', () => {
  it('takes the format and the filter, JSON by default', () => {
    expect(parseExportRequest({ format: 'csv', namespace: 'prod' })).toMatchObject({
      format: 'csv',
      filter: { namespace: ['prod'] },
    });
    expect(parseExportRequest({}).format).toBe('json');
  });

  it('names every bad field: format, paging, filter', () => {
    let caught: unknown;
    try {
      parseExportRequest({ format: 'xml', limit: '5', priority: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationFailedError);
    expect((caught as ValidationFailedError).issues.map((issue) => issue.field)).toEqual([
      'format',
      'limit',
      'priority',
    ]);
  });
});
