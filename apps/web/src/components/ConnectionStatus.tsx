import type { StreamStatus } from '../lib/alert-stream';
import { useStreamStatus } from '../lib/alert-stream-context';

const LABELS: Record<StreamStatus, { text: string; hint: string }> = {
  connecting: { text: 'connecting…', hint: 'Connecting to the hub for live alerts' },
  live: { text: 'live', hint: 'New alerts appear as they arrive' },
  rejected: { text: 'paused', hint: 'The hub refused this filter, so nothing is pushed' },
  offline: { text: 'offline', hint: 'Lost the connection to the hub; reconnecting' },
};

export function ConnectionStatus() {
  const status = useStreamStatus();
  const { text, hint } = LABELS[status];
  return (
    <span className="connection-status" data-testid="connection-status" data-status={status} title={hint}>
      {text}
    </span>
  );
}
