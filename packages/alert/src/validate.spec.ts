import { describe, expect, it } from 'vitest';
import { isRfc3339, validateFalcoAlert } from './validate.js';

const valid = {
  output: '16:31:56.746609046: Error File below a known binary directory opened for writing (user=root)',
  hostname: 'localhost',
  priority: 'Error',
  rule: 'Write below binary dir',
  time: '2019-05-17T15:31:56.746609046Z',
  output_fields: { 'evt.time': 1507591916746609, 'fd.name': '/bin/hack', 'user.name': 'root' },
  source: 'syscall',
  tags: ['mitre_persistence', 'filesystem'],
  uuid: 'ignored',
};

describe('validateFalcoAlert', () => {
  it('accepts the body Falco posts and normalises it', () => {
    const result = validateFalcoAlert(valid);
    expect(result).toEqual({
      ok: true,
      value: {
        time: valid.time,
        rule: valid.rule,
        priority: 'Error',
        source: 'syscall',
        output: valid.output,
        output_fields: valid.output_fields,
        tags: ['filesystem', 'mitre_persistence'],
        hostname: 'localhost',
      },
    });
  });

  it.each([
    ['error', 'Error'],
    ['CRITICAL', 'Critical'],
    ['info', 'Informational'],
    ['Informational', 'Informational'],
    [' warning ', 'Warning'],
  ])('reads priority %j as %s', (input, expected) => {
    const result = validateFalcoAlert({ ...valid, priority: input });
    expect(result.ok && result.value.priority).toBe(expected);
  });

  it('defaults source to syscalls and forces internal for the test rule, as falcosidekick does', () => {
    const { source: _source, ...noSource } = valid;
    const r1 = validateFalcoAlert(noSource);
    expect(r1.ok && r1.value.source).toBe('syscalls');
    const r2 = validateFalcoAlert({ ...valid, rule: 'Test rule' });
    expect(r2.ok && r2.value.source).toBe('internal');
  });

  it('stringifies non-string k8s names instead of failing (falcosidekick panics on them)', () => {
    const result = validateFalcoAlert({ ...valid, output_fields: { 'k8s.ns.name': 7, 'k8s.pod.name': ['a'] } });
    expect(result.ok && result.value.output_fields).toEqual({ 'k8s.ns.name': '7', 'k8s.pod.name': '["a"]' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['missing priority', { priority: undefined }, 'priority'],
    ['unknown priority', { priority: 'Severe' }, 'priority'],
    ['numeric priority', { priority: 5 }, 'priority'],
    ['empty rule', { rule: '' }, 'rule'],
    ['blank rule', { rule: '   ' }, 'rule'],
    ['non-string rule', { rule: 42 }, 'rule'],
    ['null time', { time: null }, 'time'],
    ['date without time', { time: '2019-05-17' }, 'time'],
    ['impossible date', { time: '2019-02-30T10:00:00Z' }, 'time'],
    ['missing zone', { time: '2019-05-17T15:31:56' }, 'time'],
    ['missing output_fields', { output_fields: undefined }, 'output_fields'],
    ['empty output_fields', { output_fields: {} }, 'output_fields'],
    ['array output_fields', { output_fields: ['a'] }, 'output_fields'],
    ['non-string tags', { tags: [1, 2] }, 'tags'],
    ['numeric hostname', { hostname: 3 }, 'hostname'],
  ])('rejects %s naming the field', (_what, override, field) => {
    const result = validateFalcoAlert({ ...valid, ...override });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.field)).toEqual([field]);
  });

  it('names every bad field at once', () => {
    const result = validateFalcoAlert({ rule: '', priority: 'x', time: 'y', output_fields: null });
    expect(!result.ok && result.issues.map((i) => i.field)).toEqual(['priority', 'rule', 'time', 'output_fields']);
  });

  it('takes empty or missing output_fields when fields will be added (customfields), as falcosidekick does', () => {
    for (const output_fields of [undefined, {}]) {
      const result = validateFalcoAlert({ ...valid, output_fields }, { fieldsAdded: true });
      expect(result.ok && result.value.output_fields).toEqual({});
    }
    expect(validateFalcoAlert({ ...valid, output_fields: ['a'] }, { fieldsAdded: true }).ok).toBe(false);
  });

  it.each([null, [], 'text', 42])('rejects a body that is not an object: %j', (body) => {
    const result = validateFalcoAlert(body);
    expect(!result.ok && result.issues[0]!.field).toBe('(body)');
  });
});

describe('isRfc3339', () => {
  it.each([
    '2024-05-17T15:31:56Z',
    '2024-05-17T15:31:56.123456789Z',
    '2024-05-17t15:31:56+02:00',
    '2024-02-29T00:00:00-05:30',
  ])('accepts %s', (t) => expect(isRfc3339(t)).toBe(true));
  it.each(['2024-05-17 15:31:56Z', '2023-02-29T00:00:00Z', '2024-05-17T24:00:00Z', '2024-05-17T15:31:56+25:00', 'now'])(
    'rejects %s',
    (t) => expect(isRfc3339(t)).toBe(false),
  );
});
