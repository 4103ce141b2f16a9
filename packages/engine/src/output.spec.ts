import { describe, expect, it } from 'vitest';
import { ConditionError } from './errors.js';
import { K8S_AUDIT_FIELDS } from './fields/k8s-audit.js';
import { SYSCALL_FIELDS } from './fields/syscall.js';
import { compileOutput, renderOutput } from './output.js';
import { caseEvent } from './testing/cases.js';

const event = caseEvent({
  auditID: 'a',
  verb: 'create',
  user: { username: 'alice' },
  objectRef: { resource: 'pods', name: 'web' },
  responseStatus: { code: 201 },
  requestObject: { spec: { containers: [{ image: 'nginx' }, { image: 'redis' }] } },
  stageTimestamp: '2024-05-01T10:00:00.5Z',
});

const render = (format: string, fields = K8S_AUDIT_FIELDS) => renderOutput(compileOutput(format, fields), event);

function failure(format: string, fields = K8S_AUDIT_FIELDS): { message: string; at: number } {
  try {
    compileOutput(format, fields);
  } catch (error) {
    if (error instanceof ConditionError) return { message: error.message, at: error.start };
    throw error;
  }
  throw new Error('compiled');
}

describe('output formats', () => {
  it.each([
    ['user=%ka.user.name verb=%ka.verb', 'user=alice verb=create'],
    ['%ka.target.name/%ka.target.resource', 'web/pods'],
    ['%ka.user.namex', 'alicex'],
    ['code=%ka.response.code', 'code=201'],
    ['images=%ka.req.pod.containers.image', 'images=(nginx,redis)'],
    ['first=%ka.req.pod.containers.image[0]', 'first=(nginx)'],
    ['missing=%ka.target.subresource', 'missing=<NA>'],
    ['stage=%jevt.value[/stage]', 'stage=<NA>'],
    ['[%8ka.verb] [%3ka.verb]', '[create  ] [cre]'],
    ['%toupper(ka.verb)', 'CREATE'],
    ['at %evt.time', 'at 10:00:00.500000000'],
    ['100 percent, no tokens', '100 percent, no tokens'],
  ])('%s', (format, text) => {
    expect(render(format).text).toBe(text);
  });

  it('names output_fields as written, null when missing, arrays for lists, the inner field for a transformer', () => {
    expect(
      render('%ka.user.name %ka.req.pod.containers.image %ka.target.subresource %toupper(ka.verb) %jevt.value[/verb]')
        .fields,
    ).toEqual({
      'ka.user.name': 'alice',
      'ka.req.pod.containers.image': ['nginx', 'redis'],
      'ka.target.subresource': null,
      'ka.verb': 'create',
      'jevt.value[/verb]': 'create',
    });
  });

  it('keeps output_fields keys sorted', () => {
    expect(compileOutput('%ka.verb %ka.auditid %jevt.rawtime', K8S_AUDIT_FIELDS).keys).toEqual([
      'jevt.rawtime',
      'ka.auditid',
      'ka.verb',
    ]);
  });

  it('truncates a long list at 1023 bytes', () => {
    const many = caseEvent({ auditID: 'a', user: { groups: Array.from({ length: 500 }, (_, i) => `group-${i}`) } });
    const { text } = renderOutput(compileOutput('%ka.user.groups', K8S_AUDIT_FIELDS), many);
    expect(text.length).toBeLessThanOrEqual(1025);
    expect(text.startsWith('(group-0,group-1,')).toBe(true);
    expect(text.endsWith(')')).toBe(true);
  });

  it('removes the deprecated %container.info with a warning', () => {
    const output = compileOutput('shell=%proc.name %container.info parent=%proc.pname', SYSCALL_FIELDS);
    expect(output.warnings.map((w) => w.code)).toEqual(['LOAD_DEPRECATED_ITEM']);
    expect(renderOutput(output, caseEvent({ 'proc.name': 'bash' })).text).toBe('shell=bash  parent=<NA>');
  });

  it.each([
    ['ends with %', { message: 'formatting cannot end with a %', at: 10 }],
    ['%(ka.verb)', { message: 'invalid formatting token', at: 0 }],
    ['x=%ka.nope', { message: 'unknown filter: ka.nope', at: 3 }],
    ['%jevt.value', { message: "field 'jevt.value' requires an argument but none provided", at: 1 }],
  ])('rejects %s', (format, expected) => {
    expect(failure(format)).toEqual(expected);
  });
});
