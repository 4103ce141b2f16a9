import { PRIORITIES, parsePriority } from '@harrier/alert';
import type { AlertFilterParams, FilterChanges, FilterParam } from '../api/alert-filter-params';
import { useRef, useEffect, type RefObject } from 'react';
import { FilterTextInput } from './FilterTextInput';
import { RulePicker } from './RulePicker';
import { TimeRangeSelect } from './TimeRangeSelect';

interface AlertFilterBarProps {
  filter: AlertFilterParams;
  onFilterChange: (changes: FilterChanges) => void;
  onClear: () => void;
}

/** Free-text facets: each field takes a comma list, sent to the hub as one parameter it splits itself. */
const LIST_FACETS = [
  { name: 'namespace', label: 'Namespace', placeholder: 'Any namespace' },
  { name: 'pod', label: 'Pod', placeholder: 'Any pod (comma list)' },
  { name: 'source', label: 'Source', placeholder: 'Any source' },
  { name: 'hostname', label: 'Host', placeholder: 'Any host' },
  { name: 'tag', label: 'Tag', placeholder: 'Any tag' },
] as const satisfies readonly { name: FilterParam; label: string; placeholder: string }[];

export function AlertFilterBar({ filter, onFilterChange, onClear }: AlertFilterBarProps) {
  const priority = filter.priority?.join(',');
  // One priority is a minimum level; a list (from a shared link) is an exact set the select shows as it is.
  const minimum = filter.priority?.length === 1 ? parsePriority(filter.priority[0]!) : undefined;

  const searchRef = useRef<HTMLInputElement>(null);
  useSlashToFocus(searchRef);

  return (
    <div className="filter-bar" role="search" aria-label="Filter alerts">
      <FilterTextInput
        inputRef={searchRef}
        label="Search"
        testId="filter-q"
        value={filter.q?.[0] ?? ''}
        placeholder="Output or rule text (/)"
        onCommit={(q) => onFilterChange({ q: [q] })}
      />
      <label className="filter-field">
        <span className="filter-label">Minimum priority</span>
        <select
          data-testid="filter-priority"
          value={minimum?.toLowerCase() ?? priority ?? ''}
          onChange={(event) => onFilterChange({ priority: [event.target.value] })}
        >
          <option value="">All</option>
          {PRIORITIES.map((p) => (
            <option key={p} value={p.toLowerCase()}>
              {p}
            </option>
          ))}
          {priority !== undefined && minimum === undefined && <option value={priority}>Only {priority}</option>}
        </select>
      </label>
      <TimeRangeSelect
        since={filter.since?.[0]}
        until={filter.until?.[0]}
        // A relative range runs up to now, so it replaces an end time as well.
        onChange={(since) => onFilterChange({ since: [since], until: [] })}
      />
      <RulePicker filter={filter} onChange={(rules) => onFilterChange({ rule: rules })} />
      {LIST_FACETS.map(({ name, label, placeholder }) => (
        <FilterTextInput
          key={name}
          label={label}
          testId={`filter-${name}`}
          value={filter[name]?.join(',') ?? ''}
          placeholder={placeholder}
          onCommit={(value) => onFilterChange({ [name]: [value] })}
        />
      ))}
      {Object.keys(filter).length > 0 && (
        <button type="button" className="button-link" data-testid="filter-clear" onClick={onClear}>
          Clear filters
        </button>
      )}
    </div>
  );
}

/** `/` anywhere but in a field jumps to the search box, as on most sites with one. */
function useSlashToFocus(ref: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement;
      if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
      event.preventDefault();
      ref.current?.focus();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [ref]);
}
