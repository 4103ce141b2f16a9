interface NoMatchingAlertsProps {
  onClear: () => void;
}

export function NoMatchingAlerts({ onClear }: NoMatchingAlertsProps) {
  return (
    <section className="empty-state">
      <h2>No alerts match this filter</h2>
      <p>Matching alerts appear here as they arrive.</p>
      <button type="button" className="button" onClick={onClear}>
        Clear filters
      </button>
    </section>
  );
}
