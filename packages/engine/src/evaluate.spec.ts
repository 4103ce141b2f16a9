import { describe, expect, it } from 'vitest';
import { RuleSet } from './evaluate.js';
import { loadRulesText } from './load.js';
import { caseEvent } from './testing/cases.js';

const rules = (...defs: Array<[name: string, condition: string, priority: string, extra?: string]>) =>
  loadRulesText([
    {
      file: 'r.yaml',
      text: defs
        .map(
          ([name, condition, priority, extra = '']) =>
            `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: ${name} by %ka.user.name\n` +
            `  priority: ${priority}\n  source: k8s_audit\n  tags: [z, a]\n${extra}`,
        )
        .join('\n'),
    },
  ]);

const loaded = rules(
  ['pods', 'ka.target.resource=pods', 'WARNING'],
  ['create', 'ka.verb=create', 'INFO'],
  ['anything', 'ka.auditid exists', 'DEBUG'],
  ['off', 'ka.auditid exists', 'CRITICAL', '  enabled: false\n'],
);
const podCreate = caseEvent({ auditID: 'x', verb: 'create', objectRef: { resource: 'pods' }, user: { username: 'u' } });

describe('RuleSet', () => {
  it('loads its test rules cleanly', () => {
    expect(loaded.errors).toEqual([]);
  });

  it('stops at the first matching rule by default, in load order', () => {
    expect(new RuleSet(loaded.rules).match(podCreate, 'k8s_audit').map((r) => r.name)).toEqual(['pods']);
  });

  it('matches every rule with rule matching all; disabled rules never', () => {
    const set = new RuleSet(loaded.rules, { ruleMatching: 'all' });
    expect(set.match(podCreate, 'k8s_audit').map((r) => r.name)).toEqual(['pods', 'create', 'anything']);
  });

  it('skips rules less severe than the minimum priority', () => {
    const set = new RuleSet(loaded.rules, { ruleMatching: 'all', minPriority: 'Informational' });
    expect(set.match(podCreate, 'k8s_audit').map((r) => r.name)).toEqual(['pods', 'create']);
  });

  it('evaluates only rules of the event source', () => {
    expect(new RuleSet(loaded.rules).evaluate(podCreate, 'syscall')).toEqual([]);
  });

  it('builds alerts with sorted tags, the capitalised priority and the event time', () => {
    const [alert] = new RuleSet(loaded.rules, { hostname: 'h' }).evaluate(podCreate, 'k8s_audit');
    expect(alert).toEqual({
      hostname: 'h',
      output: '10:00:00.000000000: Warning pods by u',
      output_fields: { 'evt.time': 1714557600000000000, 'ka.user.name': 'u' },
      priority: 'Warning',
      rule: 'pods',
      source: 'k8s_audit',
      tags: ['a', 'z'],
      time: '2024-05-01T10:00:00.000000000Z',
    });
  });

  it('gives the same matches with the index as without it, over many random events', () => {
    const indexed = rules(
      ['a', 'ka.verb in (create, update) and ka.target.resource=pods', 'INFO'],
      ['b', '(ka.target.resource=roles or ka.target.resource=clusterroles) and ka.verb=create', 'INFO'],
      ['c', 'not ka.verb=get', 'INFO'],
      ['d', 'ka.verb=get or ka.user.name=root', 'INFO'],
      ['e', 'ka.target.resource in (secrets) and not ka.verb in (get, list)', 'INFO'],
    );
    const set = new RuleSet(indexed.rules, { ruleMatching: 'all' });
    const verbs = ['create', 'update', 'get', 'list', 'delete', undefined];
    const resources = ['pods', 'roles', 'clusterroles', 'secrets', 'nodes', undefined];
    let seed = 7;
    const pick = <T>(xs: T[]): T => xs[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % xs.length] as T;
    for (let i = 0; i < 500; i++) {
      const event = caseEvent({
        auditID: 'x',
        ...(pick([true, false]) ? { user: { username: pick(['root', 'bob']) } } : {}),
        verb: pick(verbs),
        objectRef: { resource: pick(resources) },
      });
      const expected = indexed.rules.filter((r) => r.matches(event)).map((r) => r.name);
      expect(set.match(event, 'k8s_audit').map((r) => r.name)).toEqual(expected);
    }
  });
});

describe('append_output', () => {
  const shellRules = loadRulesText([
    {
      file: 'shell.yaml',
      text: [
        '- rule: shell',
        '  desc: d',
        '  condition: proc.name = sh',
        '  output: shell (proc=%proc.name ns=%k8s.ns.name)',
        '  priority: NOTICE',
        '  source: syscall',
      ].join('\n'),
    },
  ]);
  const shell = { timeNs: 1_714_557_600_000_000_000n, payload: { 'proc.name': 'sh', 'k8s.ns.name': 'shop' } };

  it("adds the source's format to the output and its fields to output_fields, in key order", () => {
    expect(shellRules.errors).toEqual([]);
    const set = new RuleSet(shellRules.rules, {
      appendOutput: {
        syscall: { output: ' container=%container.name k8s_pod=%k8s.pod.name', fields: ['container.id'] },
        k8s_audit: { output: ' user=%ka.user.name' },
      },
    });
    const [alert] = set.evaluate(shell, 'syscall');
    expect(alert!.output).toMatch(/Notice shell \(proc=sh ns=shop\) container=<NA> k8s_pod=<NA>$/);
    expect(Object.keys(alert!.output_fields)).toEqual([
      'container.id',
      'container.name',
      'evt.time',
      'k8s.ns.name',
      'k8s.pod.name',
      'proc.name',
    ]);
    expect(alert!.output_fields).toMatchObject({ 'container.name': null, 'k8s.ns.name': 'shop', 'proc.name': 'sh' });
  });

  it('refuses a field its source does not have', () => {
    expect(() => new RuleSet(shellRules.rules, { appendOutput: { syscall: { fields: ['ka.user.name'] } } })).toThrow(
      /ka\.user\.name/,
    );
  });
});
