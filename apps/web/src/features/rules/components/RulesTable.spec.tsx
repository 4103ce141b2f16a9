import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RuleSummary } from '../api/rules-api';
import { RulesTable } from './RulesTable';
import { RuleTestResults } from './RuleTester';

afterEach(cleanup);

const rule = (overrides: Partial<RuleSummary>): RuleSummary => ({
  name: 'Shell',
  source: 'syscall',
  priority: 'Warning',
  tags: ['shell'],
  description: '',
  enabled: true,
  evaluable: true,
  file: '/etc/harrier/rules/main.yaml',
  line: 10,
  ...overrides,
});

describe('RulesTable', () => {
  const rules = [
    rule({ name: 'Shell', tags: ['shell', 'mitre'] }),
    rule({ name: 'Mount', source: 'k8s_audit', priority: 'Critical', enabled: false, line: 42 }),
    rule({ name: 'Odd', evaluable: false, line: 50 }),
  ];

  it('shows source, priority, tags, state and file:line for each rule', () => {
    render(<RulesTable rules={rules} />);
    const rows = screen.getAllByTestId('rule-row');
    expect(rows.map((row) => row.getAttribute('data-rule'))).toEqual(['Shell', 'Mount', 'Odd']);
    expect(rows[0]!.textContent).toContain('Warning');
    expect(rows[0]!.textContent).toContain('mitre');
    expect(rows[1]!.textContent).toContain('Disabled');
    expect(rows[1]!.textContent).toContain('main.yaml:42');
    expect(rows[1]!.querySelector('code')!.getAttribute('title')).toBe('/etc/harrier/rules/main.yaml:42');
    expect(rows[2]!.textContent).toContain('Enabled, never evaluated');
  });

  it('narrows the list by name, source or tag', () => {
    render(<RulesTable rules={rules} />);
    fireEvent.change(screen.getByTestId('rules-search'), { target: { value: 'K8S_AUDIT' } });
    expect(screen.getAllByTestId('rule-row').map((row) => row.getAttribute('data-rule'))).toEqual(['Mount']);
    fireEvent.change(screen.getByTestId('rules-search'), { target: { value: 'nothing' } });
    expect(screen.queryAllByTestId('rule-row')).toEqual([]);
    expect(screen.getByText('No rule matches “nothing”.')).toBeTruthy();
  });
});

describe('RuleTestResults', () => {
  it('lists per event the rules that fire with their output, or that none fires, and what was skipped', () => {
    render(
      <RuleTestResults
        result={{
          ruleMatching: 'first',
          events: [
            {
              index: 0,
              auditId: 'a-1',
              verb: 'create',
              resource: 'pods',
              alerts: [
                {
                  rule: 'Mount',
                  priority: 'Critical',
                  output: 'pod <b>x</b> mounts /var/run/docker.sock',
                  source: 'k8s_audit',
                  time: '2026-01-01T00:00:00Z',
                  output_fields: {},
                  tags: [],
                  hostname: '',
                },
              ],
            },
            { index: 1, alerts: [] },
          ],
          skipped: [{ line: 3, message: 'bad JSON' }],
        }}
      />,
    );
    const [first, second] = screen.getAllByTestId('rule-test-event');
    expect(first!.textContent).toContain('Event 1: create pods (a-1)');
    expect(first!.textContent).toContain('pod <b>x</b> mounts /var/run/docker.sock');
    expect(first!.querySelector('b')).toBeNull();
    expect(second!.textContent).toContain('No rule fires.');
    expect(screen.getByTestId('rule-test-results').textContent).toContain('line 3: bad JSON');
  });
});
