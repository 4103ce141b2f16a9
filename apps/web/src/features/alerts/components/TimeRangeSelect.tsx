/** Relative time ranges, as durations the hub reads as "this long ago" in `since`. */
const TIME_RANGES = [
  { since: '5m', label: 'Last 5 minutes' },
  { since: '15m', label: 'Last 15 minutes' },
  { since: '1h', label: 'Last hour' },
  { since: '6h', label: 'Last 6 hours' },
  { since: '24h', label: 'Last 24 hours' },
  { since: '7d', label: 'Last 7 days' },
  { since: '30d', label: 'Last 30 days' },
] as const;

/** The option for a range no preset matches (another duration, or dates from a link or a chart). */
const CUSTOM = 'custom';

interface TimeRangeSelectProps {
  since: string | undefined;
  until: string | undefined;
  onChange: (since: string) => void;
}

export function TimeRangeSelect({ since, until, onChange }: TimeRangeSelectProps) {
  const known = until === undefined && TIME_RANGES.some((range) => range.since === since);
  const hasRange = since !== undefined || until !== undefined;
  const custom = until === undefined ? `Since ${since}` : `${since ?? 'Start'} to ${until}`;
  const value = hasRange && !known ? CUSTOM : (since ?? '');
  return (
    <label className="filter-field">
      <span className="filter-label">Time range</span>
      <select
        data-testid="filter-since"
        value={value}
        onChange={(event) => {
          if (event.target.value !== CUSTOM) onChange(event.target.value);
        }}
      >
        <option value="">Any time</option>
        {TIME_RANGES.map((range) => (
          <option key={range.since} value={range.since}>
            {range.label}
          </option>
        ))}
        {/* A shared link may carry another duration or a date-time: shown as it is. */}
        {hasRange && !known && <option value={CUSTOM}>{custom}</option>}
      </select>
    </label>
  );
}
