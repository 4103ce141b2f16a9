import { describe, expect, it } from 'vitest';
import type { FalcoAlert } from './alert.js';
import { matchesFilter, parseAlertQuery } from './filter.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');

const alert: FalcoAlert = {
  time: '2026-06-01T11:50:00.123456789Z',
  rule: 'Create Sensitive Mount Pod',
  priority: 'Warning',
  source: 'k8s_audit',
  output: 'Pod started with sensitive mount',
  output_fields: { 'ka.target.namespace': 'payments', 'ka.target.resource': 'pods', 'ka.target.name': 'api-1' },
  tags: ['k8s', 'mitre_privilege_escalation'],
  hostname: '',
};

describe('parseAlertQuery', () => {
  it('reads a single priority as a minimum and a list as a set', () => {
    const min = parseAlertQuery({ priority: 'error' }, NOW);
    expect(min.ok && min.value.filter.priority).toEqual(['Error', 'Critical', 'Alert', 'Emergency']);
    const set = parseAlertQuery({ priority: 'notice,CRITICAL' }, NOW);
    expect(set.ok && set.value.filter.priority).toEqual(['Notice', 'Critical']);
  });

  it('splits facets on commas and repeats, but rules only on repeats', () => {
    const q = parseAlertQuery({ rule: ['a, b', 'c'], pod: 'p1,p2', tag: ['t1', 't2,t3'] }, NOW);
    expect(q.ok && q.value.filter).toEqual({ rule: ['a, b', 'c'], pod: ['p1', 'p2'], tag: ['t1', 't2', 't3'] });
  });

  it('reads since/until as RFC 3339 or a duration ago, and limit and cursor', () => {
    const q = parseAlertQuery(
      { since: '15m', until: '2026-06-01T11:59:00Z', limit: '20', cursor: '01ARZ3NDEKTSV4RRFFQ69G5FAV' },
      NOW,
    );
    expect(q).toEqual({
      ok: true,
      value: {
        filter: { since: NOW - 15 * 60_000, until: Date.parse('2026-06-01T11:59:00Z') },
        limit: 20,
        cursor: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      },
    });
    const defaults = parseAlertQuery({}, NOW);
    expect(defaults).toEqual({ ok: true, value: { filter: {}, limit: 100 } });
  });

  it.each<[Record<string, unknown>, string]>([
    [{ priority: 'loud' }, 'priority'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '1001' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ since: 'yesterday' }, 'since'],
    [{ until: '5 minutes' }, 'until'],
    [{ since: '1m', until: '2h' }, 'since'],
    [{ cursor: 'abc' }, 'cursor'],
    [{ namespaces: 'x' }, 'namespaces'],
  ])('rejects %j naming %s', (params, field) => {
    const q = parseAlertQuery(params, NOW);
    expect(!q.ok && q.issues.map((i) => i.field)).toEqual([field]);
  });
});

describe('matchesFilter', () => {
  it('matches audit alerts by their target namespace and pod', () => {
    expect(matchesFilter(alert, { namespace: ['payments'], pod: ['api-1'] })).toBe(true);
    expect(matchesFilter(alert, { namespace: ['default'] })).toBe(false);
  });

  it('ORs within a facet and ANDs across facets', () => {
    expect(matchesFilter(alert, { tag: ['nope', 'k8s'], priority: ['Warning'] })).toBe(true);
    expect(matchesFilter(alert, { tag: ['k8s'], priority: ['Error'] })).toBe(false);
  });

  it('does not match an absent facet value', () => {
    expect(matchesFilter(alert, { hostname: ['node-a'] })).toBe(false);
  });

  it('honours since (inclusive) and until (exclusive) at millisecond precision', () => {
    const t = Date.parse(alert.time);
    expect(matchesFilter(alert, { since: t })).toBe(true);
    expect(matchesFilter(alert, { since: t + 1 })).toBe(false);
    expect(matchesFilter(alert, { until: t })).toBe(false);
    expect(matchesFilter(alert, { until: t + 1 })).toBe(true);
  });
});

describe('free-text filter q', () => {
  it('matches the output or the rule, ignoring case', () => {
    expect(matchesFilter(alert, { q: 'SENSITIVE mount' })).toBe(true);
    expect(matchesFilter(alert, { q: 'create sensitive' })).toBe(true);
    expect(matchesFilter(alert, { q: 'shell' })).toBe(false);
  });

  it('is parsed trimmed, ignored when empty, and refused when repeated or too long', () => {
    const q = parseAlertQuery({ q: '  /etc/shadow ' }, NOW);
    expect(q.ok && q.value.filter.q).toBe('/etc/shadow');
    const empty = parseAlertQuery({ q: ' ' }, NOW);
    expect(empty.ok && empty.value.filter).toEqual({});
    for (const bad of [['a', 'b'], 'x'.repeat(257)]) {
      const r = parseAlertQuery({ q: bad }, NOW);
      expect(!r.ok && r.issues.map((i) => i.field)).toEqual(['q']);
    }
  });
});
