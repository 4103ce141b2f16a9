import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { AlertFilterParams } from '../api/alert-filter-params';
import { useRuleCounts } from '../hooks/use-rule-counts';

interface RulePickerProps {
  filter: AlertFilterParams;
  onChange: (rules: string[]) => void;
}

function summary(chosen: readonly string[]): string {
  if (chosen.length === 0) return 'Any rule';
  if (chosen.length === 1) return chosen[0]!;
  return `${chosen.length} rules`;
}

/** Several rules at once, each offered with how many alerts it has under the rest of the filter. */
export function RulePicker({ filter, onChange }: RulePickerProps) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const fromUrl = useMemo(() => filter.rule ?? [], [filter.rule]);
  // A click shows at once; the URL (the filter's home) follows in a router transition and wins once it changes.
  const [clicked, setClicked] = useState<{ over: string; rules: readonly string[] }>();
  const fromUrlKey = fromUrl.join('\n');
  // Once the URL has moved on, the click is spent (going back in history must not bring it back).
  if (clicked !== undefined && clicked.over !== fromUrlKey) setClicked(undefined);
  const chosen = clicked?.over === fromUrlKey ? clicked.rules : fromUrl;
  const counts = useRuleCounts(filter, open);
  const rootRef = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const labelId = useId();

  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !rootRef.current?.contains(event.target as Node)) {
        setOpen(false);
      }
    };
    document.addEventListener('keydown', close);
    document.addEventListener('pointerdown', close);
    return () => {
      document.removeEventListener('keydown', close);
      document.removeEventListener('pointerdown', close);
    };
  }, [open]);

  const options = useMemo(() => {
    const listed = counts.data ?? [];
    // Chosen rules stay listed (first) even when they are not among the most frequent.
    const missing = chosen.filter((rule) => !listed.some((entry) => entry.value === rule));
    const all = [...missing.map((value) => ({ value, count: undefined })), ...listed];
    const needle = search.trim().toLowerCase();
    return needle === '' ? all : all.filter((entry) => entry.value.toLowerCase().includes(needle));
  }, [counts.data, chosen, search]);

  const choose = (rules: string[]) => {
    setClicked({ over: fromUrlKey, rules });
    onChange(rules);
  };
  const toggle = (rule: string) => choose(chosen.includes(rule) ? chosen.filter((r) => r !== rule) : [...chosen, rule]);

  return (
    <div className="filter-field rule-picker" ref={rootRef}>
      <span className="filter-label" id={labelId}>
        Rules
      </span>
      <button
        type="button"
        className="rule-picker-button"
        data-testid="filter-rule"
        aria-labelledby={labelId}
        aria-expanded={open}
        aria-controls={panelId}
        title={chosen.join('\n')}
        onClick={() => setOpen(!open)}
      >
        {summary(chosen)}
      </button>
      {open && (
        <div className="rule-picker-panel" id={panelId} role="group" aria-label="Choose rules">
          <input
            type="search"
            placeholder="Find a rule"
            aria-label="Find a rule"
            value={search}
            autoFocus
            onChange={(event) => setSearch(event.target.value)}
          />
          {counts.isPending && <p className="muted">Counting…</p>}
          {counts.isError && <p className="muted">Could not count the rules.</p>}
          <ul className="rule-picker-options">
            {options.map(({ value, count }) => (
              <li key={value}>
                <label data-testid="rule-option" data-rule={value}>
                  <input type="checkbox" checked={chosen.includes(value)} onChange={() => toggle(value)} />
                  <span className="rule-option-name">{value}</span>
                  <span className="rule-option-count">{count === undefined ? '' : count.toLocaleString()}</span>
                </label>
              </li>
            ))}
          </ul>
          {counts.data && options.length === 0 && <p className="muted">No rule has alerts under this filter.</p>}
          {chosen.length > 0 && (
            <button type="button" className="button-link" onClick={() => choose([])}>
              Any rule
            </button>
          )}
        </div>
      )}
    </div>
  );
}
