import type { FacetCount } from '../../alerts/api/alert-stats-api';

interface TopValuesProps {
  title: string;
  /** For test ids: `top-<facet>`. */
  facet: string;
  values: readonly FacetCount[];
  /** Values already in the filter, shown as chosen. */
  selected: readonly string[];
  onSelect: (value: string) => void;
}

/** A facet's most frequent values as horizontal bars; choosing one filters every view by it. */
export function TopValues({ title, facet, values, selected, onSelect }: TopValuesProps) {
  const max = Math.max(1, ...values.map((value) => value.count));
  return (
    <section className="overview-card" aria-labelledby={`top-${facet}-title`} data-testid={`top-${facet}`}>
      <h2 id={`top-${facet}-title`}>{title}</h2>
      {values.length === 0 ? (
        <p className="muted">None in this range.</p>
      ) : (
        <ol className="top-list">
          {values.map(({ value, count }) => (
            <li key={value}>
              <button
                type="button"
                className="top-item"
                aria-pressed={selected.includes(value)}
                title={`Show only alerts with ${facet} ${value}`}
                data-testid="top-item"
                data-value={value}
                onClick={() => onSelect(value)}
              >
                <span className="top-bar" style={{ width: `${(count / max) * 100}%` }} aria-hidden="true" />
                <span className="top-label">{value}</span>
                <span className="top-count">{count.toLocaleString()}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
