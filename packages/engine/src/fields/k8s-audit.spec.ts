import { describe, expect, it } from 'vitest';
import { K8S_AUDIT_FIELDS } from './k8s-audit.js';
import { caseEvent, caseFiles } from '../testing/cases.js';
import { parseCondition } from '../parser.js';
import { lookupField } from '../compile.js';

interface FieldFile {
  event: unknown;
  cases: Array<{ field: string; value: unknown }>;
}

function extract(text: string, payload: unknown): unknown {
  const expr = parseCondition(`${text} exists`);
  if (expr.kind !== 'check' || expr.left.kind !== 'field') throw new Error('shape');
  const { lookup, arg } = lookupField(expr.left, K8S_AUDIT_FIELDS);
  const value = lookup.def.bind(arg)(caseEvent(payload));
  return typeof value === 'bigint' ? Number(value) : (value ?? null);
}

describe.each(caseFiles<FieldFile>('fields'))('k8s_audit fields in %s', (_file, { event, cases }) => {
  it.each(cases)('$field', ({ field, value }) => {
    expect(extract(field, event)).toEqual(value);
  });
});

describe('the k8s_audit registry', () => {
  it('has every ka.* field of the reference (100) and the jevt/json fields', () => {
    const names = K8S_AUDIT_FIELDS.fields().map((f) => f.name);
    expect(names.filter((n) => n.startsWith('ka.'))).toHaveLength(100);
    expect(names).toEqual(expect.arrayContaining(['jevt.value', 'jevt.obj', 'jevt.rawtime', 'json.value']));
  });

  it('marks list fields and describes every field', () => {
    for (const def of K8S_AUDIT_FIELDS.fields()) expect(def.desc, def.name).not.toBe('');
    const lists = K8S_AUDIT_FIELDS.fields()
      .filter((f) => f.list)
      .map((f) => f.name);
    expect(lists).toEqual(
      expect.arrayContaining(['ka.user.groups', 'ka.req.pod.containers.image', 'ka.req.role.rules']),
    );
    expect(lists).not.toContain('ka.req.pod.host_network');
  });

  it('pretty-prints jevt.obj with a two-space indent', () => {
    expect(extract('jevt.obj', { a: [1], b: 'x' })).toBe('{\n  "a": [\n    1\n  ],\n  "b": "x"\n}');
  });
});
