import { MAX_HELD } from '../hooks/use-live-alerts';

interface LiveControlsProps {
  paused: boolean;
  perMinute: number;
  heldCount: number;
  onPausedChange: (paused: boolean) => void;
}

/** Pause/resume of the live list, what arrived meanwhile, and the current rate of matching alerts. */
export function LiveControls({ paused, perMinute, heldCount, onPausedChange }: LiveControlsProps) {
  return (
    <div className="live-controls">
      <button
        type="button"
        className="button"
        data-testid="live-toggle"
        aria-pressed={paused}
        onClick={() => onPausedChange(!paused)}
      >
        <span aria-hidden="true">{paused ? '▶ ' : '❚❚ '}</span>
        {paused ? 'Resume live' : 'Pause live'}
      </button>
      {paused && (
        <span className="live-held" data-testid="live-held-count" role="status">
          {heldCount >= MAX_HELD ? `${MAX_HELD}+` : heldCount} new while paused
        </span>
      )}
      <span
        className="alert-rate"
        data-testid="alert-rate"
        title="Alerts matching this filter received in the last minute"
      >
        <strong>{perMinute}</strong> alerts/min
      </span>
    </div>
  );
}
