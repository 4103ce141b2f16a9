import { parsePriority } from '@harrier/alert';
import { useMemo, useState } from 'react';
import { PriorityBadge } from '../../alerts/components/PriorityBadge';
import type { RuleSummary } from '../api/rules-api';
import { SourceLocation } from './SourceLocation';

interface RulesTableProps {
  rules: readonly RuleSummary[];
}

function RulePriority({ priority }: { priority: string }) {
  const known = parsePriority(priority);
  return known ? <PriorityBadge priority={known} /> : <span>{priority}</span>;
}

function ruleState(rule: RuleSummary): string {
  if (!rule.enabled) return 'Disabled';
  return rule.evaluable ? 'Enabled' : 'Enabled, never evaluated';
}

/** Every loaded rule with its source, priority, tags, state and where it is defined; narrowed by a text box. */
export function RulesTable({ rules }: RulesTableProps) {
  const [search, setSearch] = useState('');
  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    if (needle === '') return rules;
    return rules.filter((rule) =>
      [rule.name, rule.source, rule.priority, rule.description, ...rule.tags].some((text) =>
        text.toLowerCase().includes(needle),
      ),
    );
  }, [rules, search]);

  return (
    <>
      <label className="filter-field rules-search">
        <span className="filter-label">Find a rule</span>
        <input
          type="search"
          value={search}
          placeholder="Name, tag, source…"
          data-testid="rules-search"
          onChange={(event) => setSearch(event.target.value)}
        />
      </label>
      <div className="table-scroll">
        <table className="fields-table rules-table" data-testid="rules-table">
          <caption className="visually-hidden">Loaded rules</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Source</th>
              <th scope="col">Priority</th>
              <th scope="col">Tags</th>
              <th scope="col">State</th>
              <th scope="col">Defined at</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((rule) => (
              <tr
                key={`${rule.file}:${rule.line}:${rule.name}`}
                data-testid="rule-row"
                data-rule={rule.name}
                data-enabled={rule.enabled}
              >
                <th scope="row">
                  <span className="rule-name">{rule.name}</span>
                  {rule.description !== '' && <span className="rule-description">{rule.description}</span>}
                </th>
                <td>{rule.source}</td>
                <td>
                  <RulePriority priority={rule.priority} />
                </td>
                <td>
                  {rule.tags.map((tag) => (
                    <span key={tag} className="tag-chip">
                      {tag}
                    </span>
                  ))}
                </td>
                <td>{ruleState(rule)}</td>
                <td>
                  <SourceLocation file={rule.file} line={rule.line} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length === 0 && <p className="muted">No rule matches “{search}”.</p>}
    </>
  );
}
